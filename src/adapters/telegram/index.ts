/**
 * The Telegram adapter: `createTelegramRuntime` is what the composition root starts when
 * TELEGRAM_BOT_TOKEN is set.
 */
export { createTelegramRuntime, menuCommands, type TelegramRuntime, type TelegramSettings, type TelegramWebhookSettings } from './runtime.js';
export { createTelegramSender, type TelegramSender, type Delivered, type EditOutcome } from './sender.js';
export { renderReply, renderSingleMessage, TELEGRAM_LIMITS, type RenderedReply, type ReplyButton } from './render.js';
export { toDeliveryError } from './errors.js';
