/**
 * What the bot does with each kind of update: text messages (commands, mentions, replies to the
 * bot, plain questions in private chats), button presses, inline queries and changes of the
 * bot's membership. Business logic stays in the command router: this module only decides which
 * text is for the bot, who is asking, and where the answer goes.
 */
import { Composer, type Context } from 'grammy';
import type { InlineQueryResultArticle, Message } from 'grammy/types';
import type { InlineAnswer } from '../../commands/inline.js';
import { rateLimitReply, type RateLimiter } from '../../commands/rate-limit.js';
import type { CommandRouter } from '../../commands/router.js';
import type { CommandContext } from '../../commands/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Telemetry } from '../../observability/telemetry.js';
import type { ChatStateStore } from '../../storage/types.js';
import { expiredFollowUpReply } from '../../commands/follow-ups.js';
import type { Reply } from '../../replies/reply.js';
import type { FollowUpKeys } from '../follow-up-keys.js';
import { commandFitsCallbackData } from './callback-data.js';
import type { ModeratorCheck } from './moderators.js';
import { plainLine, renderSingleMessage, TELEGRAM_LIMITS } from './render.js';
import type { TelegramSender } from './sender.js';

export interface HandlerDeps {
  router: CommandRouter;
  inlineAnswers: (query: string) => InlineAnswer[];
  sender: TelegramSender;
  moderators: ModeratorCheck;
  limiter: RateLimiter;
  chatState: ChatStateStore;
  /** Follow-ups too long for callback data, under keys. */
  followUpKeys: FollowUpKeys;
  logger: Logger;
  telemetry: Telemetry;
  now: () => Date;
  /** Seconds Telegram may cache an inline answer. */
  inlineCacheSeconds: number;
  /** The bot's username and id, known once `getMe` succeeded. */
  me: () => { username: string; id: number };
}

/** The text of a message that is meant for the bot, and whether plain questions are understood. */
interface Addressed {
  text: string;
  /** The user spoke to the bot (private chat, mention, reply): plain text is a question. */
  questions: boolean;
}

const COMMAND_ADDRESSEE = /^\/[A-Za-z0-9_]{1,32}@([A-Za-z0-9_]{1,64})(?:\s|$)/;
const COMMAND_NAME = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s|$)/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Decide whether a text message is for the bot.
 * - Private chat: everything (commands and plain questions).
 * - Group: commands (not those addressed to another bot), messages mentioning `@BotName`
 *   (the mention is removed), and replies to the bot's own messages.
 */
export function addressedText(message: Pick<Message, 'text' | 'chat' | 'reply_to_message'>, me: { username: string; id: number }): Addressed | null {
  const text = message.text ?? '';
  const addressee = COMMAND_ADDRESSEE.exec(text)?.[1];
  if (addressee !== undefined && addressee.toLowerCase() !== me.username.toLowerCase()) return null;
  // Telegram clients send /start first; it means "tell me what you do".
  const line = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s|$)/i.test(text) ? '/help' : text;
  if (message.chat.type === 'private') return { text: line, questions: true };
  if (line.startsWith('/')) return { text: line, questions: false };
  const mention = new RegExp(`(^|[^\\w@])@${escapeRegExp(me.username)}\\b[,:]?`, 'gi');
  if (mention.test(text)) {
    const stripped = text.replace(mention, '$1').replace(/\s+/g, ' ').trim();
    return { text: stripped, questions: true };
  }
  if (message.reply_to_message?.from?.id === me.id) return { text, questions: true };
  return null;
}

function chatType(type: string): CommandContext['chat']['type'] {
  if (type === 'private') return 'private';
  return type === 'channel' ? 'channel' : 'group';
}

