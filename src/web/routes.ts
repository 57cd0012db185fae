/**
 * The web dossier's addresses, built in one place so pages and chat answers link alike.
 *
 * Every path is relative to the dossier's root (`/`); {@link absolute} puts `PUBLIC_URL` in
 * front. A cited span is addressed as `/sources/<id>#c-<start>-<end>`, with offsets into the
 * article file's text exactly as the knowledge base's citations count them.
 */
import type { Citation } from '../knowledge/model.js';

/** The story's front page. */
export const HOME_PATH = '/';
export const TIMELINE_PATH = '/timeline';
export const CLAIMS_PATH = '/claims';
export const SOURCES_PATH = '/sources';
export const SEARCH_PATH = '/search';
/** The documentation's index. */
export const DOCS_PATH = '/docs';

/** `/docs/<page>`: a page of the project's documentation (`readme`, `deploying`, …). */
export function docPath(name: string): string {
  return `${DOCS_PATH}/${encodeURIComponent(name)}`;
}

/** `/entities/<id>`. */
export function entityPath(id: string): string {
  return `/entities/${encodeURIComponent(id)}`;
}

/** `/sources/<id>`. */
export function sourcePath(id: string): string {
  return `${SOURCES_PATH}/${encodeURIComponent(id)}`;
}

/** The element id of a cited span on its source page: `c-<start>-<end>`. */
export function spanAnchor(span: { start: number; end: number }): string {
  return `c-${span.start}-${span.end}`;
}

/** `/sources/<id>`, or `/sources/<id>?part=N` for a later part of a long article. */
export function sourcePartPath(id: string, part: number): string {
  return part > 1 ? `${sourcePath(id)}?part=${part}` : sourcePath(id);
}

/**
 * The address of a cited span: `/sources/<id>#c-<start>-<end>` (`/sources/<id>?part=N#c-…`
 * when the span lies in part N of a long article), or the source page alone when the span is
 * empty (a reference to the whole article).
 */
export function citationPath(citation: Pick<Citation, 'sourceId' | 'start' | 'end'>, part = 1): string {
  if (citation.end <= citation.start) return sourcePath(citation.sourceId);
  return `${sourcePartPath(citation.sourceId, part)}#${spanAnchor(citation)}`;
}

/** `/search?q=<words>`. */
export function searchPath(query: string): string {
  return `${SEARCH_PATH}?q=${encodeURIComponent(query)}`;
}

/**
 * `path` under the public root, e.g. `absolute('https://dossier.example/panjshir/', '/timeline')`
 * → `https://dossier.example/panjshir/timeline`.
 */
export function absolute(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
