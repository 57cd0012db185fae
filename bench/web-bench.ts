/**
 * Web dossier benchmark: a story of 10,000 generated articles (raw text, cleaned paragraphs,
 * page furniture, facts cited to exact sentences, wire copies carried by several outlets,
 * quotes, dated events of every precision, claims with counter-claims), served by the real
 * handler on a local HTTP server; each kind of page is requested many times with different
 * ids, pages and queries. Reports p50/p99 time to the full response and the largest page,
 * against the goals (p99 < 50 ms, < 100 KB).
 *
 *   npm run bench -- --only web [--tiny]
 */
import { performance } from 'node:perf_hooks';
import type { Citation, DateRef, Fact, KnowledgeBase, Quote, Source, StoryEvent, Claim } from '../src/knowledge/model.js';
import { startHttpServer } from '../src/observability/http-server.js';
import { createMetrics } from '../src/observability/metrics.js';
import { createKnowledgeSearch } from '../src/search/knowledge-search.js';
import { createWebHandler } from '../src/web/handler.js';
import { generateStory, Random } from './generator.js';
import { quantile, round } from './measure.js';
import type { BenchOptions, BenchRow } from './sections.js';

const GOAL_P99_MS = 50;
const GOAL_BYTES = 100 * 1024;
const OUTLETS = ['Reuters', 'AFP', 'dpa', 'ANI', 'Al Jazeera', 'BBC News', 'G1 (Globo)', 'TheJournal.ie', 'TOLOnews', 'Pajhwok'];
const PRECISIONS: Array<DateRef['precision']> = ['day', 'day', 'day', 'day', 'week', 'month', 'year', 'decade', 'span'];

