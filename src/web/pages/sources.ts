/**
 * `/sources`: every article, newest first, paged. `/sources/<id>`: the article as ingested,
 * every span the dossier cites highlighted and addressable, the outlets that carried the same
 * report, and — when asked with `?furniture=1` — the page furniture cleaning removed, greyed.
 */
import { formatDay } from '../../replies/format.js';
import { html, type SafeHtml } from '../html.js';
import { href, page, pager, pageSlice, quoted, type PageContext } from '../layout.js';
import { entityPath, sourcePath, SOURCES_PATH, spanAnchor } from '../routes.js';
import { blockHtml, textBlocks } from './source-text.js';

/** Articles per page of `/sources`. */
export const SOURCES_PER_PAGE = 100;
/** Cited passages listed under an article (all are highlighted in the text). */
export const CITED_LIST_MAX = 200;
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

/** Only http(s) addresses become links. */
function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

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

/** One article, or `undefined` when the id names none. */
export function sourcePage(context: PageContext, id: string, furniture: boolean): SafeHtml | undefined {
  const source = context.index.source(id);
  if (source === undefined) return undefined;
  const spans = context.index.spans(source.id);
  const blocks = textBlocks(source);
  const hasCitation = (b: { start: number; end: number }) => spans.some((s) => s.start < b.end && s.end > b.start);
  const shown = blocks.filter((b) => b.kind !== 'furniture' || furniture || hasCitation(b));
  const hidden = blocks.length - shown.length;
  const paragraphs = shown.map((b) =>
    b.kind === 'furniture'
      ? html`<div class="furniture"><p class="why">Removed as page furniture: ${b.reason ?? 'not part of the report'}</p><p class="text" dir="auto">${blockHtml(source, b, spans)}</p></div>`
      : html`<p class="text" dir="auto">${blockHtml(source, b, spans)}</p>`,
  );
  const url = safeUrl(source.url);
  const translated = source.originalLanguage !== undefined && source.originalLanguage !== source.language ? html`, translated from <code>${source.originalLanguage}</code>` : '';
  const toggle = furniture
    ? html`<a href="${href(context, sourcePath(source.id))}">Hide page furniture</a>`
    : blocks.some((b) => b.kind === 'furniture')
      ? html`<a href="${href(context, `${sourcePath(source.id)}?furniture=1`)}">Show the page furniture cleaning removed${hidden > 0 ? ` (${hidden} passages)` : ''}</a>`
      : '';
  const carriers = context.index.carriers(source.id).slice(0, CARRIERS_MAX);
  const cited = spans.slice(0, CITED_LIST_MAX).map((span) => {
    const what = span.items.slice(0, 3).map((item) => {
      const entity = item.entityId === undefined ? undefined : context.index.entity(item.entityId);
      return html`<li><span class="kind-word">${KIND_WORDS[item.kind]}</span>${entity === undefined ? '' : html` about <a href="${href(context, entityPath(entity.id))}"><bdi>${entity.label}</bdi></a>`}</li>`;
    });
    const excerpt = source.raw.slice(span.start, Math.min(span.end, span.start + 140)) + (span.end - span.start > 140 ? '…' : '');
    return html`<li><a href="#${spanAnchor(span)}">“${quoted(excerpt)}”</a><ul class="plain what">${what}</ul></li>`;
  });
  const main = html`<p class="kind"><bdi>${source.outlet}</bdi> · ${formatDay(source.published)}</p>
<h1><bdi>${source.headline}</bdi></h1>
<p class="meta">Language <code>${source.language}</code>${translated}.${url === undefined ? '' : html` Original: <a class="external" href="${url}" rel="noopener noreferrer nofollow">${url}</a>`}</p>
<p class="legend"><mark class="cite">Highlighted</mark> passages are what the dossier cites. ${toggle}</p>
<article class="article" aria-label="The article as ingested">${paragraphs}</article>
${carriers.length === 0 ? '' : html`<section aria-labelledby="h-carried"><h2 id="h-carried">Also carried by</h2><p>Other articles cited for the same facts, quotes or events.</p><ul class="items">${carriers.map((c) => html`<li><a href="${href(context, sourcePath(c.source.id))}"><bdi>${c.source.outlet}</bdi>: <bdi>${c.source.headline}</bdi></a> <span class="role">${formatDay(c.source.published)}, ${c.shared} shared</span></li>`)}</ul></section>`}
${cited.length === 0 ? '' : html`<section aria-labelledby="h-cited"><h2 id="h-cited">Cited from this article <span class="count">(${spans.length})</span></h2><ol class="items cited">${cited}</ol></section>`}`;
  return page(context, { title: source.headline, nav: 'sources' }, main);
}
