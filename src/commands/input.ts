/**
 * Cleaning what users type before any command sees it.
 *
 * Chat text can carry control characters, bidirectional overrides (which can make a reply
 * display in a misleading order), zero-width characters and arbitrary length. Right-to-left
 * letters themselves (Dari, Pashto, Arabic) are ordinary text and are kept.
 */
import { REPLY_LIMITS } from '../replies/reply.js';

// C0/C1 controls except tab and newline; bidi embeddings/overrides/isolates; zero-width and BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export interface CleanInput {
  text: string;
  /** `true` when characters were removed (the reply may say so). */
  stripped: boolean;
}

/**
 * Remove control and invisible formatting characters, fold whitespace runs, trim.
 *
 * @example
 * cleanInput('/who\u202E massoud\u0000') // → { text: '/who massoud', stripped: true }
 */
export function cleanInput(raw: string): CleanInput {
  // A carriage return is a line break (CRLF, or a lone CR pasted from an old program), not junk.
  const lines = raw.replace(/\r\n?/g, '\n');
  const withoutUnsafe = lines.replace(UNSAFE_CHARS, '');
  const text = withoutUnsafe.replace(/[\t ]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  return { text, stripped: withoutUnsafe.length !== lines.length };
}

/** Whether input is longer than the router accepts. Length in characters (code points). */
export function isTooLong(text: string): boolean {
  return [...text].length > REPLY_LIMITS.inputChars;
}

/**
 * Shorten user text for echoing it back ("No match for …"): one line, at most `max` characters,
 * cut at a word boundary where possible.
 */
export function echo(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = [...oneLine];
  if (chars.length <= max) return oneLine;
  const cut = chars.slice(0, max).join('');
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
