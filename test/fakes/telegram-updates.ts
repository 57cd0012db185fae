/**
 * Realistic Telegram update shapes for the fake Bot API server: the fields and entities that
 * Telegram really sends for a private message, a group message (with `bot_command` and `mention`
 * entities), a callback query, an inline query and a `my_chat_member` change.
 */

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
}

export interface FakeEntity {
  type: string;
  offset: number;
  length: number;
}

export interface FakeMessage {
  message_id: number;
  from?: FakeUser;
  sender_chat?: FakeChat;
  chat: FakeChat;
  date: number;
  text?: string;
  entities?: FakeEntity[];
  reply_to_message?: FakeMessage;
  migrate_to_chat_id?: number;
  migrate_from_chat_id?: number;
  reply_markup?: unknown;
}

/** An update without its id: the server numbers updates as they are queued. */
export type UpdateBody =
  | { message: FakeMessage }
  | { callback_query: { id: string; from: FakeUser; message?: FakeMessage; chat_instance: string; data?: string } }
  | { inline_query: { id: string; from: FakeUser; query: string; offset: string; chat_type?: string } }
  | {
      my_chat_member: {
        chat: FakeChat;
        from: FakeUser;
        date: number;
        old_chat_member: { status: string; user: FakeUser };
        new_chat_member: { status: string; user: FakeUser };
      };
    };

export type FakeUpdate = UpdateBody & { update_id: number };

export const ALICE: FakeUser = { id: 1001, is_bot: false, first_name: 'Alice', username: 'alice', language_code: 'en' };
export const BOB: FakeUser = { id: 1002, is_bot: false, first_name: 'Bob', username: 'bob_admin', language_code: 'en' };
export const GROUP: FakeChat = { id: -1_001_234_567_890, type: 'supergroup', title: 'Panjshir watchers' };
export const OLD_GROUP: FakeChat = { id: -4_123_456, type: 'group', title: 'Panjshir watchers (old)' };

export function privateChatOf(user: FakeUser): FakeChat {
  return { id: user.id, type: 'private', first_name: user.first_name, ...(user.username === undefined ? {} : { username: user.username }) };
}

/** The UTF-16 offset/length entities Telegram attaches to a text: bot commands and @mentions. */
export function entitiesOf(text: string): FakeEntity[] {
  const entities: FakeEntity[] = [];
  for (const match of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,64})?)/g)) {
    const offset = match.index + (match[1]?.length ?? 0);
    if (offset === 0) entities.push({ type: 'bot_command', offset, length: match[2]?.length ?? 0 });
  }
  for (const match of text.matchAll(/(^|[^\w])(@[A-Za-z0-9_]{5,32})/g)) {
    const offset = match.index + (match[1]?.length ?? 0);
    if (!entities.some((e) => offset >= e.offset && offset < e.offset + e.length)) entities.push({ type: 'mention', offset, length: match[2]?.length ?? 0 });
  }
  return entities.sort((a, b) => a.offset - b.offset);
}

let nextMessageId = 500;
let nextQueryId = 9000;

/** A text message from `from` in `chat`, with Telegram's entities. */
export function textMessage(text: string, chat: FakeChat, from: FakeUser, extra: Partial<FakeMessage> = {}): FakeMessage {
  const entities = entitiesOf(text);
  nextMessageId += 1;
  return {
    message_id: nextMessageId,
    from,
    chat,
    date: Math.floor(Date.now() / 1000),
    text,
    ...(entities.length > 0 ? { entities } : {}),
    ...extra,
  };
}

export function callbackQueryBody(data: string, message: FakeMessage, from: FakeUser): UpdateBody {
  nextQueryId += 1;
  return { callback_query: { id: String(nextQueryId), from, message, chat_instance: '-7001', data } };
}

export function inlineQueryBody(query: string, from: FakeUser): UpdateBody {
  nextQueryId += 1;
  return { inline_query: { id: String(nextQueryId), from, query, offset: '', chat_type: 'sender' } };
}

export function myChatMemberBody(chat: FakeChat, from: FakeUser, bot: FakeUser, oldStatus: string, newStatus: string): UpdateBody {
  return {
    my_chat_member: {
      chat,
      from,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: oldStatus, user: bot },
      new_chat_member: { status: newStatus, user: bot },
    },
  };
}