function isoDay(day: number): string {
  return new Date(Date.UTC(2021, 7, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

function dateRef(random: Random, published: number): DateRef {
  const precision = random.pick(PRECISIONS);
  const start = published - random.int(5);
  switch (precision) {
    case 'day':
      return { text: 'on Monday', precision, start: isoDay(start), end: isoDay(start) };
    case 'week':
      return { text: 'last week', precision, start: isoDay(start - 7), end: isoDay(start - 1) };
    case 'month':
      return { text: 'in August', precision, start: '2021-08-01', end: '2021-08-31' };
    case 'year':
      return { text: 'in 2001', precision, start: '2001-01-01', end: '2001-12-31' };
    case 'decade':
      return { text: 'in the 1980s', precision, start: '1980-01-01', end: '1989-12-31' };
    default:
      return { text: 'between 1996 and 2001', precision, start: '1996-01-01', end: '2001-12-31' };
  }
}

/**
 * A knowledge base of `articles` articles built directly (the ingest pipeline would take minutes
 * for 10,000 and is benchmarked elsewhere), shaped like what the pipeline produces.
 */
export function generateWebStory(articles: number, seed: number): KnowledgeBase {
  const random = new Random(seed);
  const base = generateStory({ entities: Math.max(60, Math.round(articles / 5)), facts: 10, seed }).kb;
  const people = base.entities.filter((e) => e.type === 'person');
  const places = base.entities.filter((e) => e.type === 'place');
  const sources: Source[] = [];
  const facts: Fact[] = [];
  const quotes: Quote[] = [];
  const events: StoryEvent[] = [];
  const claims: Claim[] = [];
  const recent: string[] = [];
  const factByText = new Map<string, Fact>();
  for (let i = 0; i < articles; i += 1) {
    const id = `${String(i).padStart(5, '0')}_web`;
    const publishedDay = Math.floor((i / articles) * 150);
    const parts: string[] = [];
    const spans: Citation[] = [];
    const add = (text: string): Citation => {
      const start = parts.join('\n\n').length + (parts.length > 0 ? 2 : 0);
      parts.push(text);
      const c = { sourceId: id, start, end: start + text.length, text };
      spans.push(c);
      return c;
    };
    const headline = `${random.pick(people).label} ${random.pick(['visits', 'leaves', 'defends', 'rejects talks over'])} ${random.pick(places).label}`;
    const title = add(`${headline} | World`);
    const body: Citation[] = [];
    const sentences: Array<{ c: Citation; ids: string[] }> = [];
    for (let s = 0; s < 7; s += 1) {
      // A fifth of the sentences are wire copy: the same words another outlet carried.
      const copied = recent.length > 0 && random.chance(0.2) ? random.pick(recent) : undefined;
      const person = people[random.zipf(people.length)];
      const place = places[random.zipf(places.length)];
      const text = copied ?? `${person?.label} said fighters ${random.pick(['reached', 'left', 'surrounded', 'defended'])} ${place?.label} on ${random.pick(['Monday', 'Tuesday', 'Sunday'])}, according to officials in report ${i}-${s}.`;
      const c = add(text);
      body.push(c);
      sentences.push({ c, ids: [person?.id ?? '', place?.id ?? ''].filter((x) => x !== '') });
      if (copied === undefined && random.chance(0.3)) recent.push(text);
      if (recent.length > 50) recent.shift();
    }
    const speaker = people[random.zipf(people.length)];
    const quote = add(`“We will never leave ${random.pick(places).label},” ${speaker?.label} said.`);
    body.push(quote);
    const ad = add('Advertisement');
    sources.push({ id, outlet: OUTLETS[i % OUTLETS.length] as string, headline, published: isoDay(publishedDay), language: 'en', raw: parts.join('\n\n'), body, removed: [{ ...title, reason: 'page title' }, { ...ad, reason: 'advertisement label' }] });
    for (const { c, ids } of sentences) {
      const same = factByText.get(c.text);
      if (same !== undefined && same.citations.length < 8 && !same.citations.some((x) => x.sourceId === id)) same.citations.push(c);
      else if (same === undefined) {
        const fact: Fact = { id: `f-${facts.length}`, text: c.text, entities: ids, citations: [c], rank: 'body', conflicts: [] };
        facts.push(fact);
        factByText.set(c.text, fact);
      }
    }
    quotes.push({ id: `q-${i}`, text: quote.text.slice(1, quote.text.indexOf('”') - 1), speakerId: speaker?.id ?? null, partial: false, entities: speaker === undefined ? [] : [speaker.id], citations: [quote] });
    const first = sentences[0] as { c: Citation; ids: string[] };
    events.push({ id: `event-${i}`, date: dateRef(random, publishedDay), text: first.c.text, entities: first.ids, citations: [first.c] });
    if (i % 20 === 0) {
      const claimed = sentences[1] as { c: Citation; ids: string[] };
      const disputed = sentences[2] as { c: Citation; ids: string[] };
      claims.push({
        id: `claim-${i}`,
        claimant: { text: 'pro-Taliban social media accounts' },
        statement: claimed.c.text,
        citations: [claimed.c],
        counterClaims: [{ claimant: { text: 'the resistance' }, statement: disputed.c.text, citations: [disputed.c] }],
        verification: { status: random.pick(['unverified', 'disputed', 'unconfirmed'] as const), citations: [] },
        entities: claimed.ids,
      });
    }
  }
  return { ...base, story: { id: 'web-bench', title: `Generated story (${articles.toLocaleString('en')} articles)` }, sources, facts, quotes, events, claims };
}

/** Run the web section. */
export async function runWebBench(options: BenchOptions): Promise<BenchRow[]> {
  const articles = options.tiny === true ? 300 : 10_000;
  const requests = options.tiny === true ? 20 : options.quick ? 100 : 300;
  const built = performance.now();
  const kb = generateWebStory(articles, options.seed);
  const search = createKnowledgeSearch(kb);
  options.log(`web: generated ${articles} articles, ${kb.facts.length} facts, ${kb.events.length} events in ${Math.round(performance.now() - built)} ms`);
  const snapshot = { kb, search, version: 'bench', loadedAt: new Date(0) };
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    health: () => ({ status: 'ok', uptimeSeconds: 0, knowledge: { loaded: true, version: 'bench', items: 0 }, platforms: {}, components: {} }),
    metrics: createMetrics({ defaultMetrics: false }),
    pages: createWebHandler({ knowledge: () => snapshot }),
  });
  const base = server.url;
  const random = new Random(options.seed + 1);
  const entities = [...kb.entities].sort((a, b) => b.mentions.length - a.mentions.length);
  // What people search for: mostly names (as often as they are mentioned), sometimes a name and a
  // word, now and then a word that is in nearly every fact of this generated story (the costly case).
  const query = (): string => {
    const roll = random.next();
    const name = entities[random.zipf(entities.length)]?.label ?? 'Kabul';
    if (roll < 0.6) return name;
    if (roll < 0.9) return `${random.pick(['surrounded', 'left', 'defended', 'never leave'])} ${name}`;
    return random.pick(['fighters', 'officials', 'report']);
  };
  const pages: Array<{ name: string; path: () => string }> = [
    { name: '/', path: () => '/' },
    { name: '/entities/<id>', path: () => `/entities/${encodeURIComponent(entities[random.zipf(entities.length)]?.id ?? '')}` },
    { name: '/timeline', path: () => `/timeline?page=${1 + random.int(Math.ceil(kb.events.length / 100))}` },
    { name: '/claims', path: () => `/claims?page=${1 + random.int(Math.ceil(kb.claims.length / 30))}` },
    { name: '/sources', path: () => `/sources?page=${1 + random.int(Math.ceil(kb.sources.length / 100))}` },
    { name: '/sources/<id>', path: () => `/sources/${kb.sources[random.int(kb.sources.length)]?.id}?furniture=${random.int(2)}` },
    { name: '/search?q=', path: () => `/search?q=${encodeURIComponent(query())}` },
  ];
  const rows: BenchRow[] = [];
  try {
    // The first request builds the per-story index; it is reported apart, as a reload's cost.
    const first = performance.now();
    await (await fetch(`${base}/`)).text();
    const indexMs = performance.now() - first;
    for (const page of pages) {
      // A few unmeasured requests first, so the p99 is the page's and not the JIT compiler's.
      for (let n = 0; n < 5; n += 1) await (await fetch(`${base}${page.path()}`)).arrayBuffer();
      const times: number[] = [];
      let maxBytes = 0;
      let errors = 0;
      for (let n = 0; n < requests; n += 1) {
        const path = page.path();
        const started = performance.now();
        const response = await fetch(`${base}${path}`);
        const body = await response.arrayBuffer();
        times.push(performance.now() - started);
        if (response.status !== 200) errors += 1;
        maxBytes = Math.max(maxBytes, body.byteLength);
      }
      const p99 = quantile(times, 0.99);
      rows.push({
        section: 'web',
        operation: page.name,
        facts: kb.facts.length,
        queries: requests,
        p50Ms: round(quantile(times, 0.5), 2),
        p99Ms: round(p99, 2),
        maxKb: round(maxBytes / 1024, 1),
        note: `${articles.toLocaleString('en')} articles; p99 ${p99 < GOAL_P99_MS ? 'within' : 'OVER'} 50 ms, size ${maxBytes < GOAL_BYTES ? 'within' : 'OVER'} 100 KB${errors > 0 ? `; ${errors} non-200` : ''}`,
        buildMs: round(indexMs, 1),
      });
      options.log(`web: ${page.name} p99 ${round(p99, 1)} ms, largest ${round(maxBytes / 1024, 1)} KB`);
    }
  } finally {
    await server.close();
  }
  return rows;
}
