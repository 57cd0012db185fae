/**
 * Realistic `INTERACTION_CREATE` payloads for the fake Discord: slash commands, autocomplete and
 * button presses, in a server channel or a DM, with the member's permissions.
 */
import type { FakeDiscord } from './discord-api.js';

/** Discord permission bits used by the tests. */
export const PERMISSIONS = {
  /** View channel, send messages, read history, use application commands: an ordinary member. */
  member: (0x400n | 0x800n | 0x10000n | 0x80000000n).toString(),
  /** An ordinary member who may also manage channels (a moderator for Dossier). */
  moderator: (0x400n | 0x800n | 0x10000n | 0x80000000n | 0x10n).toString(),
  /** What the bot itself has: send messages, embed links, read history. */
  app: (0x400n | 0x800n | 0x4000n | 0x10000n).toString(),
};

export const GUILD_ID = '200000000000000001';
export const CHANNEL_ID = '300000000000000001';
export const DM_CHANNEL_ID = '300000000000000099';

export interface Where {
  /** `guild` (default): a text channel of a server; `dm`: a private chat with the bot. */
  in?: 'guild' | 'dm';
  permissions?: string;
  userId?: string;
  username?: string;
}

function user(where: Where) {
  return {
    id: where.userId ?? '400000000000000001',
    username: where.username ?? 'reader',
    discriminator: '0',
    global_name: 'A Reader',
    avatar: null,
    public_flags: 0,
  };
}

function base(fake: FakeDiscord, type: number, where: Where): Record<string, unknown> {
  const common = {
    id: fake.snowflake(),
    application_id: fake.applicationId,
    type,
    token: `itoken-${fake.snowflake()}`,
    version: 1,
    locale: 'en-GB',
    entitlements: [],
    app_permissions: PERMISSIONS.app,
    authorizing_integration_owners: { '0': GUILD_ID },
    attachment_size_limit: 10_485_760,
  };
  if (where.in === 'dm') {
    return {
      ...common,
      context: 1,
      channel_id: DM_CHANNEL_ID,
      channel: { id: DM_CHANNEL_ID, type: 1, flags: 0, last_message_id: null, recipients: [user(where)] },
      user: user(where),
    };
  }
  return {
    ...common,
    context: 0,
    guild_id: GUILD_ID,
    guild_locale: 'en-US',
    guild: { id: GUILD_ID, locale: 'en-US', features: [] },
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'panjshir-watch', position: 0, flags: 0, nsfw: false, parent_id: null, permissions: PERMISSIONS.member, last_message_id: null, rate_limit_per_user: 0, topic: null },
    member: {
      user: user(where),
      roles: [],
      joined_at: '2021-08-15T10:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      premium_since: null,
      communication_disabled_until: null,
      permissions: where.permissions ?? PERMISSIONS.member,
    },
  };
}

export interface CommandCall extends Where {
  command: string;
  /** Option values by name, in the order the user filled them in. */
  options?: Record<string, string>;
}

/** The `data` of a slash command or autocomplete interaction: string options, in the given order. */
function commandData(command: string, options: Record<string, string>, focused?: { name: string; value: string }) {
  return {
    id: `cmd-${command}`,
    name: command,
    type: 1,
    options: [
      ...Object.entries(options).map(([name, value]) => ({ name, type: 3, value })),
      ...(focused === undefined ? [] : [{ ...focused, type: 3, focused: true }]),
    ],
  };
}

/** A slash command (`/who name:massoud`). */
export function chatInputInteraction(fake: FakeDiscord, call: CommandCall): Record<string, unknown> {
  return { ...base(fake, 2, call), data: commandData(call.command, call.options ?? {}) };
}

export interface AutocompleteCall extends Where {
  command: string;
  /** The option being typed. */
  focused: string;
  value: string;
  /** Other options already filled in. */
  others?: Record<string, string>;
}

/** An autocomplete request while the user types into an option. */
export function autocompleteInteraction(fake: FakeDiscord, call: AutocompleteCall): Record<string, unknown> {
  return { ...base(fake, 4, call), data: commandData(call.command, call.others ?? {}, { name: call.focused, value: call.value }) };
}

export interface ButtonPress extends Where {
  customId: string;
  /** The message the button is on (as the fake stored it). */
  message: Record<string, unknown>;
}

/** A button press on one of the bot's messages. */
export function buttonInteraction(fake: FakeDiscord, press: ButtonPress): Record<string, unknown> {
  return {
    ...base(fake, 3, press),
    message: press.message,
    data: { custom_id: press.customId, component_type: 2 },
  };
}
