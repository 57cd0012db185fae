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

/**
 * The address of a cited span: `/sources/<id>#c-<start>-<end>`, or the source page alone
 * when the span is empty (a reference to the whole article).
 */
export function citationPath(citation: Pick<Citation, 'sourceId' | 'start' | 'end'>): string {
  const page = sourcePath(citation.sourceId);
  return citation.end > citation.start ? `${page}#${spanAnchor(citation)}` : page;
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
