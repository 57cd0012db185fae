/**
 * `/sources`: every article, newest first, paged. `/sources/<id>`: the article as ingested,
 * every span the dossier cites highlighted and addressable, the outlets that carried the same
 * report, and — when asked with `?furniture=1` — the page furniture cleaning removed, greyed.
 */
import { formatDay, httpUrl } from '../../replies/format.js';
import { html, type SafeHtml } from '../html.js';
import { href, page, pager, pageSlice, quoted, type PageContext } from '../layout.js';
import { entityPath, sourcePartPath, sourcePath, SOURCES_PATH, spanAnchor } from '../routes.js';
import type { SourcePart } from './source-parts.js';
import { blockHtml } from './source-text.js';

/** Articles per page of `/sources`. */
export const SOURCES_PER_PAGE = 100;
/** Cited passages listed under an article or a part of one (all are highlighted in the text). */
export const CITED_LIST_MAX = 40;
/** Other outlets listed as carrying the same report. */
export const CARRIERS_MAX = 20;

const KIND_WORDS = {
  fact: 'fact',
  quote: 'quote',
  event: 'event',
  claim: 'claim',
  'counter-claim': 'counter-claim',
  verification: 'verification of a claim',
  description: 'description',
  link: 'link',
  conflict: 'conflicting report',
} as const;

/** The list of articles. */
export function sourcesPage(context: PageContext, asked: number): SafeHtml {
  const all = context.index.sourcesNewestFirst;
  const current = pageSlice(all, SOURCES_PER_PAGE, asked);
  const rows = current.items.map(
    (s) => html`<tr><td class="date">${formatDay(s.published)}</td><td><bdi>${s.outlet}</bdi></td><td><a href="${href(context, sourcePath(s.id))}"><bdi>${s.headline}</bdi></a></td><td class="num">${context.index.spans(s.id).length}</td></tr>`,
  );
  const main = html`<h1>Sources <span class="count">(${all.length} articles)</span></h1>
<div class="scroll"><table class="sources"><caption>Articles, newest first${current.pages > 1 ? `, page ${current.page} of ${current.pages}` : ''}</caption>
<thead><tr><th scope="col">Published</th><th scope="col">Outlet</th><th scope="col">Headline</th><th scope="col" class="num">Cited passages</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${pager(current, (n) => href(context, `${SOURCES_PATH}?page=${n}`), 'Sources pages')}`;
  return page(context, { title: 'Sources', nav: 'sources' }, main);
}

/**
 * One article (one part of a long one), or `undefined` when the id names none. `asked` is the
 * part, 1-based, clamped to the parts there are.
 */
