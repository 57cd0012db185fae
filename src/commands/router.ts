/**
 * The command router: turns a line of user text into a {@link Reply}, for every platform.
 *
 * It parses `/name@bot args`, cleans and bounds the input, enforces moderator-only commands,
 * answers unknown commands with "did you mean", turns {@link UserFacingError}s into error
 * replies, and reports every command to telemetry. Unexpected errors are logged with the
 * platform's update id and answered with a short apology, never a stack trace.
 */
import Fuse from 'fuse.js';
import type { EntityType } from '../knowledge/model.js';
import type { Logger } from '../observability/logger.js';
import { noTelemetry, type CommandOutcome, type Telemetry } from '../observability/telemetry.js';
import { fitsActionLimit, reply, REPLY_LIMITS, type Reply } from '../replies/reply.js';
import type { EntityHit } from '../search/types.js';
import { cleanInput, echo, isTooLong } from './input.js';
import { questionToCommand } from './questions.js';
import { UserFacingError, type CommandContext, type CommandDefinition } from './types.js';
import { shortenAtWord } from '../replies/format.js';

/** One autocomplete choice: Discord shows `name` and sends back `value` (both ≤ 100 chars). */
export interface AutocompleteChoice {
  name: string;
  value: string;
}

export interface HandleOptions {
  /** Also understand plain questions ("who is massoud?"); adapters enable it in private chats. */
  questions?: boolean;
  /** The bot's username: `/who@ThisBot x` is for us, `/who@OtherBot x` is ignored. */
  botUsername?: string;
  /** The platform's update or interaction id, for logs. */
  updateId?: string;
  /**
   * The text is a follow-up the bot offered (a button, a typed follow-up number), not typed:
   * it may be as long as {@link REPLY_LIMITS.actionCommandChars}, a page number longer than
   * the longest input.
   */
  followUp?: boolean;
}

/** What the router made of a message. */
export interface RouterResult {
  reply: Reply;
  /** The command that ran ("who"), or "unknown" / "invalid". */
  command: string;
  argument: string;
}

export interface CommandRouter {
  readonly definitions: readonly CommandDefinition[];
  /**
   * Answer one message. Resolves to `null` when the message is not for the bot (plain text
   * without `questions`, or a command addressed to another bot). With `questions`, plain text
   * always gets an answer: the question's, or a hint when it holds no words.
   */
  handle(text: string, context: CommandContext, options?: HandleOptions): Promise<RouterResult | null>;
  /** Completions for a command option that declares `autocomplete` (Discord). */
  autocomplete(command: string, option: string, partial: string): AutocompleteChoice[];
  /** Find a command definition by name (case-insensitive). */
  find(name: string): CommandDefinition | undefined;
}

export interface RouterDeps {
  commands: CommandDefinition[];
  /** Entity completions for autocomplete options. */
  suggestEntities?: (partial: string, types: EntityType[]) => EntityHit[];
  logger: Logger;
  telemetry?: Telemetry;
  /** Clock for latency (injected in tests). */
  clock?: () => number;
}

const COMMAND_LINE = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;
const AUTOCOMPLETE_TEXT_LIMIT = 100;

/** The reply for an unexpected failure: short, apologetic, and free of internals. */
export function apologyReply(): Reply {
  return reply({
    kind: 'error',
    title: 'Sorry, something went wrong on our side.',
    summary: 'The problem has been logged. Please try again in a moment.',
    private: true,
  });
}

/** The answer to a plain message with no words in it ("🙂 !!") where questions are understood. */
export function notUnderstoodReply(): Reply {
  return reply({
    kind: 'usage',
    title: 'I did not catch a question there.',
    summary: 'Ask me e.g. “who is massoud?”, “where is bazarak?” or “what did saleh say?”, or send /help.',
    suggestions: [
      { label: '/help', command: '/help' },
      { label: 'who is massoud?', command: '/who massoud' },
    ],
    private: true,
  });
}

/**
 * Create the router over a list of command definitions.
 *
 * @example
 * const router = createRouter({ commands: [whoCommand(deps)], logger });
 * const result = await router.handle('/who massoud', context);
 */
