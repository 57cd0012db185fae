/**
 * `/entities/<id>`: everything `/who` or `/where` knows about an entity, whole — description,
 * aliases and native spellings, links to other entities, every fact, quote, event, claim and
 * conflicting report, each with its citations. Long lists are paged together (`?page=2`).
 *
 * `/entities?type=person`: every entity of a type, most mentioned first, paged.
 */
import { knowledgeLookup } from '../../commands/kb-lookup.js';
import type { Entity, EntityType, Quote } from '../../knowledge/model.js';
import { formatDateRef } from '../../replies/format.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { citeLinks, corroboration, href, page, pager, pageSlice, quoted, type PageContext } from '../layout.js';
import { entityPath } from '../routes.js';
import { entityLink } from './home.js';

/** Items of each list per page. */
export const ENTITY_ITEMS_PER_PAGE = 40;
/** Entities per page of `/entities`. */
export const ENTITY_LIST_PER_PAGE = 100;

const TYPE_WORDS: Record<EntityType, string> = { person: 'Person', place: 'Place', organisation: 'Organisation' };

function quoteItem(context: PageContext, quote: Quote, speaker: boolean): SafeHtml {
  const who = quote.speakerId === null ? undefined : context.index.entity(quote.speakerId);
  const by = speaker ? (who === undefined ? html`<span class="role">Unattributed${quote.speakerText === undefined ? '' : html`: <bdi>${quote.speakerText}</bdi>`}</span>` : entityLink(context, who)) : '';
  const details = [quote.date === undefined ? undefined : formatDateRef(quote.date), quote.mode, quote.context].filter((d): d is string => d !== undefined && d !== '');
  return html`<li><blockquote><p>“${quoted(quote.text)}”</p></blockquote><p class="said">${by}${details.length > 0 ? html` <span class="role">${details.join(', ')}</span>` : ''}${corroboration(quote.citations)}${citeLinks(context, quote.citations)}</p></li>`;
}

function section(id: string, title: string, total: number, items: SafeHtml[], list: 'ul' | 'ol' = 'ul'): HtmlValue {
  if (total === 0) return '';
  const heading = html`<h2 id="${id}">${title} <span class="count">(${total})</span></h2>`;
  const body = items.length === 0 ? html`<p>More on the previous pages.</p>` : list === 'ol' ? html`<ol class="items">${items}</ol>` : html`<ul class="items">${items}</ul>`;
  return html`<section aria-labelledby="${id}">${heading}${body}</section>`;
}

