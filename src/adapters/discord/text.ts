/**
 * Text helpers for Discord: escaping markdown and mentions in text that comes from users or
 * articles, and shortening text on sentence or word boundaries within a length limit.
 *
 * Lengths are counted in UTF-16 units (`string.length`), which is never less than Discord's own
 * count, so a text that fits here fits on Discord.
 */
import { escapeMarkdown } from 'discord.js';

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Make text safe to show in a message or embed: markdown cannot format it, and `@everyone`,
 * `@here`, `<@user>`, `<@&role>` and `<#channel>` show as plain text instead of mentions.
 * (`allowedMentions: { parse: [] }` on the client is what stops pings; this keeps the text from
 * even looking like one.)
 *
 * @example
 * escapeDiscordText('**@everyone** <@&123>') // → '\\*\\*@\u200beveryone\\*\\* <\u200b@&123>'
 */
export function escapeDiscordText(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  return escaped.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

/** A text cut in two: `head` fits the limit, `rest` is what did not fit ("" when all fit). */
export interface TextSplit {
  head: string;
  rest: string;
}

const SENTENCE_END = /[.!?…。؟][)"'”’»]*\s+/g;

/** Never split a surrogate pair: step back over a low surrogate. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return index > 0 && code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * Split text so the head is at most `max` characters, cutting at the last sentence end in the
 * second half of the window, else at the last space, else (one giant word) anywhere safe. A cut
 * inside a sentence is marked with "…" on both sides.
 *
 * @example
 * splitText('One. Two three four.', 12) // → { head: 'One.', rest: 'Two three four.' }
 */
export function splitText(text: string, max: number): TextSplit {
  if (text.length <= max) return { head: text, rest: '' };
  if (max < 2) return { head: text.slice(0, safeIndex(text, Math.max(max, 0))), rest: text };
  const window = text.slice(0, max + 1);
  let sentenceCut = -1;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].trimEnd().length;
    if (end <= max && end >= max * 0.5) sentenceCut = end;
  }
  if (sentenceCut > 0) return { head: text.slice(0, sentenceCut).trimEnd(), rest: text.slice(sentenceCut).trimStart() };

  const room = max - 1; // for the "…"
  const space = text.lastIndexOf(' ', room);
  const cut = space >= room * 0.3 ? space : safeIndex(text, room);
  return { head: `${text.slice(0, cut).trimEnd()}…`, rest: `…${text.slice(cut).trimStart()}` };
}

/**
 * Shorten text to at most `max` characters on a sentence or word boundary ("…" marks a cut).
 *
 * @example
 * shorten('Ahmad Massoud, leader of the resistance', 20) // → 'Ahmad Massoud,…'
 */
export function shorten(text: string, max: number): string {
  return splitText(text, max).head;
}

/**
 * Escape raw text and split it so that every escaped piece is at most `max` characters. Escaping
 * adds backslashes, so the raw text is cut first and the budget tightened until the escaped piece
 * fits; a backslash is never separated from the character it escapes.
 */
export function chunkEscaped(raw: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = raw;
  while (rest.length > 0) {
    let budget = Math.min(rest.length, max);
    let split = splitText(rest, budget);
    let escaped = escapeDiscordText(split.head);
    while (escaped.length > max && budget > 1) {
      budget = Math.max(1, budget - (escaped.length - max) - 1);
      split = splitText(rest, budget);
      escaped = escapeDiscordText(split.head);
    }
    pieces.push(escaped);
    if (split.rest.length >= rest.length) break; // cannot shrink further; stop rather than loop
    rest = split.rest;
  }
  return pieces.length === 0 ? [''] : pieces;
}

/** Escape and shorten raw text to at most `max` characters. */
export function escapeAndShorten(raw: string, max: number): string {
  return chunkEscaped(raw, max)[0] ?? '';
}
