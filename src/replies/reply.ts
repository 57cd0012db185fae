/**
 * The reply model: what every command returns and every adapter renders.
 *
 * Commands return data, not platform text. Adapters render it within their platform's limits;
 * text in it is plain (never markup) and must be escaped by the renderer.
 */

/** How the reply should be presented. */
export type ReplyKind =
  /** A normal answer. */
  | 'answer'
  /** Nothing matched; `suggestions` offer the closest names. */
  | 'not-found'
  /** The command was used wrongly; the summary says how to use it. */
  | 'usage'
  /** Something went wrong that the user can act on (bad schedule, not allowed, too long). */
  | 'error'
  /** A short acknowledgement ("Subscribed.", "Slow down"). */
  | 'notice';

/** One line of a section, with the numbers of the citations that support it. */
export interface ReplyLine {
  text: string;
  /** Citation numbers (1-based, into {@link Reply.citations}). */
  cites: number[];
  /**
   * A qualifier the renderer shows next to the line, e.g. "reported by 2 sources",
   * "disputed", "unverified".
   */
  note?: string;
  /** Where the line's subject can be read (an article's address): renderers link the line to it. */
  url?: string;
}

export interface ReplySection {
  label: string;
  lines: ReplyLine[];
}

export interface ReplyQuote {
  text: string;
  /** The speaker's name, or "Unattributed". */
  speaker: string;
  /** Human-readable date, e.g. "22 Aug 2021". */
  date?: string;
  /** How it was said: "tweeted", "in an interview with Reuters". */
  how?: string;
  cites: number[];
  note?: string;
}

/** A numbered source reference; its number is its position in the array plus one. */
export interface ReplyCitation {
  outlet: string;
  headline: string;
  /** ISO `YYYY-MM-DD`. */
  date: string;
  url?: string;
}

/**
 * A follow-up the user can take with one tap: a button on Discord and Telegram, a numbered
 * line in the console. `command` is an ordinary command line the router understands (e.g.
 * `/who id:ahmad-shah-massoud`), whole — never shortened to fit a platform. A command too long
 * for a platform's button (Telegram callback data is 64 bytes) is kept server-side under a
 * short key by that adapter.
 */
export interface ReplyAction {
  label: string;
  command: string;
}

export interface Reply {
  kind: ReplyKind;
  /** The first line a user sees. */
  title: string;
  /** A short paragraph under the title. */
  summary?: string;
  /** Citation numbers supporting the summary (rendered like a line's `cites`). */
  summaryCites?: number[];
  sections: ReplySection[];
  quotes: ReplyQuote[];
  citations: ReplyCitation[];
  /** "Did you mean …" options: each is a label and the command that asks for it. */
  suggestions: ReplyAction[];
  /** Buttons: "the other Massoud", "more quotes". */
  actions: ReplyAction[];
  /** Only the asker should see it (Discord ephemeral); errors and usage hints are private. */
  private?: boolean;
}

/** Limits on the reply model itself, whatever the platform. */
export const REPLY_LIMITS = {
  /** Longest user input the router accepts (characters). */
  inputChars: 500,
  /**
   * Longest command line an action may carry (characters): any input the router accepts plus
   * room for the `page:n` a "more" follow-up adds to it.
   */
  actionCommandChars: 540,
} as const;

/** Whether an action's command line fits {@link REPLY_LIMITS.actionCommandChars}. */
export function fitsActionLimit(action: ReplyAction): boolean {
  return [...action.command].length <= REPLY_LIMITS.actionCommandChars;
}

/**
 * Build a reply with empty collections, so commands only spell out what they use. Suggestions
 * and actions whose command line is over {@link REPLY_LIMITS.actionCommandChars} are left out
 * here, once: the router would refuse to run them.
 *
 * @example
 * const r = reply({ kind: 'notice', title: 'Subscribed.' });
 */
export function reply(partial: Partial<Reply> & Pick<Reply, 'kind' | 'title'>): Reply {
  return {
    sections: [],
    quotes: [],
    citations: [],
    ...partial,
    suggestions: (partial.suggestions ?? []).filter(fitsActionLimit),
    actions: (partial.actions ?? []).filter(fitsActionLimit),
  };
}
