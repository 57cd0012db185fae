/**
 * `/search?q=`: the same search the bot answers `/search` and `/who` with — names through the
 * entity index, facts and quotes through the BM25 text index — each result cited.
 */
import { cleanInput } from '../../commands/input.js';
import type { KnowledgeSearch } from '../../search/types.js';
import { html, type SafeHtml } from '../html.js';
import { citeLinks, corroboration, href, page, pager, quoted, type PageContext } from '../layout.js';
import { searchPath } from '../routes.js';
import { entityLink } from './home.js';

/** Facts per page of results. */
export const RESULTS_PER_PAGE = 25;
/** Longest query looked up (longer is cut). */
export const QUERY_MAX = 200;

/** The search page for `q` (empty: the form alone). */
export function searchPage(context: PageContext, search: KnowledgeSearch, raw: string, asked: number): SafeHtml {
  const query = [...cleanInput(raw).text.replace(/\s+/g, ' ')].slice(0, QUERY_MAX).join('');
  if (query === '') {
    return page(context, { title: 'Search', nav: 'search' }, html`<h1>Search</h1><p>Type names, places or words in the search box above: the dossier looks them up the way the bot does.</p>`);
  }
  const names = asked <= 1 ? search.suggestEntities(query, { limit: 8 }) : [];
  // One more than the page needs tells whether there is a next page.
  const hits = search.searchFacts(query, { limit: RESULTS_PER_PAGE * asked + 1 });
  const pages = asked > 1 && hits.length <= RESULTS_PER_PAGE * (asked - 1) ? Math.max(1, Math.ceil(hits.length / RESULTS_PER_PAGE)) : asked;
  const current = Math.min(asked, pages);
  const shown = hits.slice(RESULTS_PER_PAGE * (current - 1), RESULTS_PER_PAGE * current);
  const more = hits.length > RESULTS_PER_PAGE * current;
  const quotes = current === 1 ? search.searchQuotes(query, { limit: 10 }) : [];
  const main = html`<h1>Results for “<bdi>${query}</bdi>”</h1>
${names.length === 0 ? '' : html`<section aria-labelledby="h-names"><h2 id="h-names">Names</h2><ul class="items names">${names.map((n) => html`<li>${entityLink(context, n.entity)}</li>`)}</ul></section>`}
<section aria-labelledby="h-facts"><h2 id="h-facts">Facts</h2>
${shown.length === 0 ? html`<p>No fact matches these words. Try fewer or different words.</p>` : html`<ol class="items" start="${RESULTS_PER_PAGE * (current - 1) + 1}">${shown.map(({ fact }) => html`<li>${quoted(fact.text)}${fact.conflicts.length > 0 ? html` <span class="badge warn">disputed</span>` : ''}${corroboration(fact.citations)}${citeLinks(context, fact.citations)}</li>`)}</ol>`}
</section>
${quotes.length === 0 ? '' : html`<section aria-labelledby="h-quotes"><h2 id="h-quotes">Quotes</h2><ul class="items">${quotes.map(({ quote }) => {
    const speaker = quote.speakerId === null ? undefined : context.index.entity(quote.speakerId);
    return html`<li>“${quoted(quote.text)}” — ${speaker === undefined ? 'unattributed' : entityLink(context, speaker)}${citeLinks(context, quote.citations)}</li>`;
  })}</ul></section>`}
${pager({ page: current, pages: more ? current + 1 : current, unknownTotal: true }, (n) => href(context, `${searchPath(query)}&page=${n}`), 'Result pages')}`;
  return page(context, { title: `Search: ${query}`, nav: 'search', query }, main);
}
