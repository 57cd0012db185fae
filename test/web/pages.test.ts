/**
 * The web dossier's pages over HTTP, on the seed story and on a story grown with many articles
 * (and a hostile one): every page answers, within 100 KB, under the strict policy, with every
 * cited span highlighted and addressable and every piece of article text escaped.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeLookup } from '../../src/commands/kb-lookup.js';
import type { Citation, KnowledgeBase } from '../../src/knowledge/model.js';
import type { RunningHttpServer } from '../../src/observability/http-server.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { CONTENT_SECURITY_POLICY } from '../../src/web/handler.js';
import { ASSET_VERSION } from '../../src/web/layout.js';
import { dossierIndex } from '../../src/web/dossier-index.js';
import { eventAnchor, EVENTS_PER_PAGE } from '../../src/web/pages/timeline.js';
import { citationPath, spanAnchor } from '../../src/web/routes.js';
import { seedSnapshot } from '../support/seed-story.js';
import { growStory, removeGrownStory } from './grown-story.js';
import { getPage, snapshotOf, startWebServer, type FetchedPage } from './web-server.js';

const PAGE_LIMIT_BYTES = 100 * 1024;

/** Every citation the knowledge base holds, with what it supports. */
function allCitations(kb: KnowledgeBase): Citation[] {
  return [
    ...kb.entities.flatMap((e) => [e.descriptionCitation, ...e.links.map((l) => l.citation)]),
    ...kb.facts.flatMap((f) => f.citations),
    ...kb.quotes.flatMap((q) => q.citations),
    ...kb.events.flatMap((e) => e.citations),
    ...kb.claims.flatMap((c) => [...c.citations, ...c.counterClaims.flatMap((k) => k.citations), ...c.verification.citations]),
    ...kb.conflicts.flatMap((c) => c.sides.map((s) => s.citation)),
  ];
}