export function sourcePage(context: PageContext, id: string, furniture: boolean, asked = 1): SafeHtml | undefined {
  const source = context.index.source(id);
  if (source === undefined) return undefined;
  const allSpans = context.index.spans(source.id);
  const parts = context.index.parts(source.id);
  const partNumber = Math.min(Math.max(1, asked), parts.length);
  const part = parts[partNumber - 1] as SourcePart;
  const inPart = (s: { start: number; end: number }) => s.start < part.end && s.end > part.start;
  // The spans this part shows (a span crossing into it from the previous part is shown as a piece).
  const spans = allSpans.filter(inPart);
  const blocks = part.blocks;
  const allBlocks = parts.flatMap((p) => p.blocks);
  const hasCitation = (b: { start: number; end: number }) => spans.some((s) => s.start < b.end && s.end > b.start);
  const shown = blocks.filter((b) => b.kind !== 'furniture' || furniture || hasCitation(b));
  const hidden = allBlocks.filter((b) => b.kind === 'furniture' && !allSpans.some((s) => s.start < b.end && s.end > b.start)).length;
  const paragraphs = shown.map((b) =>
    b.kind === 'furniture'
      ? html`<div class="furniture"><p class="why">Removed as page furniture: ${b.reason ?? 'not part of the report'}</p><p class="text" dir="auto">${blockHtml(source, b, spans)}</p></div>`
      : html`<p class="text" dir="auto">${blockHtml(source, b, spans)}</p>`,
  );
  const url = httpUrl(source.url);
  const translated = source.originalLanguage !== undefined && source.originalLanguage !== source.language ? html`, translated from <code>${source.originalLanguage}</code>` : '';
  const partHref = (n: number, withFurniture: boolean) => {
    const path = sourcePartPath(source.id, n);
    return href(context, withFurniture ? `${path}${path.includes('?') ? '&' : '?'}furniture=1` : path);
  };
  const toggle = furniture
    ? html`<a href="${partHref(partNumber, false)}">Hide page furniture</a>`
    : allBlocks.some((b) => b.kind === 'furniture')
      ? html`<a href="${partHref(partNumber, true)}">Show the page furniture cleaning removed${hidden > 0 ? ` (${hidden} passages)` : ''}</a>`
      : '';
  const carriers = context.index.carriers(source.id).slice(0, CARRIERS_MAX);
  // The passages cited from this part (each one's anchor is on this page).
  const startingHere = spans.filter((s) => s.start >= part.start);
  const cited = startingHere.slice(0, CITED_LIST_MAX).map((span) => {
    const what = span.items.slice(0, 3).map((item) => {
      const entity = item.entityId === undefined ? undefined : context.index.entity(item.entityId);
      return html`<li><span class="kind-word">${KIND_WORDS[item.kind]}</span>${entity === undefined ? '' : html` about <a href="${href(context, entityPath(entity.id))}"><bdi>${entity.label}</bdi></a>`}</li>`;
    });
    const excerpt = source.raw.slice(span.start, Math.min(span.end, span.start + 140)) + (span.end - span.start > 140 ? '…' : '');
    return html`<li><a href="#${spanAnchor(span)}">“${quoted(excerpt)}”</a><ul class="plain what">${what}</ul></li>`;
  });
  const partNav = pager({ page: partNumber, pages: parts.length }, (n) => partHref(n, furniture), 'Parts of the article');
  const partNote = parts.length > 1 ? html`<p class="part-note">This article is long: it is shown in ${parts.length} parts. This is part ${partNumber}.</p>` : '';
  const main = html`<p class="kind"><bdi>${source.outlet}</bdi> · ${formatDay(source.published)}</p>
<h1><bdi>${source.headline}</bdi>${parts.length > 1 ? html` <span class="count">(part ${partNumber} of ${parts.length})</span>` : ''}</h1>
<p class="meta">Language <code>${source.language}</code>${translated}.${url === undefined ? '' : html` Original: <a class="external" href="${url}" rel="noopener noreferrer nofollow">${url}</a>`}</p>
<p class="legend"><mark class="cite">Highlighted</mark> passages are what the dossier cites. ${toggle}</p>
${partNote}${partNav}
<article class="article" aria-label="The article as ingested${parts.length > 1 ? `, part ${partNumber} of ${parts.length}` : ''}">${paragraphs}</article>
${partNav}
${carriers.length === 0 ? '' : html`<section aria-labelledby="h-carried"><h2 id="h-carried">Also carried by</h2><p>Other articles cited for the same facts, quotes or events.</p><ul class="items">${carriers.map((c) => html`<li><a href="${href(context, sourcePath(c.source.id))}"><bdi>${c.source.outlet}</bdi>: <bdi>${c.source.headline}</bdi></a> <span class="role">${formatDay(c.source.published)}, ${c.shared} shared</span></li>`)}</ul></section>`}
${cited.length === 0 ? '' : html`<section aria-labelledby="h-cited"><h2 id="h-cited">Cited from ${parts.length > 1 ? 'this part of ' : ''}this article <span class="count">(${startingHere.length}${parts.length > 1 ? ` of ${allSpans.length}` : ''})</span></h2><ol class="items cited">${cited}</ol>${startingHere.length > CITED_LIST_MAX ? html`<p class="more">and ${startingHere.length - CITED_LIST_MAX} more passages, highlighted in the text above.</p>` : ''}</section>`}`;
  return page(context, { title: parts.length > 1 ? `${source.headline} (part ${partNumber})` : source.headline, nav: 'sources' }, main);
}
