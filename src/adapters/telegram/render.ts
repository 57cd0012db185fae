/**
 * The reply model as Telegram HTML messages (pure: no I/O).
 *
 * A reply becomes a list of blocks (title, summary, each line, each quote, each source). Each
 * block is plain text wrapped in a little markup; the text is escaped here and nowhere else, so
 * article or user text can never inject a tag. Blocks are then packed into messages of at most
 * 4096 UTF-16 units. A block too big for one message is cut on its plain text — at a paragraph,
 * then a sentence, then a word — *before* it is escaped and wrapped, so no cut ever falls inside a
 * tag or an entity (`&amp;`).
 *
 * Length is measured on the HTML source, which is never shorter than the text Telegram counts
 * after parsing, so every message is within the limit with room to spare.
 */
import escapeHtml from 'escape-html';
import { formatDay, httpUrl, shortenAtWord } from '../../replies/format.js';
import type { Reply, ReplyAction, ReplyQuote } from '../../replies/reply.js';
import { fitsCallbackData } from './callback-data.js';

/** Telegram's limits that rendering and sending respect (see docs/platforms.md). */
export const TELEGRAM_LIMITS = {
  /** Message text, in UTF-16 units. */
  messageText: 4096,
  /** `callback_data` of an inline keyboard button, in bytes. */
  callbackData: 64,
  /** `answerCallbackQuery` text. */
  callbackAnswerText: 200,
  /** Results of one `answerInlineQuery`. */
  inlineResults: 50,
  /** An inline result id, in bytes. */
  inlineResultId: 64,
  /** Commands in one `setMyCommands`. */
  commands: 100,
  /** A command's menu description. */
  commandDescription: 256,
} as const;

/** Buttons under a reply, at most this many (a long keyboard hides the answer on phones). */
const MAX_BUTTONS = 8;
/** Button labels longer than this are shortened. */
const BUTTON_LABEL_CHARS = 60;
/** Labels, speakers and notes are metadata: bounded so a block's markup always fits a message. */
const META_CHARS = 300;

/** A button under the last message: its label and the command line it runs, or the address it opens. */
export interface ReplyButton {
  label: string;
  command: string;
  /** Opens this address instead of running a command (the "Open the dossier" button). */
  url?: string;
}

/** The label of the button that opens the reply's page on the web dossier. */
export const OPEN_DOSSIER_LABEL = 'Open the dossier';

export interface RenderedReply {
  /** Telegram HTML for `parse_mode: 'HTML'`, each within {@link TELEGRAM_LIMITS.messageText}. */
  messages: string[];
  /** Rows of buttons for the last message (suggestions first, then actions). */
  buttons: ReplyButton[][];
}

export interface RenderOptions {
  /** Longest message (UTF-16 units). Default 4096; tests use smaller values. */
  maxLength?: number;
}

/**
 * One paragraph of a message: `head + open + escape(text) + close + tail`. Only `text` may be
 * cut; `head`/`tail` are finished HTML with balanced tags that go on the first/last piece, and
 * `open`/`close` wrap every piece.
 */
interface Block {
  /** Separator before the block when it follows another in the same message. */
  gap: string;
  head: string;
  open: string;
  text: string;
  close: string;
  tail: string;
}

function block(partial: Partial<Block> & Pick<Block, 'text'>): Block {
  return { gap: '\n', head: '', open: '', close: '', tail: '', ...partial };
}

function blockHtml(b: Block, text: string, first: boolean, last: boolean): string {
  return `${first ? b.head : ''}${b.open}${escapeHtml(text)}${b.close}${last ? b.tail : ''}`;
}


function citeMarks(cites: readonly number[] | undefined): string {
  return cites === undefined || cites.length === 0 ? '' : ` ${cites.map((n) => `[${n}]`).join('')}`;
}

function noteHtml(note: string | undefined): string {
  return note === undefined || note === '' ? '' : ` <i>(${escapeHtml(shortenAtWord(note, META_CHARS))})</i>`;
}

/**
 * Whether Telegram takes the address in a URL button: it refuses a host without a dot (such as
 * `localhost`) with BUTTON_URL_INVALID, which would fail the whole message. Links in the text
 * have no such check.
 */
function buttonUrlAccepted(url: string): boolean {
  return new URL(url).hostname.includes('.');
}

function quoteAttribution(quote: ReplyQuote): string {
  const details = [quote.date, quote.how].filter((p): p is string => p !== undefined && p !== '').map((p) => escapeHtml(shortenAtWord(p, META_CHARS)));
  const speaker = `<i>${escapeHtml(shortenAtWord(quote.speaker, META_CHARS))}</i>`;
  return `\n— ${[speaker, ...details].join(', ')}${citeMarks(quote.cites)}${noteHtml(quote.note)}`;
}

