/**
 * Small text tools the extraction stages share: citations of sentences, the mentions within a
 * span, content words for similarity, stable ids. (Whitespace tidying is `tidyWhitespace` in text.ts.)
 */
import type { Citation } from './model.js';
import type { Mention, Sentence } from './sentence.js';

/** The citation of a whole sentence: exactly its span of the raw text. */
export function citationOf(sentence: Sentence): Citation {
  return { sourceId: sentence.sourceId, start: sentence.start, end: sentence.end, text: sentence.text };
}

/** Mentions that fall inside `[start, end)` of a source. */
export function mentionsWithin(mentions: readonly Mention[], sourceId: string, start: number, end: number): Mention[] {
  return mentions.filter((m) => m.sourceId === sourceId && m.start >= start && m.end <= end);
}

/** Index mentions by source so per-sentence lookups stay cheap on large stories. */
export function mentionsBySource(mentions: Mention[]): Map<string, Mention[]> {
  const bySource = new Map<string, Mention[]>();
  for (const m of mentions) {
    const list = bySource.get(m.sourceId) ?? [];
    list.push(m);
    bySource.set(m.sourceId, list);
  }
  return bySource;
}

const STOPWORDS = new Set(
  ('a an the and or but nor of in on at to for from by with as that this these those it its is are was were be been ' +
    'being has have had having he she they them their his her we our you your i who whom which what when where while ' +
    'than then there here also not no so such into over under about after before between during since until up down ' +
    'out off only just still very more most some any all both either neither each other one two three would could ' +
    'should will shall may might can do does did rather well even per via')
    .split(' '),
);

/**
 * Words that name the same happening, folded to one token so "encircled" matches
 * "surrounded" and "overnight" matches "at night".
 */
const SYNONYMS: Record<string, string> = {
  encircled: 'surround', encircle: 'surround', encircles: 'surround', encirclement: 'surround',
  surrounded: 'surround', surrounds: 'surround', surrounding: 'surround', besieged: 'surround', siege: 'surround',
  killed: 'kill', kill: 'kill', murdered: 'kill', murder: 'kill', assassinated: 'kill', assassination: 'kill',
  slain: 'kill', died: 'kill', death: 'kill',
  clashes: 'clash', clash: 'clash', clashed: 'clash', fighting: 'clash', battles: 'clash', battle: 'clash',
  overnight: 'night', night: 'night',
  retook: 'capture', retakes: 'capture', retake: 'capture', regained: 'capture', regain: 'capture',
  seized: 'capture', captured: 'capture', capture: 'capture', takeover: 'capture',
  conquer: 'conquer', conquered: 'conquer', penetrated: 'conquer',
  collapse: 'collapse', collapsed: 'collapse', fell: 'collapse', fall: 'collapse',
  invasion: 'invade', invaded: 'invade', invade: 'invade',
  soviets: 'soviet', soviet: 'soviet', ussr: 'soviet',
  fighters: 'fighter', gunmen: 'fighter', militants: 'fighter', forces: 'force',
  said: 'say', says: 'say', saying: 'say', told: 'say', tweeted: 'say', announced: 'say', announcement: 'say',
  districts: 'district', provinces: 'province',
};

/** Lower-case content words of a text, stop words dropped, synonyms and plurals folded. */
export function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’']s\b/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
  return new Set(words.map((w) => SYNONYMS[w] ?? (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w)));
}

/** Shared words over the smaller set (overlap coefficient), 0–1. */
export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size);
}

/** A short stable hash (FNV-1a, base 36) for ids that survive a rebuild of the same sources. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
