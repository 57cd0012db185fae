/**
 * The one command definition that drives every platform: Discord slash commands and their
 * options, Telegram's command menu, the console's /help. Commands know no platform: they get a
 * neutral context and return a {@link Reply}.
 */
import type { EntityType } from '../knowledge/model.js';
import type { Reply } from '../replies/reply.js';

export type Platform = 'console' | 'telegram' | 'discord';

/** Where a message came from, in platform-neutral terms. */
export interface ChatRef {
  platform: Platform;
  /** The platform's chat or channel id, as a string. */
  id: string;
  /** `private` = one-to-one; `group` = Telegram group or Discord server channel; `channel` = broadcast. */
  type: 'private' | 'group' | 'channel';
  title?: string;
}

/** Who sent it. `isModerator` is decided by the adapter (Telegram admin, Discord Manage Channels). */
export interface UserRef {
  id: string;
  name?: string;
  isModerator: boolean;
}

export interface CommandContext {
  chat: ChatRef;
  user: UserRef;
  /** The current time (injected so tests control it). */
  now: Date;
}

/** A command's option, as Discord shows it; text platforms read it from the rest of the line. */
export interface CommandOption {
  /** 1–32 lower-case characters. */
  name: string;
  /** 1–100 characters. */
  description: string;
  required: boolean;
  /** Offer entity-name completions of these types while the user types (Discord autocomplete). */
  autocomplete?: EntityType[];
}

/** What the user typed after the command name, control characters already removed. */
export interface CommandInput {
  /** The argument text, trimmed ("" when none). Discord options arrive joined in declared order. */
  text: string;
}

export interface CommandDefinition {
  /** 1–32 lower-case characters, no slash. */
  name: string;
  /** 1–100 characters: shown in command menus. */
  description: string;
  options: CommandOption[];
  /** e.g. `/who <name>`. */
  usage: string;
  /** Full example command lines, e.g. `/who massoud`. */
  examples: string[];
  /** Only moderators may run it in groups and servers (anyone may in a private chat). */
  moderatorOnly?: boolean;
  /** Shown in /help and menus: hidden commands still run (buttons use them). */
  hidden?: boolean;
  run(input: CommandInput, context: CommandContext): Reply | Promise<Reply>;
}

/**
 * A problem the user can fix, thrown by a command and turned into an `error` reply by the router.
 * Anything else thrown is a bug: adapters log it and send a short apology.
 */
export class UserFacingError extends Error {
  constructor(
    message: string,
    /** Extra lines for the reply, e.g. examples of valid input. */
    readonly hints: string[] = [],
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}