/** The page of one entity, or `undefined` when the id names none. */
export function entityPage(context: PageContext, id: string, asked: number): SafeHtml | undefined {
  const entity = context.index.entity(id);
  if (entity === undefined) return undefined;
  const view = knowledgeLookup(context.index.kb).view(entity.id);
  const per = ENTITY_ITEMS_PER_PAGE;
  const pages = Math.max(1, ...[view.facts, view.said, view.about, view.events, view.claims, view.conflicts].map((l) => Math.ceil(l.length / per)));
  const current = Math.min(Math.max(1, asked), pages);
  const slice = <T>(items: readonly T[]) => items.slice((current - 1) * per, current * per);

  const links = [
    ...entity.links.map((link) => ({ link, other: context.index.entity(link.target), outgoing: true })),
    ...view.incoming.map(({ from, link }) => ({ link, other: from, outgoing: false })),
  ].map(({ link, other, outgoing }) => {
    const relation = link.relation.replace(/-/g, ' ');
    const name = other === undefined ? html`<bdi>${outgoing ? link.target : ''}</bdi>` : entityLink(context, other);
    const text = outgoing ? html`${relation} ${name}` : html`${name} is ${relation} ${entity.label}`;
    return html`<li>${text}${citeLinks(context, [link.citation])}</li>`;
  });

  const facts = slice(view.facts).map(
    (f) => html`<li>${quoted(f.text)}${f.date === undefined ? '' : html` <span class="date">${formatDateRef(f.date)}</span>`}${f.rank === 'caption' ? html` <span class="badge">photo caption</span>` : ''}${f.conflicts.length > 0 ? html` <span class="badge warn">disputed</span>` : ''}${corroboration(f.citations)}${citeLinks(context, f.citations)}</li>`,
  );
  const events = slice([...view.events].sort((a, b) => a.date.start.localeCompare(b.date.start))).map(
    (e) => html`<li><span class="date">${formatDateRef(e.date)}</span> ${quoted(e.text)}${corroboration(e.citations)}${citeLinks(context, e.citations)}</li>`,
  );
  const claims = slice(view.claims).map(
    (c) => html`<li><span class="badge status-${c.verification.status}">${c.verification.status}</span> <bdi>${c.claimant.text}</bdi>: ${quoted(c.statement)}${citeLinks(context, c.citations)}${c.counterClaims.length === 0 ? '' : html`<ul>${c.counterClaims.map((k) => html`<li>Disputed by <bdi>${k.claimant.text}</bdi>: ${quoted(k.statement)}${citeLinks(context, k.citations)}</li>`)}</ul>`}</li>`,
  );
  const conflicts = slice(view.conflicts).map(
    (c) => html`<li><bdi>${c.topic}</bdi><ul>${c.sides.map((s) => html`<li>${quoted(s.statement)}${citeLinks(context, [s.citation])}</li>`)}</ul></li>`,
  );
  const aliases = entity.aliases.length === 0 ? '' : html`<p class="aliases"><span class="label">Also written</span> ${entity.aliases.map((a) => html`<span class="alias"><bdi>${a}</bdi></span> `)}</p>`;

  const main = html`<p class="kind">${TYPE_WORDS[entity.type]}</p>
<h1><bdi>${entity.label}</bdi></h1>
${entity.role === undefined ? '' : html`<p class="role-line"><bdi>${entity.role}</bdi></p>`}
<p class="lede">${quoted(entity.description)}${citeLinks(context, [entity.descriptionCitation])}</p>
${aliases}
${links.length === 0 ? '' : html`<section aria-labelledby="h-links"><h2 id="h-links">Linked to</h2><ul class="items">${links}</ul></section>`}
${section('h-facts', 'Facts', view.facts.length, facts)}
${section('h-said', 'Quotes', view.said.length, slice(view.said).map((q) => quoteItem(context, q, false)))}
${section('h-events', 'Timeline', view.events.length, events, 'ol')}
${section('h-claims', 'Claims (not established facts)', view.claims.length, claims)}
${section('h-conflicts', 'Conflicting reports', view.conflicts.length, conflicts)}
${section('h-about', 'Quotes about them', view.about.length, slice(view.about).map((q) => quoteItem(context, q, true)))}
${pager({ page: current, pages }, (n) => href(context, `${entityPath(entity.id)}?page=${n}`), `Pages about ${entity.label}`)}`;
  return page(context, { title: entity.label, nav: 'none' }, main);
}

/** `/entities?type=…`: every entity of a type (all types when none is given), most mentioned first. */
export function entityListPage(context: PageContext, type: string | null, asked: number): SafeHtml {
  const types: EntityType[] = type === 'person' || type === 'place' || type === 'organisation' ? [type] : ['person', 'place', 'organisation'];
  const all: Entity[] = types.flatMap((t) => context.index.entitiesOfType(t));
  const current = pageSlice(all, ENTITY_LIST_PER_PAGE, asked);
  const title = types.length === 1 ? { person: 'People', place: 'Places', organisation: 'Organisations' }[types[0] as EntityType] : 'People, places and organisations';
  const query = types.length === 1 ? `type=${types[0]}&` : '';
  const main = html`<h1>${title} <span class="count">(${all.length})</span></h1>
<ul class="items names">${current.items.map((e) => html`<li>${entityLink(context, e)} <span class="role">${e.mentions.length} mentions</span></li>`)}</ul>
${pager(current, (n) => href(context, `/entities?${query}page=${n}`), title)}`;
  return page(context, { title, nav: 'none' }, main);
}
