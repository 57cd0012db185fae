/**
 * `/timeline`: the dated events on a time axis drawn in SVG, then listed with their sources.
 *
 * Events range from decades ago ("in the 1980s") to single days of the story, so the axis is
 * logarithmic in days before the latest event: recent days stay apart, old decades are
 * compressed (the axis says so). Each event is one row: a dot for a day, a bar from its first
 * to its last day for anything less precise (a week, a month, a decade, a span), with the
 * number of sources that report it. Marks link to the event in the list below.
 */
import type { DateRef, StoryEvent } from '../../knowledge/model.js';
import { formatDateRef, formatDay } from '../../replies/format.js';
import { html, type SafeHtml } from '../html.js';
import { citeLinks, corroboration, href, page, pager, pageSlice, quoted, type PageContext } from '../layout.js';
import { TIMELINE_PATH } from '../routes.js';

/** Events per page (the chart draws the page's events). */
export const EVENTS_PER_PAGE = 50;

const WIDTH = 860;
/** Room at the left for each row's date. */
const LEFT = 210;
const RIGHT = 48;
const TOP = 44;
const ROW = 20;
const DAY_MS = 86_400_000;

const PRECISION_WORDS: Record<DateRef['precision'], string> = {
  day: 'a day',
  week: 'a week',
  month: 'a month',
  year: 'a year',
  decade: 'a decade',
  span: 'a span of time',
};

function dayNumber(iso: string): number {
  const time = Date.parse(`${iso}T00:00:00Z`);
  return Number.isFinite(time) ? Math.floor(time / DAY_MS) : 0;
}

const ranges = new WeakMap<readonly StoryEvent[], { latest: number; oldest: number }>();

/** The first and last day of all the story's events (the axis is the same on every page), computed once per story. */
function axisRange(events: readonly StoryEvent[]): { latest: number; oldest: number } {
  let range = ranges.get(events);
  if (range === undefined) {
    let latest = -Infinity;
    let oldest = Infinity;
    for (const e of events) {
      latest = Math.max(latest, dayNumber(e.date.end));
      oldest = Math.min(oldest, dayNumber(e.date.start));
    }
    range = { latest, oldest };
    ranges.set(events, range);
  }
  return range;
}

/** The x position of a day, on a log scale of days before `latest`. */
function scale(latest: number, oldest: number): (day: number) => number {
  const span = Math.log1p(Math.max(1, latest - oldest));
  const plot = WIDTH - LEFT - RIGHT;
  return (day) => LEFT + plot * (1 - Math.log1p(Math.max(0, latest - day)) / span);
}

/**
 * The element id of the n-th event (1-based, oldest first). Positions, not event ids: two
 * reports of the same words on the same day can share an event id, and ids on a page must not.
 */
export function eventAnchor(n: number): string {
  return `event-${n}`;
}

function outlets(event: StoryEvent): number {
  return new Set(event.citations.map((c) => c.sourceId)).size;
}

/** The axis ticks: the latest day, then a week, a month, a year, ten years… before it, never crowded. */
function ticks(latest: number, oldest: number, x: (day: number) => number): SafeHtml[] {
  const marks: SafeHtml[] = [];
  let lastX = Infinity;
  for (const back of [0, 7, 30, 365, 3652, 36525, latest - oldest]) {
    if (back > latest - oldest) continue;
    const day = latest - back;
    const at = x(day);
    if (lastX - at < 70) continue;
    lastX = at;
    const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const label = back >= 365 ? iso.slice(0, 4) : formatDay(iso);
    marks.push(html`<g class="tick"><line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${TOP - 8}" y2="${TOP - 2}"/><text x="${at.toFixed(1)}" y="${TOP - 14}" text-anchor="${back === 0 ? 'end' : 'middle'}">${label}</text></g>`);
  }
  return marks;
}

/** The SVG chart of `events` (one row each) on the axis of the whole story. */
function chart(context: PageContext, events: readonly StoryEvent[], offset: number): SafeHtml {
  const { latest, oldest } = axisRange(context.index.eventsByDate);
  const x = scale(latest, oldest);
  const height = TOP + events.length * ROW + 8;
  const rows = events.map((event, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const x1 = x(dayNumber(event.date.start));
    const x2 = Math.max(x(dayNumber(event.date.end)), x1);
    const count = outlets(event);
    const label = `${formatDateRef(event.date)} (${PRECISION_WORDS[event.date.precision]}): ${event.text}${count > 1 ? ` — reported by ${count} sources` : ''}`;
    const mark =
      event.date.precision === 'day'
        ? html`<circle cx="${x1.toFixed(1)}" cy="${y}" r="${count > 1 ? 6 : 4.5}"/>`
        : html`<rect x="${Math.min(x1, x2 - 8).toFixed(1)}" y="${y - 4}" width="${Math.max(8, x2 - x1).toFixed(1)}" height="8" rx="4"/>`;
    return html`<a href="#${eventAnchor(i + 1 + offset)}" class="mark p-${event.date.precision}${count > 1 ? ' corroborated' : ''}"><title>${label}</title><text class="when" x="${LEFT - 10}" y="${y + 4}" text-anchor="end">${i + 1 + offset}. ${formatDateRef(event.date)}</text><line class="row" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"/>${mark}${count > 1 ? html`<text x="${(x2 + 10).toFixed(1)}" y="${y + 4}">×${count}</text>` : ''}</a>`;
  });
  return html`<figure class="chart"><div class="scroll"><svg id="timeline-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" aria-labelledby="chart-title" data-events="${events.length}">
<title id="chart-title">${events.length} events on a time axis, oldest at the left</title>
<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP - 2}" y2="${TOP - 2}"/>${ticks(latest, oldest, x)}${rows}</svg></div>
<figcaption>Time runs left to right on a compressed scale: recent days are far apart, old decades close together. A dot is an event dated to the day; a bar spans an event known only to the week, month, year or decade. ×2 means two sources report it.</figcaption></figure>`;
}

/** The timeline page. */
export function timelinePage(context: PageContext, asked: number): SafeHtml {
  const all = context.index.eventsByDate;
  const current = pageSlice(all, EVENTS_PER_PAGE, asked);
  const items = current.items.map(
    (e, i) => html`<li id="${eventAnchor((current.page - 1) * EVENTS_PER_PAGE + i + 1)}"><span class="date">${formatDateRef(e.date)}</span> <span class="precision">(${PRECISION_WORDS[e.date.precision]}${e.date.text === '' ? '' : html`: “<bdi>${e.date.text}</bdi>”`})</span> ${quoted(e.text)}${corroboration(e.citations)}${citeLinks(context, e.citations)}</li>`,
  );
  const main = html`<h1>Timeline <span class="count">(${all.length} events)</span></h1>
${all.length === 0 ? html`<p>The articles give no dates the dossier could resolve.</p>` : html`${chart(context, current.items, (current.page - 1) * EVENTS_PER_PAGE)}
<section aria-labelledby="h-list"><h2 id="h-list">Events, oldest first</h2><ol class="items events" start="${(current.page - 1) * EVENTS_PER_PAGE + 1}">${items}</ol></section>
${pager(current, (n) => href(context, `${TIMELINE_PATH}?page=${n}`), 'Timeline pages')}`}`;
  return page(context, { title: 'Timeline', nav: 'timeline' }, main);
}