/** What every page must be: HTML under the strict policy, one look, no inline script or style, nothing third-party. */
function expectTrustworthyPage(page: FetchedPage, path: string): void {
  expect(page.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
  expect(page.headers.get('x-content-type-options'), path).toBe('nosniff');
  expect(page.bytes, path).toBeLessThan(PAGE_LIMIT_BYTES);
  const doc = page.document;
  const scripts = [...doc.querySelectorAll('script')];
  expect(scripts.map((s) => s.getAttribute('src')?.replace(/^(\.\.?\/)+/, '')), path).toEqual([`assets/dossier.js?v=${ASSET_VERSION}`]);
  expect(doc.querySelectorAll('style, [style]').length, path).toBe(0);
  expect(doc.querySelectorAll('link[rel="stylesheet"]').length, path).toBe(1);
  // Nothing is loaded from elsewhere: every src and stylesheet is relative (same origin).
  for (const el of doc.querySelectorAll('[src], link[href]')) expect(el.getAttribute('src') ?? el.getAttribute('href'), path).not.toMatch(/^[a-z]+:|^\/\//i);
  expect(doc.querySelector('main h1'), path).not.toBeNull();
  expect(doc.querySelector('header nav'), path).not.toBeNull();
  expect(doc.querySelector('form[role="search"] label[for="q"]'), path).not.toBeNull();
  expect(doc.querySelector('footer a[href$="docs/web-dossier"]'), path).not.toBeNull();
}

describe('web dossier on the seed story', () => {
  let server: RunningHttpServer;
  const snapshot = seedSnapshot();
  const kb = snapshot.kb;
  beforeAll(async () => {
    server = await startWebServer(() => snapshot);
  });
  afterAll(() => server.close());

  it('serves every page within the size goal, under the strict policy, with one look', async () => {
    const paths = ['/', '/entities', '/entities?type=place', '/entities/ahmad-massoud', '/entities/panjshir', '/timeline', '/claims', '/sources', `/sources/${kb.sources[0]?.id}`, `/sources/${kb.sources[1]?.id}?furniture=1`, '/search?q=baghlan', '/search'];
    for (const path of paths) {
      const page = await getPage(server, path);
      expect(page.status, path).toBe(200);
      expectTrustworthyPage(page, path);
    }
  });

  it('highlights every span the knowledge base cites, addressable as #c-<start>-<end> on its source page', async () => {
    const citations = allCitations(kb).filter((c) => c.end > c.start);
    expect(citations.length).toBeGreaterThan(100);
    for (const source of kb.sources) {
      const { document } = await getPage(server, `/sources/${source.id}`);
      for (const citation of citations.filter((c) => c.sourceId === source.id)) {
        const anchor = spanAnchor(citation);
        const first = document.getElementById(anchor);
        expect(first, anchor).not.toBeNull();
        expect(first?.tagName, anchor).toBe('MARK');
        // The span's pieces (one unless it crosses another span's end or a paragraph's) spell
        // its exact text; only the blank lines between paragraphs are not part of a piece.
        const pieces = [first, ...document.querySelectorAll(`[data-c="${anchor}"]`)].map((el) => el?.textContent ?? '');
        expect(pieces.join('').replace(/\s+/g, ''), anchor).toBe(citation.text.replace(/\s+/g, ''));
      }
    }
  });

  it('shows the page furniture cleaning removed only when asked, greyed with its reason', async () => {
    const source = kb.sources.find((s) => s.removed.some((r) => r.reason.includes('teaser'))) ?? kb.sources[0];
    const teaser = source?.removed.find((r) => r.reason.includes('teaser'));
    expect(teaser).toBeDefined();
    const plain = await getPage(server, `/sources/${source?.id}`);
    expect(plain.document.querySelector('article')?.textContent).not.toContain(teaser?.text);
    expect(plain.html).toContain('furniture=1');
    const asked = await getPage(server, `/sources/${source?.id}?furniture=1`);
    const greyed = [...asked.document.querySelectorAll('.furniture')].map((el) => el.textContent ?? '');
    expect(greyed.some((t) => t.includes(teaser?.text ?? '?') && t.includes(teaser?.reason ?? '?'))).toBe(true);
  });

  it('an entity page holds everything known about it, each item with links to its cited spans', async () => {
    const view = knowledgeLookup(kb).view('ahmad-massoud');
    const { document } = await getPage(server, '/entities/ahmad-massoud');
    const facts = [...document.querySelectorAll('section[aria-labelledby="h-facts"] li')];
    expect(facts.length).toBe(view.facts.length);
    expect(document.querySelectorAll('section[aria-labelledby="h-said"] > ul > li').length).toBe(view.said.length);
    const links = [...document.querySelectorAll('main a[href*="#c-"]')].map((a) => a.getAttribute('href') ?? '');
    for (const fact of view.facts) for (const c of fact.citations) expect(links).toContain(`..${citationPath(c)}`);
    expect(document.body.textContent).toContain('احمد مسعود');
  });

  it('the timeline draws every event on its axis and lists each with its date precision and sources', async () => {
    const { document } = await getPage(server, '/timeline');
    expect(document.querySelectorAll('svg a.mark').length).toBe(kb.events.length);
    expect(document.querySelectorAll('ol.events > li').length).toBe(kb.events.length);
    const decade = dossierIndex(kb).eventsByDate.findIndex((e) => e.date.precision === 'decade');
    expect(document.getElementById(eventAnchor(decade + 1))?.textContent).toContain('a decade');
    // Each mark on the axis leads to its event in the list.
    for (const mark of document.querySelectorAll('svg a.mark')) expect(document.getElementById((mark.getAttribute('href') ?? '').slice(1))?.tagName).toBe('LI');
    const corroborated = kb.events.filter((e) => new Set(e.citations.map((c) => c.sourceId)).size > 1);
    expect(document.querySelectorAll('svg a.corroborated').length).toBe(corroborated.length);
  });

  it('the claims page puts each claim beside what disputes it, with its verification status', async () => {
    const { document } = await getPage(server, '/claims');
    const rows = [...document.querySelectorAll('article.claim:not(.conflict)')];
    expect(rows.length).toBe(kb.claims.length);
    for (const claim of kb.claims) {
      const row = rows.find((r) => r.textContent?.includes(claim.statement));
      expect(row, claim.statement).toBeDefined();
      expect(row?.querySelector(`.status-${claim.verification.status}`), claim.statement).not.toBeNull();
      for (const counter of claim.counterClaims) expect(row?.querySelector('.side.other')?.textContent).toContain(counter.statement);
    }
  });

  it('search answers with the same facts, in the same order, as the search the bot uses', async () => {
    const expected = snapshot.search.searchFacts('taliban districts', { limit: 25 }).map((h) => h.fact.text);
    expect(expected.length).toBeGreaterThan(1);
    const { document } = await getPage(server, '/search?q=taliban+districts');
    const shown = [...document.querySelectorAll('section[aria-labelledby="h-facts"] li > bdi:first-child')].map((el) => el.textContent);
    expect(shown).toEqual(expected);
  });

  it('answers unknown pages with a 404 page, other methods with 405, and serves its assets', async () => {
    for (const path of ['/entities/nobody', '/sources/nothing', '/nowhere', '/timeline/extra', '/entities/%E0%A4%A']) {
      const page = await getPage(server, path);
      expect([404, 400], path).toContain(page.status);
    }
    const missing = await getPage(server, '/entities/nobody');
    expect(missing.document.querySelector('h1')?.textContent).toBe('Not found');
    const post = await fetch(`${server.url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    const css = await fetch(`${server.url}/assets/dossier.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const again = await fetch(`${server.url}/assets/dossier.css`, { headers: { 'If-None-Match': css.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('the documentation pages', () => {
  let server: RunningHttpServer;
  const snapshot = seedSnapshot();
  beforeAll(async () => {
    server = await startWebServer(() => snapshot);
  });
  afterAll(() => server.close());

  it('serves every page of docs/ and the README, linked from the footer, inside the site frame', async () => {
    const files = ['readme', ...readdirSync(new URL('../../docs/', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3))];
    const index = await getPage(server, '/docs');
    expect(index.status).toBe(200);
    expectTrustworthyPage(index, '/docs');
    const listed = [...index.document.querySelectorAll('main a')].map((a) => a.getAttribute('href'));
    for (const name of files) expect(listed).toContain(`./docs/${name}`);
    for (const name of files) {
      const page = await getPage(server, `/docs/${name}`);
      expect(page.status, name).toBe(200);
      expectTrustworthyPage(page, name);
      expect(page.document.querySelectorAll('main h1').length, name).toBe(1);
    }
    // The footer of a story page reaches a doc page.
    const home = await getPage(server, '/');
    const footerLink = home.document.querySelector('footer a[href$="docs/deploying"]')?.getAttribute('href');
    expect(footerLink).toBe('./docs/deploying');
  });

  it('renders the markdown: headings with ids, links between pages that land on their heading, tables, code', async () => {
    const page = await getPage(server, '/docs/web-dossier');
    const doc = page.document;
    expect(doc.querySelector('main h1')?.textContent).toBe('The web dossier');
    // `[deploying](deploying.md#settings)` becomes a link to the served page's heading.
    const link = doc.querySelector('main a[href="../docs/deploying#settings"]');
    expect(link).not.toBeNull();
    const deploying = await getPage(server, '/docs/deploying');
    expect(deploying.document.getElementById('settings')?.tagName).toMatch(/^H[1-6]$/);
    expect(doc.querySelectorAll('main table.doc tr').length).toBeGreaterThan(5);
    expect(doc.querySelector('main pre code')?.textContent).toContain('PUBLIC_URL=https://dossier.example.org npm start');
    // The README's links to docs/ pages resolve from the root.
    const readme = await getPage(server, '/docs/readme');
    expect(readme.document.querySelector('main a[href="../docs/telegram"]')).not.toBeNull();
  });

  it('serves nothing but the allow-list: no path leads to another file', async () => {
    for (const path of ['/docs/../package.json', '/docs/..%2Fpackage.json', '/docs/%2E%2E%2Fpackage.json', '/docs/package', '/docs/web-dossier.md', '/docs/README.md', '/docs/..%2F..%2Fetc%2Fpasswd', '/docs/.env']) {
      const page = await getPage(server, path);
      expect(page.status, path).toBe(404);
      expect(page.html, path).not.toContain('"name": "dossier"');
    }
  });
});

describe('web dossier while the story loads', () => {
  it('answers 503 with a hint until a knowledge snapshot exists', async () => {
    let snapshot: KnowledgeSnapshot | undefined;
    const server = await startWebServer(() => snapshot);
    try {
      expect((await fetch(`${server.url}/`)).status).toBe(503);
      snapshot = seedSnapshot();
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('web dossier on a story grown with many articles and a hostile one', () => {
  let server: RunningHttpServer;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    const storyDir = growStory({ articles: 40, hostile: true });
    const snapshot = snapshotOf(storyDir);
    removeGrownStory(storyDir);
    kb = snapshot.kb;
    server = await startWebServer(() => snapshot);
  });
  afterAll(() => server.close());

  it('serves every page within the size goal', async () => {
    const entity = kb.entities.reduce((a, b) => (b.mentions.length > a.mentions.length ? b : a));
    const paths = ['/', '/entities', `/entities/${entity.id}`, '/timeline', '/claims', '/sources', '/search?q=panjshir', ...kb.sources.map((s) => `/sources/${s.id}?furniture=1`)];
    for (const path of paths) {
      const page = await getPage(server, path);
      expect(page.status, path).toBe(200);
      expectTrustworthyPage(page, path);
    }
  });

  it('renders the hostile article inert: its markup is shown as text, never as elements', async () => {
    const page = await getPage(server, '/sources/999_hostile?furniture=1');
    expect(page.status).toBe(200);
    expectTrustworthyPage(page, 'hostile');
    const doc = page.document;
    expect(doc.querySelectorAll('img, b, [onclick], [onerror]').length).toBe(0);
    expect(doc.querySelector('h1')?.textContent).toBe('Hostile <script>window.__pwned = 5</script> headline');
    expect(doc.querySelector('title')?.textContent).toContain('Hostile <script>');
    const text = doc.querySelector('article')?.textContent ?? '';
    expect(text).toContain('<img src=x onerror="window.__pwned=2">');
    expect(text).toContain('</p><script>window.__pwned = 4</script>');
    // The RTL override stays inside a paragraph that isolates its direction.
    const rtl = [...doc.querySelectorAll('article p.text')].find((p) => p.textContent?.includes('\u202E'));
    expect(rtl?.getAttribute('dir')).toBe('auto');
    // Its citations still land on the exact text.
    for (const c of allCitations(kb).filter((c) => c.sourceId === '999_hostile' && c.end > c.start)) {
      expect(doc.getElementById(spanAnchor(c))?.textContent).toBe(c.text.slice(0, doc.getElementById(spanAnchor(c))?.textContent?.length));
    }
    for (const path of ['/', '/sources', '/search?q=hostile+script']) {
      const other = await getPage(server, path);
      expect(other.document.querySelectorAll('script').length, path).toBe(1);
    }
  });

  it('pages long lists: the sources list and the timeline page on', async () => {
    const first = await getPage(server, '/timeline');
    const pages = Math.ceil(kb.events.length / EVENTS_PER_PAGE);
    expect(pages).toBeGreaterThan(1);
    expect(first.document.querySelectorAll('svg a.mark').length).toBe(EVENTS_PER_PAGE);
    const last = await getPage(server, `/timeline?page=${pages}`);
    expect(last.document.querySelectorAll('svg a.mark').length).toBe(kb.events.length - EVENTS_PER_PAGE * (pages - 1));
    // Every event is on exactly one page.
    const ids = new Set<string>();
    for (let n = 1; n <= pages; n += 1) for (const li of (await getPage(server, `/timeline?page=${n}`)).document.querySelectorAll('ol.events > li')) ids.add(li.id);
    expect(ids.size).toBe(kb.events.length);
    const beyond = await getPage(server, '/sources?page=999');
    expect(beyond.status).toBe(200);
    expect(beyond.document.querySelectorAll('tbody tr').length).toBeGreaterThan(0);
  });
});