export function createRouter(deps: RouterDeps): CommandRouter {
  const telemetry = deps.telemetry ?? noTelemetry;
  const clock = deps.clock ?? (() => performance.now());
  const byName = new Map<string, CommandDefinition>();
  for (const definition of deps.commands) {
    if (byName.has(definition.name)) throw new Error(`Two commands are named "${definition.name}".`);
    byName.set(definition.name, definition);
  }
  const visible = deps.commands.filter((d) => !d.hidden);
  const nameIndex = new Fuse(visible.map((d) => d.name), { threshold: 0.5, includeScore: true });

  function usageReply(definition: CommandDefinition, problem?: string): Reply {
    return reply({
      kind: 'usage',
      title: problem ?? `Usage: ${definition.usage}`,
      summary: problem === undefined ? definition.description : `Usage: ${definition.usage}`,
      sections: [{ label: 'Examples', lines: definition.examples.map((e) => ({ text: e, cites: [] })) }],
      suggestions: definition.examples.slice(0, 3).map((e) => ({ label: e, command: e })),
      private: true,
    });
  }

  function unknownCommandReply(name: string, rest: string): Reply {
    const matches = nameIndex.search(name).slice(0, 3);
    const suggestions = matches.map((m) => {
      const line = rest === '' ? `/${m.item}` : `/${m.item} ${rest}`;
      return { label: `/${m.item}`, command: fitsActionLimit({ label: '', command: line }) ? line : `/${m.item}` };
    });
    return reply({
      kind: 'not-found',
      title: `There is no /${echo(name, 32)} command.`,
      summary: suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => s.label).join(' or ')}?` : 'Send /help to see what I can do.',
      suggestions: suggestions.length > 0 ? suggestions : [{ label: '/help', command: '/help' }],
      private: true,
    });
  }

  async function run(
    definition: CommandDefinition,
    argument: string,
    context: CommandContext,
    options: HandleOptions,
  ): Promise<Reply> {
    if (definition.moderatorOnly && context.chat.type !== 'private' && !context.user.isModerator) {
      return reply({
        kind: 'error',
        title: `Only moderators can use /${definition.name} here.`,
        summary:
          context.chat.platform === 'discord'
            ? 'It needs the Manage Channels permission in this server.'
            : 'It needs a chat administrator. Anyone can use it in a private chat with the bot.',
        private: true,
      });
    }
    if (argument === '' && definition.options.some((o) => o.required)) return usageReply(definition);
    try {
      return await definition.run({ text: argument }, context);
    } catch (error) {
      if (error instanceof UserFacingError) {
        return reply({
          kind: 'error',
          title: error.message,
          sections: error.hints.length > 0 ? [{ label: 'Try', lines: error.hints.map((h) => ({ text: h, cites: [] })) }] : [],
          private: true,
        });
      }
      deps.logger.error(
        { err: error, command: definition.name, platform: context.chat.platform, chatId: context.chat.id, updateId: options.updateId },
        'command failed',
      );
      return apologyReply();
    }
  }

  return {
    definitions: deps.commands,

    find(name) {
      return byName.get(name.toLowerCase());
    },

    async handle(rawText, context, options = {}) {
      const started = clock();
      const { text } = cleanInput(rawText);
      let command = 'unknown';
      let argument = '';
      let result: Reply;

      if (options.followUp === true ? [...text].length > REPLY_LIMITS.actionCommandChars : isTooLong(text)) {
        command = 'invalid';
        result = reply({
          kind: 'error',
          title: `That message is too long (${[...text].length} characters).`,
          summary: 'Please ask in at most 500 characters, e.g. /who massoud.',
          private: true,
        });
      } else if (!text.startsWith('/') && !options.questions) {
        return null;
      } else {
        const line = text.startsWith('/') ? text : questionToCommand(text);
        const match = line === null ? null : COMMAND_LINE.exec(line);
        if (line === null) {
          command = 'question';
          result = notUnderstoodReply();
        } else if (match === null) {
          command = 'invalid';
          result = reply({
            kind: 'usage',
            title: 'Commands look like /who massoud or /where panjshir.',
            summary: 'Send /help to see every command.',
            suggestions: [{ label: '/help', command: '/help' }],
            private: true,
          });
        } else {
          const [, rawName = '', addressee, rest = ''] = match;
          if (addressee !== undefined && options.botUsername !== undefined && addressee.toLowerCase() !== options.botUsername.toLowerCase()) {
            return null;
          }
          argument = rest.trim();
          const definition = byName.get(rawName.toLowerCase());
          if (definition === undefined) {
            result = unknownCommandReply(rawName.toLowerCase(), argument);
          } else {
            command = definition.name;
            result = await run(definition, argument, context, options);
          }
        }
      }

      const outcome: CommandOutcome = result.title === apologyReply().title ? 'failed' : result.kind;
      telemetry.commandHandled({
        platform: context.chat.platform,
        chatId: context.chat.id,
        command,
        argument: echo(argument, 100),
        outcome,
        latencyMs: clock() - started,
        ...(options.updateId === undefined ? {} : { updateId: options.updateId }),
      });
      return { reply: result, command, argument };
    },

    autocomplete(commandName, optionName, partial) {
      const option = byName.get(commandName)?.options.find((o) => o.name === optionName);
      if (option?.autocomplete === undefined || deps.suggestEntities === undefined) return [];
      const query = cleanInput(partial).text;
      if (isTooLong(query)) return [];
      return deps.suggestEntities(query, option.autocomplete).slice(0, 25).map((hit) => ({
        name: shortenAtWord(`${hit.entity.label} — ${hit.entity.description}`, AUTOCOMPLETE_TEXT_LIMIT),
        value: shortenAtWord(hit.entity.label, AUTOCOMPLETE_TEXT_LIMIT),
      }));
    },
  };
}

