/**
 * The frame every page shares: one stylesheet and one small script from `/assets/`, a header
 * with the story's name, the navigation and the search box, the page's `<main>`, and a footer
 * pointing at the documentation. Landmarks (banner, navigation, search, main, contentinfo) and
 * a skip link make it usable with a keyboard and a screen reader.
 */
import type { Citation } from '../knowledge/model.js';
import { html, join, type HtmlValue, type SafeHtml } from './html.js';
import type { DossierIndex } from './dossier-index.js';
import { citationPath, CLAIMS_PATH, docPath, DOCS_PATH, HOME_PATH, SEARCH_PATH, SOURCES_PATH, TIMELINE_PATH } from './routes.js';

/** Bump when the CSS or script changes, so browsers fetch the new one. */
export const ASSET_VERSION = '4';

/** What every page renders with. */
export interface PageContext {
  index: DossierIndex;
  /**
   * The way from this page back to the dossier's root, `./` or `../`: links are relative so
   * the dossier works behind a proxy that serves it under a path (PUBLIC_URL with a path).
   */
  root: string;
}

/** A root-relative path as a link from the current page. */
export function href(context: PageContext, path: string): string {
  return `${context.root}${path.replace(/^\//, '')}`;
}

export type NavItem = 'story' | 'timeline' | 'claims' | 'sources' | 'search' | 'none';

const NAV: Array<{ id: NavItem; label: string; path: string }> = [
  { id: 'story', label: 'Story', path: HOME_PATH },
  { id: 'timeline', label: 'Timeline', path: TIMELINE_PATH },
  { id: 'claims', label: 'Claims', path: CLAIMS_PATH },
  { id: 'sources', label: 'Sources', path: SOURCES_PATH },
];

/** The documentation pages the footer links to (served read-only at `/docs/<page>`, see pages/docs.ts). */
const DOCS: Array<{ name: string; label: string }> = [
  { name: 'web-dossier', label: 'this web dossier' },
  { name: 'knowledge-pipeline', label: 'how articles become facts' },
  { name: 'search-and-performance', label: 'search' },
  { name: 'deploying', label: 'running it' },
  { name: 'readme', label: 'about Dossier' },
];

export interface PageOptions {
  /** The document title's first part (the story's name follows). */
  title: string;
  nav: NavItem;
  /** The search box's current words. */
  query?: string;
}

/**
 * A whole HTML document around `main`.
 *
 * @example
 * page(context, { title: 'Timeline', nav: 'timeline' }, html`<h1>Timeline</h1>`)
 */
export function page(context: PageContext, options: PageOptions, main: SafeHtml): SafeHtml {
  const story = context.index.kb.story.title;
  const nav = NAV.map(
    (item) => html`<li><a href="${href(context, item.path)}"${item.id === options.nav ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · ${story}</title>
<link rel="stylesheet" href="${href(context, `/assets/dossier.css?v=${ASSET_VERSION}`)}">
<link rel="icon" href="${href(context, `/assets/favicon.svg?v=${ASSET_VERSION}`)}" type="image/svg+xml">
<script src="${href(context, `/assets/dossier.js?v=${ASSET_VERSION}`)}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<div class="bar">
<p class="brand"><a href="${href(context, HOME_PATH)}"><span class="logo" aria-hidden="true">§</span> Dossier</a> <span class="story"><bdi>${story}</bdi></span></p>
<nav aria-label="Dossier"><ul>${nav}</ul></nav>
<form class="search" role="search" action="${href(context, SEARCH_PATH)}" method="get">
<label for="q">Search the story</label>
<input id="q" name="q" type="search" maxlength="200" value="${options.query ?? ''}" placeholder="names, places, words">
<button type="submit">Search</button>
</form>
</div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site">
<p>Every line on these pages is cited to the exact words of an article; follow a source link to read them highlighted.</p>
<p>Documentation: ${join(
    DOCS.map((d) => html`<a href="${href(context, docPath(d.name))}">${d.label}</a>`),
    html`, `,
  )}; <a href="${href(context, DOCS_PATH)}">all pages</a>.</p>
</footer>
</body>
</html>
`;
}

/** Article text shown inline: isolated, so a right-to-left override inside it cannot reorder the page around it. */
export function quoted(text: string): SafeHtml {
  return html`<bdi>${text}</bdi>`;
}

/**
 * Links to the cited spans, grouped by source: the outlet's name opens its first cited span,
 * small numbers open its other ones. At most `max` sources, then a count.
 */
export function citeLinks(context: PageContext, citations: readonly Citation[], max = 6): SafeHtml {
  const bySource = new Map<string, Citation[]>();
  const seen = new Set<string>();
  for (const c of citations) {
    const key = `${c.sourceId}:${c.start}:${c.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = bySource.get(c.sourceId);
    if (list === undefined) bySource.set(c.sourceId, [c]);
    else list.push(c);
  }
  if (bySource.size === 0) return html``;
  const groups = [...bySource].slice(0, max).map(([sourceId, spans]) => {
    const outlet = context.index.source(sourceId)?.outlet ?? sourceId;
    const [first, ...others] = spans as [Citation, ...Citation[]];
    const extra = others.map((c, i) => html`<a class="again" href="${href(context, citationPath(c, context.index.partOf(c.sourceId, c.start)))}" aria-label="${outlet}, passage ${i + 2}">${i + 2}</a>`);
    return html`<span class="cite"><a href="${href(context, citationPath(first, context.index.partOf(first.sourceId, first.start)))}"><bdi>${outlet}</bdi></a>${extra}</span>`;
  });
  const more = bySource.size > max ? html` <span class="more">and ${bySource.size - max} more sources</span>` : '';
  return html` <span class="cites"><span class="visually-hidden">Sources: </span>${join(groups, ' ')}${more}</span>`;
}

/** "reported by 3 sources" when more than one outlet carries it. */
export function corroboration(citations: readonly Citation[]): HtmlValue {
  const outlets = new Set(citations.map((c) => c.sourceId)).size;
  return outlets > 1 ? html` <span class="badge">reported by ${outlets} sources</span>` : '';
}

/** Page `n` of a list, 1-based, clamped to the pages that exist. */
export function pageSlice<T>(items: readonly T[], perPage: number, asked: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const current = Math.min(Math.max(1, asked), pages);
  return { items: items.slice((current - 1) * perPage, current * perPage), page: current, pages };
}

/** Previous / next links for a paginated list; `link(n)` is the address of page n (`unknownTotal`: only whether a next page exists is known). */
export function pager(current: { page: number; pages: number; unknownTotal?: boolean }, link: (n: number) => string, label: string): HtmlValue {
  if (current.pages <= 1) return '';
  const prev = current.page > 1 ? html`<a rel="prev" href="${link(current.page - 1)}">← Previous</a>` : html`<span aria-hidden="true"></span>`;
  const next = current.page < current.pages ? html`<a rel="next" href="${link(current.page + 1)}">Next →</a>` : html`<span aria-hidden="true"></span>`;
  const where = current.unknownTotal === true ? `Page ${current.page}` : `Page ${current.page} of ${current.pages}`;
  return html`<nav class="pager" aria-label="${label}">${prev}<span>${where}</span>${next}</nav>`;
}
