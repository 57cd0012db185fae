/**
 * An article's text as HTML with every cited span highlighted and addressable.
 *
 * The raw text is cut into blocks: the paragraphs cleaning kept, the furniture it removed (with
 * its reason), and any text between them. Cited spans become `<mark id="c-<start>-<end>">`, so
 * `/sources/<id>#c-<start>-<end>` scrolls to the span and CSS `:target` marks it with JavaScript
 * off. Spans may nest (a quote inside a sentence); a span that crosses another's end, or a
 * block's, is cut in pieces: the first carries the id, the rest `data-c` naming it, so the
 * script can mark them all.
 */
import type { Source } from '../../knowledge/model.js';
import { html, SafeHtml } from '../html.js';
import type { CitedSpan } from '../dossier-index.js';
import { spanAnchor } from '../routes.js';
import escapeHtml from 'escape-html';

/** A run of the article's text, shown as one paragraph. */
export interface TextBlock {
  start: number;
  end: number;
  kind: 'body' | 'furniture' | 'other';
  /** Why cleaning removed it (furniture only). */
  reason?: string;
}

interface Piece {
  start: number;
  end: number;
  /** The span's anchor: as `id` on its first piece, as `data-c` on the others. */
  anchor: string;
  first: boolean;
}

/** The article cut into blocks that cover every non-blank character, in order. */
export function textBlocks(source: Source): TextBlock[] {
  const marked: TextBlock[] = [
    ...source.body.map((b) => ({ start: b.start, end: b.end, kind: 'body' as const })),
    ...source.removed.map((r) => ({ start: r.start, end: r.end, kind: 'furniture' as const, reason: r.reason })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const blocks: TextBlock[] = [];
  let cursor = 0;
  const gap = (end: number) => {
    if (end > cursor && source.raw.slice(cursor, end).trim() !== '') blocks.push({ start: cursor, end, kind: 'other' });
  };
  for (const block of marked) {
    const start = Math.max(block.start, cursor);
    const end = Math.min(block.end, source.raw.length);
    if (end <= start) continue;
    gap(start);
    blocks.push({ ...block, start, end });
    cursor = end;
  }
  gap(source.raw.length);
  return blocks;
}

/** The spans of one block as non-crossing pieces, sorted for nesting (start ascending, longest first). */
function pieces(spans: readonly CitedSpan[], block: TextBlock): Piece[] {
  const queue: Piece[] = spans
    .filter((s) => s.start < block.end && s.end > block.start)
    .map((s) => ({ start: Math.max(s.start, block.start), end: Math.min(s.end, block.end), anchor: spanAnchor(s), first: s.start >= block.start }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Piece[] = [];
  const open: Piece[] = [];
  for (let i = 0; i < queue.length; i += 1) {
    const piece = queue[i] as Piece;
    while (open.length > 0 && (open[open.length - 1] as Piece).end <= piece.start) open.pop();
    const top = open[open.length - 1];
    if (top !== undefined && piece.end > top.end) {
      // Crosses the end of the span it starts in: keep the part inside, queue the rest.
      const rest: Piece = { start: top.end, end: piece.end, anchor: piece.anchor, first: false };
      piece.end = top.end;
      let at = i + 1;
      while (at < queue.length && ((queue[at] as Piece).start < rest.start || ((queue[at] as Piece).start === rest.start && (queue[at] as Piece).end >= rest.end))) at += 1;
      queue.splice(at, 0, rest);
    }
    if (piece.end > piece.start) {
      out.push(piece);
      open.push(piece);
    }
  }
  return out;
}

/**
 * One block's text as HTML: escaped, with `<mark>`s for the cited spans in it.
 *
 * @example
 * blockHtml(source, block, index.spans(source.id)).value // → 'The Taliban <mark class="cite" id="c-80-120">…</mark>'
 */
export function blockHtml(source: Source, block: TextBlock, spans: readonly CitedSpan[]): SafeHtml {
  const raw = source.raw;
  let out = '';
  let position = block.start;
  const stack: Piece[] = [];
  const text = (to: number) => {
    if (to > position) out += escapeHtml(raw.slice(position, to));
    position = Math.max(position, to);
  };
  const close = () => {
    const top = stack.pop() as Piece;
    text(top.end);
    out += '</mark>';
  };
  for (const piece of pieces(spans, block)) {
    while (stack.length > 0 && (stack[stack.length - 1] as Piece).end <= piece.start) close();
    text(piece.start);
    out += piece.first ? html`<mark class="cite" id="${piece.anchor}" tabindex="-1">`.value : html`<mark class="cite" data-c="${piece.anchor}">`.value;
    stack.push(piece);
  }
  while (stack.length > 0) close();
  text(block.end);
  return new SafeHtml(out);
}