/** The reply as blocks, in reading order. */
function replyBlocks(reply: Reply): Block[] {
  const titleLink = httpUrl(reply.link);
  const blocks: Block[] = [
    titleLink === undefined ? block({ open: '<b>', text: reply.title, close: '</b>' }) : block({ open: `<b><a href="${escapeHtml(titleLink)}">`, text: reply.title, close: '</a></b>' }),
  ];
  if (reply.summary !== undefined && reply.summary !== '') {
    blocks.push(block({ text: reply.summary, tail: citeMarks(reply.summaryCites) }));
  }
  for (const section of reply.sections) {
    const label = `<b>${escapeHtml(shortenAtWord(section.label, META_CHARS))}</b>`;
    if (section.lines.length === 0) continue;
    section.lines.forEach((line, i) => {
      const url = httpUrl(line.url);
      blocks.push(
        block({
          gap: i === 0 ? '\n\n' : '\n',
          head: i === 0 ? `${label}\n• ` : '• ',
          open: url === undefined ? '' : `<a href="${escapeHtml(url)}">`,
          close: url === undefined ? '' : '</a>',
          text: line.text,
          tail: `${citeMarks(line.cites)}${noteHtml(line.note)}`,
        }),
      );
    });
  }
  reply.quotes.forEach((quote, i) => {
    blocks.push(
      block({
        gap: i === 0 ? '\n\n' : '\n',
        head: i === 0 && reply.quotes.length > 1 ? '<b>Quotes</b>\n' : '',
        open: '<blockquote>',
        text: `“${quote.text}”`,
        close: '</blockquote>',
        tail: quoteAttribution(quote),
      }),
    );
  });
  reply.citations.forEach((citation, i) => {
    // The dossier's cited passage when there is one; the original article's address then follows it.
    const passage = httpUrl(citation.link);
    const original = httpUrl(citation.url);
    const url = passage ?? original;
    const originalLink = passage !== undefined && original !== undefined ? ` · <a href="${escapeHtml(original)}">original</a>` : '';
    const date = /^\d{4}-\d{2}-\d{2}$/.test(citation.date) ? formatDay(citation.date) : citation.date;
    blocks.push(
      block({
        gap: i === 0 ? '\n\n' : '\n',
        head: `${i === 0 ? '<b>Sources</b>\n' : ''}${i + 1}. `,
        open: url === undefined ? '' : `<a href="${escapeHtml(url)}">`,
        text: `${citation.outlet}: ${citation.headline}`,
        close: url === undefined ? '' : '</a>',
        tail: `, ${escapeHtml(shortenAtWord(date, 40))}${originalLink}`,
      }),
    );
  });
  return blocks;
}

/** UTF-16 length of each character once escaped, as prefix sums: `sums[i]` = escaped length of `text.slice(0, i)`. */
function escapedPrefixLengths(text: string): number[] {
  const sums = [0];
  for (let i = 0; i < text.length; i += 1) sums.push((sums[i] ?? 0) + escapeHtml(text.charAt(i)).length);
  return sums;
}

const PARAGRAPH = /\n\s*\n/g;
const LINE = /\n/g;
const SENTENCE = /[.!?…。؟][”"’'»)\]]*\s+/g;
const WORD = /\s+/g;

/** The end of the last match of `pattern` in `text` that lies after `min`, or -1. */
function lastBoundary(text: string, pattern: RegExp, min: number): number {
  let best = -1;
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (match.index >= min && end <= text.length) best = end;
  }
  return best;
}

/**
 * Where to cut `text` so that its first part escapes to at most `budget` units: the last
 * paragraph break, else sentence end, else space in the allowed prefix (each only if it keeps
 * a reasonable part), else a hard cut that never splits a surrogate pair.
 */
export function cutPoint(text: string, budget: number): number {
  const sums = escapedPrefixLengths(text);
  let fit = 0;
  while (fit < text.length && (sums[fit + 1] ?? Infinity) <= budget) fit += 1;
  if (fit >= text.length) return text.length;
  // Never leave half of a surrogate pair at the end of a piece.
  if (fit > 0 && /[\uD800-\uDBFF]/.test(text.charAt(fit - 1))) fit -= 1;
  const prefix = text.slice(0, fit);
  const floor = Math.floor(fit * 0.3);
  for (const pattern of [PARAGRAPH, LINE, SENTENCE]) {
    const at = lastBoundary(prefix, pattern, floor);
    if (at > 0) return at;
  }
  const word = lastBoundary(prefix, WORD, 1);
  return word > 0 ? word : Math.max(fit, 1);
}

