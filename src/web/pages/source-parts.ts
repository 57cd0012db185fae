/**
 * A long article cut into parts, so its page stays under the 100 KB goal however large the
 * article file is.
 *
 * An article is cut between its blocks (paragraphs, furniture, the text between them), and a
 * block too large for one part is cut at a space near the limit. A part's weight estimates the
 * bytes it adds to a page: the article text as UTF-8 after escaping, plus the `<mark>` tags of
 * each span that starts in it. Parts are
 * cut the same way whether the furniture is shown or not, so a span's part never depends on the
 * reader's choice — a link to `/sources/<id>?part=N#c-<start>-<end>` holds.
 */
import type { Source } from '../../knowledge/model.js';
import type { CitedSpan } from '../dossier-index.js';
import { textBlocks, type TextBlock } from './source-text.js';

/**
 * The estimated bytes of a part's article text with its marks. The rest of the page (the
 * frame, at most 40 cited passages listed, 20 other outlets) stays under 50 KB.
 */
export const PART_BUDGET = 40_000;
/** Bytes counted for a span starting in a part: its mark tags (one more piece when it is cut). */
const SPAN_WEIGHT = 120;

/** One part of an article: the raw text from `start` to `end`, as blocks. */
export interface SourcePart {
  start: number;
  end: number;
  blocks: TextBlock[];
}

/** Bytes one UTF-16 unit of article text costs on the page, escaped, as UTF-8. */
function unitWeight(code: number): number {
  if (code === 0x26) return 5; // &amp;
  if (code === 0x3c || code === 0x3e) return 4; // &lt; &gt;
  if (code === 0x22) return 6; // &quot;
  if (code === 0x27) return 5; // &#39;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 2; // half of a 4-byte character
  return 3;
}

/**
 * The article's parts, in order, covering all its blocks; one part for an ordinary article.
 *
 * @example
 * sourceParts(source, index.spans(source.id)).length // → 1 for a 5 KB article, 8 for a 400 KB one
 */
export function sourceParts(source: Source, spans: readonly CitedSpan[], budget = PART_BUDGET): SourcePart[] {
  const raw = source.raw;
  // Span starts in order, walked once alongside the text.
  const starts = spans.map((s) => s.start).sort((a, b) => a - b);
  let nextStart = 0;
  const spanWeightBefore = (to: number): number => {
    let w = 0;
    while (nextStart < starts.length && (starts[nextStart] as number) < to) {
      w += SPAN_WEIGHT;
      nextStart += 1;
    }
    return w;
  };
  const parts: SourcePart[] = [];
  let current: TextBlock[] = [];
  let weight = 0;
  const flush = () => {
    if (current.length > 0) parts.push({ start: (current[0] as TextBlock).start, end: (current[current.length - 1] as TextBlock).end, blocks: current });
    current = [];
    weight = 0;
  };
  for (const block of textBlocks(source)) {
    // Walk the block; where the part would overflow, close it (at the last space when there is one not too far back).
    let from = block.start;
    let w = 0;
    let lastSpace = -1;
    for (let at = block.start; at < block.end; at += 1) {
      w += unitWeight(raw.charCodeAt(at)) + spanWeightBefore(at + 1);
      if (raw.charCodeAt(at) === 0x20 || raw.charCodeAt(at) === 0x0a) lastSpace = at + 1;
      if (weight + w <= budget) continue;
      if (from === block.start && current.length > 0) {
        // The block does not fit after what the part holds: it starts the next part.
        flush();
        if (w <= budget) continue;
      }
      let cut = lastSpace > from + (at - from) / 2 ? lastSpace : at;
      // Never between the two halves of a character.
      const code = raw.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff && cut > from + 1) cut -= 1;
      current.push({ ...block, start: from, end: cut });
      flush();
      from = cut;
      // The units after the cut start the next part's weight.
      w = 0;
      for (let k = cut; k <= at; k += 1) w += unitWeight(raw.charCodeAt(k));
      for (const start of starts) if (start >= cut && start <= at) w += SPAN_WEIGHT;
      lastSpace = -1;
    }
    if (block.end > from) {
      current.push({ ...block, start: from, end: block.end });
      weight += w;
    }
  }
  flush();
  return parts.length === 0 ? [{ start: 0, end: raw.length, blocks: [] }] : parts;
}

/**
 * The 1-based number of the part holding `offset` (the part a cited span starts in).
 *
 * @example
 * partOf(parts, 120_000) // → 3
 */
export function partOf(parts: readonly SourcePart[], offset: number): number {
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((parts[mid] as SourcePart).start <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
