/**
 * The knowledge the bot answers from stays current: an article dropped into the story folder
 * is answered without a restart, and a broken edit never replaces the last good knowledge base.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeService, type KnowledgeService } from '../../src/app/knowledge-service.js';
import { loadStory } from '../../src/knowledge/load.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import { capturingLogger } from '../support/test-tools.js';

const FIXTURE = 'test/fixtures/analysis/articles/100_fixture_panjshir_fall';
const folders: string[] = [];
const services: KnowledgeService[] = [];

afterEach(() => {
  for (const service of services.splice(0)) service.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A private copy of the seed story, so tests can add and break files. */
function copyOfSeedStory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-story-'));
  folders.push(dir);
  cpSync('data/stories/panjshir', dir, { recursive: true });
  return dir;
}

function addFixtureArticle(storyDir: string): void {
  copyFileSync(`${FIXTURE}.meta.yaml`, join(storyDir, 'articles', '100_fixture_panjshir_fall.meta.yaml'));
  copyFileSync(`${FIXTURE}.txt`, join(storyDir, 'articles', '100_fixture_panjshir_fall.txt'));
}

async function start(storyDir: string, logger = capturingLogger().logger): Promise<KnowledgeService> {
  const service = await createKnowledgeService({ storyDir, loadStory, createSearch: createKnowledgeSearch, logger, debounceMs: 20, pollMs: 60_000 });
  services.push(service);
  return service;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the knowledge service', () => {
  it('loads the story folder into a snapshot with its search', async () => {
    const service = await start(copyOfSeedStory());
    const { kb, search, version } = service.current();
    expect(kb.sources).toHaveLength(2);
    expect(search.resolveEntity('bazarak').kind).toBe('found');
    expect(version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not rebuild when nothing changed', async () => {
    const service = await start(copyOfSeedStory());
    const before = service.current();
    expect(await service.refresh()).toBe(false);
    expect(service.current()).toBe(before);
  });

  it('picks up a new article on refresh and tells its listeners', async () => {
    const dir = copyOfSeedStory();
    const service = await start(dir);
    const seen: number[] = [];
    service.onChange((snapshot) => seen.push(snapshot.kb.sources.length));
    const before = service.current().version;

    addFixtureArticle(dir);
    expect(await service.refresh()).toBe(true);

    const { kb, version } = service.current();
    expect(version).not.toBe(before);
    expect(kb.sources.map((s) => s.outlet)).toContain('Fixture Wire');
    expect(seen).toEqual([3]);
  });

  it('a refresh asked for while a rebuild runs is answered by a rebuild that starts after it: a change made meanwhile is in', async () => {
    const storyDir = copyOfSeedStory();
    let gate: (() => void) | undefined;
    let builds = 0;
    const service = await createKnowledgeService({
      storyDir,
      // The second build (the first refresh) waits until the test lets it go.
      loadStory: async (dir) => {
        builds++;
        if (builds === 2) await new Promise<void>((resolve) => (gate = resolve));
        return loadStory(dir);
      },
      createSearch: createKnowledgeSearch,
      logger: capturingLogger().logger,
      pollMs: 60_000,
    });
    services.push(service);
    writeFileSync(join(storyDir, 'articles', 'touched.txt'), ''); // a change, so the first refresh rebuilds
    const first = service.refresh();
    await waitFor(() => gate !== undefined, 5000);
    // The article arrives while that rebuild runs, and its writer asks for a refresh.
    rmSync(join(storyDir, 'articles', 'touched.txt'));
    addFixtureArticle(storyDir);
    const second = service.refresh();
    gate?.();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(service.current().kb.sources.map((s) => s.id)).toContain('100_fixture_panjshir_fall');
    expect(builds).toBe(3);
  });

  it('while watching, answers from a dropped-in article without being asked to refresh', async () => {
    const dir = copyOfSeedStory();
    const service = await start(dir);
    service.watch();
    addFixtureArticle(dir);
    await waitFor(() => service.current().kb.sources.length === 3, 5_000);
    const hits = service.current().search.searchFacts('provincial capital Bazarak taken');
    expect(hits.some((h) => h.fact.citations.some((c) => service.current().kb.sources.find((s) => s.id === c.sourceId)?.outlet === 'Fixture Wire'))).toBe(true);
  });

  it('keeps answering from the last good knowledge base when an edit breaks the registry, and says why', async () => {
    const dir = copyOfSeedStory();
    const { logger, lines } = capturingLogger();
    const service = await start(dir, logger);
    const before = service.current();

    writeFileSync(join(dir, 'registry.yaml'), 'entities: [ {id: broken\n');
    expect(await service.refresh()).toBe(false);

    expect(service.current()).toBe(before);
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('rebuild failed'))).toBe(true);
  });

  it('a listener that throws is logged and does not stop the others', async () => {
    const dir = copyOfSeedStory();
    const { logger, lines } = capturingLogger();
    const service = await start(dir, logger);
    let called = false;
    service.onChange(() => {
      throw new Error('listener bug');
    });
    service.onChange(() => {
      called = true;
    });
    addFixtureArticle(dir);
    await service.refresh();
    expect(called).toBe(true);
    expect(lines.some((l) => String(l.msg).includes('listener failed'))).toBe(true);
  });
});
