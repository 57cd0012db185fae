/**
 * The Discord adapter: slash commands with autocomplete, answered with embeds and buttons.
 * See docs/discord.md for setting it up.
 */
export { createDiscordRuntime, type DiscordRuntime, type DiscordSettings } from './runtime.js';
export { createDiscordHttpRuntime, type DiscordHttpRuntime, type DiscordHttpSettings } from './http-runtime.js';
export { toApplicationCommands, CommandDefinitionError } from './commands.js';
export { registerCommands, formatRegistrationReport, type RegistrationReport, type RegistrationOptions } from './register.js';
export { renderReply, pageMessage, DISCORD_LIMITS, type RenderedReply, type RenderOptions } from './render.js';
export { createDiscordSender } from './sender.js';
export { toDeliveryError } from './errors.js';
