/**
 * `/`: the story at a glance — what is new (latest events and articles), the people, places
 * and organisations, how much the dossier holds, and the search box (in the header).
 */
import type { Entity, EntityType } from '../../knowledge/model.js';
import { formatDateRef, formatDay } from '../../replies/format.js';
import { html, type SafeHtml } from '../html.js';
import { citeLinks, href, page, quoted, type PageContext } from '../layout.js';
import { entityPath, sourcePath, TIMELINE_PATH } from '../routes.js';

/** Entities listed per type on the front page; the rest are on `/entities?type=…`. */
export const HOME_ENTITIES = 40;
/** Latest events and articles shown. */
export const HOME_LATEST = 8;

const TYPE_LABELS: Record<EntityType, string> = { person: 'People', place: 'Places', organisation: 'Organisations' };

/** An entity as a link, with its role. */
export function entityLink(context: PageContext, entity: Entity): SafeHtml {
  return html`<a href="${href(context, entityPath(entity.id))}"><bdi>${entity.label}</bdi></a>${entity.role === undefined ? '' : html` <span class="role"><bdi>${entity.role}</bdi></span>`}`;
}

/** The front page. */
export function homePage(context: PageContext): SafeHtml {
  const { kb } = context.index;
  const events = context.index.eventsByDate.slice(-HOME_LATEST).reverse();
  const articles = context.index.sourcesNewestFirst.slice(0, HOME_LATEST);
  const counts: Array<[number, string]> = [
    [kb.sources.length, 'articles'],
    [kb.entities.length, 'people, places and organisations'],
    [kb.facts.length, 'facts'],
    [kb.quotes.length, 'quotes'],
    [kb.events.length, 'dated events'],
    [kb.claims.length, 'contested claims'],
  ];
  const groups = (['person', 'place', 'organisation'] as const).map((type) => {
    const all = context.index.entitiesOfType(type);
    if (all.length === 0) return '';
    const more = all.length > HOME_ENTITIES ? html`<p><a href="${href(context, `/entities?type=${type}`)}">All ${all.length} ${TYPE_LABELS[type].toLowerCase()}</a></p>` : '';
    return html`<section class="card" aria-labelledby="h-${type}"><h2 id="h-${type}">${TYPE_LABELS[type]}</h2>
<ul class="names">${all.slice(0, HOME_ENTITIES).map((e) => html`<li>${entityLink(context, e)}</li>`)}</ul>${more}</section>`;
  });
  const main = html`<h1><bdi>${kb.story.title}</bdi></h1>
${kb.story.description === undefined ? '' : html`<p class="lede"><bdi>${kb.story.description}</bdi></p>`}
<ul class="counts" aria-label="What the dossier holds">${counts.map(([n, what]) => html`<li><strong>${n.toLocaleString('en')}</strong> ${what}</li>`)}</ul>
<div class="columns">
<section class="card" aria-labelledby="h-events"><h2 id="h-events">Latest events</h2>
${events.length === 0 ? html`<p>No dated events yet.</p>` : html`<ol class="items">${events.map((e) => html`<li><span class="date">${formatDateRef(e.date)}</span> ${quoted(e.text)}${citeLinks(context, e.citations, 3)}</li>`)}</ol>`}
<p><a href="${href(context, TIMELINE_PATH)}">The whole timeline</a></p></section>
<section class="card" aria-labelledby="h-articles"><h2 id="h-articles">Latest articles</h2>
<ol class="items">${articles.map((s) => html`<li><span class="date">${formatDay(s.published)}</span> <a href="${href(context, sourcePath(s.id))}"><bdi>${s.headline}</bdi></a> <span class="outlet"><bdi>${s.outlet}</bdi></span></li>`)}</ol>
<p><a href="${href(context, '/sources')}">Every article</a></p></section>
</div>
<div class="columns three">${groups}</div>`;
  return page(context, { title: 'The story', nav: 'story' }, main);
}