/** Cut one block into pieces of HTML that each fit `max` (the first one `firstMax`). */
function splitBlock(b: Block, max: number, firstMax = max): string[] {
  const pieces: string[] = [];
  let rest = b.text;
  let first = true;
  for (;;) {
    const limit = first ? firstMax : max;
    const whole = blockHtml(b, rest, first, true);
    if (whole.length <= limit) {
      pieces.push(whole);
      return pieces;
    }
    const overhead = blockHtml(b, '', first, false).length;
    const budget = limit - overhead;
    if (budget < 16) throw new Error(`A reply block's markup alone is ${overhead} units: more than a ${max}-unit message can hold.`);
    const cut = cutPoint(rest, budget);
    const piece = rest.slice(0, cut).trimEnd();
    pieces.push(blockHtml(b, piece === '' ? rest.slice(0, cut) : piece, first, false));
    rest = rest.slice(cut).trimStart();
    first = false;
    if (rest === '') {
      // Only the tail is left: it goes after the last piece if it fits, else on its own.
      const tail = b.tail.replace(/^\n/, '');
      if (tail === '') return pieces;
      const lastIndex = pieces.length - 1;
      const joined = `${pieces[lastIndex] ?? ''}${b.tail}`;
      if (joined.length <= max) pieces[lastIndex] = joined;
      else pieces.push(tail);
      return pieces;
    }
  }
}

/** A huge block starts in the current message only when at least this much room is left. */
const FILL_AT_LEAST = 500;

/** Pack blocks into as few messages as possible, in order, each at most `max` units. */
function pack(blocks: readonly Block[], max: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const b of blocks) {
    const html = blockHtml(b, b.text, true, true);
    if (current !== '' && current.length + b.gap.length + html.length <= max) {
      current += b.gap + html;
      continue;
    }
    if (html.length > max && current !== '' && max - current.length - b.gap.length >= FILL_AT_LEAST) {
      // A block that needs several messages anyway starts in the room left in this one.
      const pieces = splitBlock(b, max, max - current.length - b.gap.length);
      messages.push(current + b.gap + (pieces[0] ?? ''), ...pieces.slice(1, -1));
      current = pieces.length > 1 ? (pieces.at(-1) ?? '') : '';
      continue;
    }
    if (current !== '') messages.push(current);
    if (html.length <= max) {
      current = html;
      continue;
    }
    const pieces = splitBlock(b, max);
    messages.push(...pieces.slice(0, -1));
    current = pieces.at(-1) ?? '';
  }
  if (current !== '') messages.push(current);
  return messages;
}

/**
 * Suggestions first, then actions; duplicates, empty commands and commands that are no valid
 * callback data dropped; at most {@link MAX_BUTTONS}.
 */
function buttonsOf(reply: Reply): ReplyButton[][] {
  const seen = new Set<string>();
  const rows: ReplyButton[][] = [];
  const add = (action: ReplyAction) => {
    const command = action.command.trim();
    if (!fitsCallbackData(command) || seen.has(command) || seen.size >= MAX_BUTTONS) return;
    seen.add(command);
    rows.push([{ label: shortenAtWord(action.label.trim() === '' ? command : action.label, BUTTON_LABEL_CHARS), command }]);
  };
  reply.suggestions.forEach(add);
  reply.actions.forEach(add);
  const page = httpUrl(reply.link);
  if (page !== undefined && buttonUrlAccepted(page)) rows.push([{ label: OPEN_DOSSIER_LABEL, command: '', url: page }]);
  return rows;
}

/**
 * Render a reply as Telegram HTML messages plus the buttons for the last one.
 *
 * @example
 * const { messages, buttons } = renderReply(reply({ kind: 'notice', title: 'Subscribed.' }));
 * // messages → ['<b>Subscribed.</b>'], buttons → []
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): RenderedReply {
  const max = options.maxLength ?? TELEGRAM_LIMITS.messageText;
  return { messages: pack(replyBlocks(reply), max), buttons: buttonsOf(reply) };
}

/** What an inline result sends: one message, shortened with a note when the reply needs several. */
export interface SingleMessage {
  html: string;
  shortened: boolean;
}

const SHORTENED_NOTE = '\n\n<i>Shortened — ask me in a private chat for the full answer.</i>';

/**
 * Render a reply as exactly one message (inline mode can send only one).
 *
 * @example
 * renderSingleMessage(answer).html.length <= 4096 // → true
 */
export function renderSingleMessage(reply: Reply, options: RenderOptions = {}): SingleMessage {
  const max = options.maxLength ?? TELEGRAM_LIMITS.messageText;
  const blocks = replyBlocks(reply);
  const full = pack(blocks, max);
  if (full.length <= 1) return { html: full[0] ?? '', shortened: false };
  const [first = ''] = pack(blocks, max - SHORTENED_NOTE.length);
  return { html: `${first}${SHORTENED_NOTE}`, shortened: true };
}

/** Plain text of one line for answers that cannot carry markup (callback query toasts). */
export function plainLine(text: string, max: number): string {
  return shortenAtWord(text.replace(/\s+/g, ' ').trim(), max);
}
