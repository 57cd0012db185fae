/**
 * A very long article (about 260 KB, ending in one huge paragraph) is shown in parts, each
 * under the page size goal, and every link to one of its cited spans — on the pages and in
 * chat answers — opens the part that holds the span, where the span is marked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation, KnowledgeBase } from '../../src/knowledge/model.js';
import type { RunningHttpServer } from '../../src/observability/http-server.js';
import { reply } from '../../src/replies/reply.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { dossierIndex } from '../../src/web/dossier-index.js';
import { linkReply, partsOf } from '../../src/web/reply-links.js';
import { spanAnchor } from '../../src/web/routes.js';
import { growStory, removeGrownStory } from './grown-story.js';
import { getPage, snapshotOf, startWebServer, type FetchedPage } from './web-server.js';

const PAGE_LIMIT_BYTES = 100 * 1024;
const LONG = '998_long';

function citationsOf(kb: KnowledgeBase, sourceId: string): Citation[] {
  return [
    ...kb.facts.flatMap((f) => f.citations),
    ...kb.quotes.flatMap((q) => q.citations),
    ...kb.events.flatMap((e) => e.citations),
    ...kb.claims.flatMap((c) => c.citations),
    ...kb.entities.flatMap((e) => [e.descriptionCitation, ...e.links.map((l) => l.citation)]),
  ].filter((c) => c.sourceId === sourceId && c.end > c.start);
}

describe('a very long article', () => {
  let server: RunningHttpServer;
  let kb: KnowledgeBase;
  let snapshot: KnowledgeSnapshot;
  let parts: FetchedPage[];
  let furnitureParts: FetchedPage[];
  beforeAll(async () => {
    const storyDir = growStory({ articles: 0, longKilobytes: 260 });
    snapshot = snapshotOf(storyDir);
    removeGrownStory(storyDir);
    kb = snapshot.kb;
    server = await startWebServer(() => snapshot);
    const count = dossierIndex(kb).parts(LONG).length;
    parts = [];
    furnitureParts = [];
    for (let n = 1; n <= count; n += 1) {
      parts.push(await getPage(server, `/sources/${LONG}?part=${n}`));
      furnitureParts.push(await getPage(server, `/sources/${LONG}?part=${n}&furniture=1`));
    }
  }, 60_000);
  afterAll(() => server.close());

  it('is shown in parts, each under the size goal, that together hold the whole text, with links between them', () => {
    const source = kb.sources.find((s) => s.id === LONG);
    expect(source?.raw.length).toBeGreaterThan(250_000);
    expect(parts.length).toBeGreaterThan(3);
    for (const [i, page] of [...parts, ...furnitureParts].entries()) {
      expect(page.status, `part ${i}`).toBe(200);
      expect(page.bytes, `part ${i}`).toBeLessThan(PAGE_LIMIT_BYTES);
    }
    // Every word of the article is on one of the parts, in order (the furniture when asked for).
    const shown = furnitureParts.flatMap((p) => [...p.document.querySelectorAll('article p.text')].map((el) => el.textContent ?? '')).join('');
    expect(shown.replace(/\s+/g, '') === source?.raw.replace(/\s+/g, '')).toBe(true);
    // Each part links to the next and the previous one.
    for (const [i, page] of parts.entries()) {
      const next = page.document.querySelector('a[rel="next"]')?.getAttribute('href');
      const prev = page.document.querySelector('a[rel="prev"]')?.getAttribute('href');
      expect(next, `part ${i + 1}`).toBe(i + 1 < parts.length ? `../sources/${LONG}?part=${i + 2}` : undefined);
      expect(prev, `part ${i + 1}`).toBe(i > 0 ? (i === 1 ? `../sources/${LONG}` : `../sources/${LONG}?part=${i}`) : undefined);
    }
  });

  it('shows the page furniture of each part only when asked', () => {
    const furniture = (pages: FetchedPage[]) => pages.reduce((n, p) => n + p.document.querySelectorAll('.furniture').length, 0);
    expect(furniture(parts)).toBe(0);
    expect(furniture(furnitureParts)).toBeGreaterThan(2);
    // The toggle keeps the part.
    expect(parts[2]?.document.querySelector('.legend a')?.getAttribute('href')).toBe(`../sources/${LONG}?part=3&furniture=1`);
    expect(furnitureParts[2]?.document.querySelector('.legend a')?.getAttribute('href')).toBe(`../sources/${LONG}?part=3`);
  });

  it('every cited span is marked on the part its link names, and its pieces spell the cited text', async () => {
    const citations = citationsOf(kb, LONG);
    expect(citations.length).toBeGreaterThan(50);
    const index = dossierIndex(kb);
    const partsHit = new Set<number>();
    for (const citation of citations) {
      const part = index.partOf(LONG, citation.start);
      partsHit.add(part);
      const document = (parts[part - 1] as FetchedPage).document;
      const anchor = spanAnchor(citation);
      expect(document.getElementById(anchor)?.tagName, anchor).toBe('MARK');
      // A span cut by a part's end continues, as pieces, on the next part.
      const pieces = [part - 1, part].flatMap((i) => (i < parts.length ? [...(parts[i] as FetchedPage).document.querySelectorAll(`#${anchor}, [data-c="${anchor}"]`)] : []));
      expect(pieces.map((p) => p.textContent).join('').replace(/\s+/g, ''), anchor).toBe(citation.text.replace(/\s+/g, ''));
    }
    expect(partsHit.size).toBeGreaterThan(3);
  });

  it('the links on the pages and in chat answers open the part that holds the span', async () => {
    const index = dossierIndex(kb);
    const late = citationsOf(kb, LONG).filter((c) => index.partOf(LONG, c.start) > 1);
    expect(late.length).toBeGreaterThan(10);
    // Pages: an entity page cited from the long article links to the right part.
    const entityId = kb.facts.find((f) => f.citations.some((c) => late.includes(c)) && f.entities[0] !== undefined)?.entities[0];
    const entityPage = await getPage(server, `/entities/${entityId}?page=1`);
    const links = [...entityPage.document.querySelectorAll(`a[href*="/sources/${LONG}"]`)].map((a) => a.getAttribute('href') ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const [, part, anchor] = /\/sources\/998_long(?:\?part=(\d+))?#(c-\d+-\d+)$/.exec(link) ?? [];
      expect(anchor, link).toBeDefined();
      const page = parts[Number(part ?? '1') - 1] as FetchedPage;
      expect(page.document.getElementById(anchor as string)?.tagName, link).toBe('MARK');
    }
    // Chat answers: the link computed for a citation of a late span names its part.
    const citation = late[late.length - 1] as Citation;
    const answer = reply({ kind: 'answer', title: 'About the valley', citations: [{ outlet: 'Long Reads', headline: 'The long report', date: '2021-08-29', sourceId: LONG, span: { start: citation.start, end: citation.end } }] });
    const linked = linkReply(answer, 'https://dossier.example.org', 'who', 'x', partsOf(() => snapshot));
    const link = linked.citations[0]?.link ?? '';
    expect(link).toBe(`https://dossier.example.org/sources/${LONG}?part=${index.partOf(LONG, citation.start)}#${spanAnchor(citation)}`);
    const response = await getPage(server, link.replace('https://dossier.example.org', ''));
    expect(response.document.getElementById(spanAnchor(citation))?.tagName).toBe('MARK');
  });
});