function displayName(user: { first_name: string; last_name?: string; username?: string }): string {
  return user.username ?? [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/** Result ids must be 1–64 bytes and unique within one answer. */
function inlineResultId(id: string, used: Set<string>): string {
  let candidate = Buffer.byteLength(id, 'utf8') <= TELEGRAM_LIMITS.inlineResultId && id !== '' ? id : '';
  if (candidate === '') {
    let hash = 0;
    for (const ch of id) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) >>> 0;
    candidate = `h-${hash.toString(36)}`;
  }
  let unique = candidate;
  for (let n = 2; used.has(unique); n += 1) unique = `${candidate.slice(0, 56)}-${n}`;
  used.add(unique);
  return unique;
}

/**
 * Build the middleware that handles every update kind the bot subscribes to.
 *
 * @example
 * bot.use(createUpdateHandlers({ router, inlineAnswers, sender, moderators, limiter, chatState, logger, telemetry, now, inlineCacheSeconds: 60, me }));
 */
export function createUpdateHandlers(deps: HandlerDeps): Composer<Context> {
  const composer = new Composer<Context>();

  /** Count a command from `userId`; answers the first one over the limit politely. `false` = drop it. */
  function allowed(userId: number, chatId: string, updateId: number): { ok: true } | { ok: false; first: boolean; retryAfter: number } {
    const key = `telegram:${userId}`;
    const at = deps.now().getTime();
    const verdict = deps.limiter.check(key, at);
    if (verdict === 'ok') return { ok: true };
    deps.telemetry.commandHandled({ platform: 'telegram', chatId, command: 'rate-limited', argument: '', outcome: 'rate-limited', latencyMs: 0, updateId: String(updateId) });
    return { ok: false, first: verdict === 'limited-first', retryAfter: deps.limiter.retryAfterSeconds(key, at) };
  }

  /** Whether the sender may run moderator-only commands here; only asks Telegram when it matters. */
  async function moderatorStatus(line: string, message: Pick<Message, 'chat' | 'from' | 'sender_chat'>): Promise<boolean> {
    if (message.chat.type === 'private') return true;
    // An administrator posting anonymously appears as the group itself.
    if (message.sender_chat?.id === message.chat.id) return true;
    const name = COMMAND_NAME.exec(line)?.[1];
    if (name === undefined || deps.router.find(name)?.moderatorOnly !== true || message.from === undefined) return false;
    return deps.moderators.isModerator(message.chat.id, message.from.id);
  }

  function commandContext(message: Pick<Message, 'chat' | 'from'>, isModerator: boolean): CommandContext {
    const chat = message.chat;
    const title = 'title' in chat ? chat.title : undefined;
    return {
      chat: { platform: 'telegram', id: String(chat.id), type: chatType(chat.type), ...(title === undefined ? {} : { title }) },
      user: {
        id: String(message.from?.id ?? chat.id),
        isModerator,
        ...(message.from === undefined ? {} : { name: displayName(message.from) }),
      },
      now: deps.now(),
    };
  }

  /** The reply with its too-long follow-ups replaced by keys, ready to be rendered as buttons. */
  function withKeys(reply: Reply): Promise<Reply> {
    return deps.followUpKeys.keyed(reply, commandFitsCallbackData);
  }

  /** A chat that writes to us can be reached again (the user unblocked the bot, or it was re-added). */
  function noteReachable(chatId: string): void {
    if (deps.chatState.blockedChat('telegram', chatId) === undefined) return;
    deps.chatState.unblockChat('telegram', chatId);
    deps.logger.info({ chatId }, 'telegram chat wrote to the bot again; unblocked');
  }

  composer.on('message:migrate_to_chat_id', (ctx) => {
    const from = String(ctx.chat.id);
    const to = String(ctx.message.migrate_to_chat_id);
    deps.chatState.recordChatMigration('telegram', from, to, deps.now());
    deps.logger.info({ chatId: from, newChatId: to }, 'telegram group became a supergroup');
  });

  composer.on('message:migrate_from_chat_id', (ctx) => {
    const from = String(ctx.message.migrate_from_chat_id);
    const to = String(ctx.chat.id);
    if (deps.chatState.currentChatId('telegram', from) !== to) deps.chatState.recordChatMigration('telegram', from, to, deps.now());
  });

  composer.on('message:text', async (ctx) => {
    const message = ctx.message;
    const me = deps.me();
    const addressed = addressedText(message, me);
    if (addressed === null) return;
    const chatId = String(message.chat.id);
    noteReachable(chatId);
    const replyTo = message.chat.type === 'private' ? undefined : message.message_id;
    const gate = allowed(message.from.id, chatId, ctx.update.update_id);
    if (!gate.ok) {
      if (gate.first) await deps.sender.deliver(chatId, rateLimitReply(gate.retryAfter), replyTo === undefined ? {} : { replyTo });
      return;
    }
    const context = commandContext(message, await moderatorStatus(addressed.text, message));
    const result = await deps.router.handle(addressed.text, context, {
      questions: addressed.questions,
      botUsername: me.username,
      updateId: String(ctx.update.update_id),
    });
    if (result === null) return;
    await deps.sender.deliver(chatId, await withKeys(result.reply), replyTo === undefined ? {} : { replyTo });
  });

  composer.on('callback_query:data', async (ctx) => {
    const query = ctx.callbackQuery;
    let answer: string | undefined;
    try {
      const command = await deps.followUpKeys.commandOf(query.data);
      const message = query.message;
      if (command === undefined) {
        const expired = expiredFollowUpReply();
        answer = plainLine(`${expired.title} ${expired.summary ?? ''}`, TELEGRAM_LIMITS.callbackAnswerText);
        return;
      }
      if (message === undefined) {
        answer = 'Open a chat with me to use this button.';
        return;
      }
      const chatId = String(message.chat.id);
      const gate = allowed(query.from.id, chatId, ctx.update.update_id);
      if (!gate.ok) {
        answer = gate.first ? rateLimitReply(gate.retryAfter).title : undefined;
        return;
      }
      const asker = { chat: message.chat, from: query.from };
      const context = commandContext(asker, await moderatorStatus(command, asker));
      const result = await deps.router.handle(command, context, { botUsername: deps.me().username, updateId: String(ctx.update.update_id), followUp: true });
      if (result === null) {
        answer = 'This button is not for me.';
        return;
      }
      const shown = await withKeys(result.reply);
      const outcome = await deps.sender.edit(chatId, message.message_id, shown);
      if (outcome === 'not-editable') await deps.sender.deliver(chatId, shown, { replyTo: message.message_id });
      if (result.reply.kind !== 'answer') answer = plainLine(result.reply.title, TELEGRAM_LIMITS.callbackAnswerText);
    } finally {
      // Always answer, or the button keeps spinning on the user's screen.
      await ctx.answerCallbackQuery(answer === undefined ? {} : { text: answer });
    }
  });

  composer.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery();
  });

  composer.on('inline_query', async (ctx) => {
    const used = new Set<string>();
    const answers = deps.inlineAnswers(ctx.inlineQuery.query).slice(0, TELEGRAM_LIMITS.inlineResults);
    const results: InlineQueryResultArticle[] = answers.map((answer) => ({
      type: 'article',
      id: inlineResultId(answer.id, used),
      title: plainLine(answer.title, 100) || 'Result',
      description: plainLine(answer.description, 200),
      input_message_content: {
        message_text: renderSingleMessage({ ...answer.reply, private: false }).html,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      },
    }));
    await ctx.answerInlineQuery(results, { cache_time: deps.inlineCacheSeconds, is_personal: false });
  });

  composer.on('my_chat_member', (ctx) => {
    const chatId = String(ctx.myChatMember.chat.id);
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked' || status === 'left') {
      deps.chatState.markChatBlocked('telegram', chatId, `the bot was ${status === 'kicked' ? 'blocked or removed' : 'removed'} (${status})`, deps.now());
      deps.logger.info({ chatId, status }, 'telegram bot removed from a chat; sends to it stop');
    } else if (status === 'member' || status === 'administrator') {
      deps.chatState.unblockChat('telegram', chatId);
      deps.logger.info({ chatId, status }, 'telegram bot added to a chat');
    }
  });

  return composer;
}
