/**
 * The reading cache gives exactly what the uncached build gives, reads only what it has not
 * read (one article when one is added), keeps its results on disk for the next start, and
 * throws everything away when the pipeline's code changes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArticles, type Article } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { createReadingCache, loadStoryWithCache } from '../../src/knowledge/reading-cache.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { articleMetaYaml } from '../../src/storage/articles.js';
import { SEED_STORY } from '../support/seed-story.js';

const dir = mkdtempSync(join(tmpdir(), 'dossier-reading-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const story = loadStoryMeta(SEED_STORY);
const registry = loadRegistry(join(SEED_STORY, 'registry.yaml'));
const seed = loadArticles(SEED_STORY);
const extra: Article = {
  id: '004_kabul_dispatch',
  file: 'x.txt',
  raw: readFileSync(join(import.meta.dirname, '../fixtures/articles/kabul-dispatch-2021-08-25.txt'), 'utf8'),
  meta: { outlet: 'Kabul Dispatch', headline: 'Resistance leader Ahmed Masood vows to defend Panjshir', published: '2021-08-25', language: 'en' },
};

describe('reading cache', () => {
  it('builds the same knowledge base as reading everything, and reads only the added article', () => {
    const cache = createReadingCache({ dir, version: 'v1' });
    expect(buildKnowledgeBase({ story, registry, articles: seed, read: cache.read })).toEqual(buildKnowledgeBase({ story, registry, articles: seed }));
    expect(cache.stats).toEqual({ hits: 0, misses: 2 });

    const withExtra = [...seed, extra];
    expect(buildKnowledgeBase({ story, registry, articles: withExtra, read: cache.read })).toEqual(buildKnowledgeBase({ story, registry, articles: withExtra }));
    expect(cache.stats).toEqual({ hits: 2, misses: 3 });
  });

  it('serves a new process from disk, and reads again after a pipeline change', () => {
    const restarted = createReadingCache({ dir, version: 'v1' });
    const articles = [...seed, extra];
    expect(buildKnowledgeBase({ story, registry, articles, read: restarted.read })).toEqual(buildKnowledgeBase({ story, registry, articles }));
    expect(restarted.stats).toEqual({ hits: 3, misses: 0 });

    const newCode = createReadingCache({ dir, version: 'v2' });
    buildKnowledgeBase({ story, registry, articles, read: newCode.read });
    expect(newCode.stats).toEqual({ hits: 0, misses: 3 });
  });

  it('reads an article again when its text or metadata changes', () => {
    const cache = createReadingCache({ version: 'v1' });
    buildKnowledgeBase({ story, registry, articles: [...seed, extra], read: cache.read });
    const edited = { ...extra, raw: `${extra.raw}\nA late paragraph about Panjshir.\n` };
    expect(buildKnowledgeBase({ story, registry, articles: [...seed, edited], read: cache.read })).toEqual(buildKnowledgeBase({ story, registry, articles: [...seed, edited] }));
    expect(cache.stats.misses).toBe(4);
  });
});

describe('snapshot of the built knowledge base', () => {
  it('lets a start-up with the same articles, registry and code load it without reading or building', async () => {
    const storyDir = mkdtempSync(join(tmpdir(), 'dossier-snapshot-story-'));
    cpSync(SEED_STORY, storyDir, { recursive: true });
    const snapshotFile = join(dir, 'snapshot', 'panjshir.kb.json');
    try {
      const first = createReadingCache({ version: 'v1', snapshotFile });
      const built = await loadStoryWithCache(storyDir, first);
      expect(existsSync(snapshotFile)).toBe(true);

      const restarted = createReadingCache({ version: 'v1', snapshotFile });
      expect(await loadStoryWithCache(storyDir, restarted)).toEqual(built);
      expect(restarted.stats).toEqual({ hits: 0, misses: 0 });

      // Another article: the snapshot no longer matches, so the story is built (and equals a fresh build).
      writeFileSync(join(storyDir, 'articles', `${extra.id}.txt`), extra.raw);
      writeFileSync(join(storyDir, 'articles', `${extra.id}.meta.yaml`), articleMetaYaml(extra.meta));
      const later = createReadingCache({ version: 'v1', snapshotFile });
      const withExtra = await loadStoryWithCache(storyDir, later);
      expect(later.stats.misses).toBe(3);
      expect(withExtra).toEqual(buildKnowledgeBase({ story, registry, articles: loadArticles(storyDir) }));

      // New code: the snapshot (written for v1) is not used.
      const newCode = createReadingCache({ version: 'v2', snapshotFile });
      await loadStoryWithCache(storyDir, newCode);
      expect(newCode.stats.misses).toBe(3);
    } finally {
      rmSync(storyDir, { recursive: true, force: true });
    }
  });
});

describe('writing the snapshot while articles keep arriving', () => {
  it('writes the first snapshot at once, a later one just after the build that made it (not during it), at most once per period', async () => {
    const snapshotFile = join(dir, 'pace', 'panjshir.kb.json');
    let clock = 0;
    const cache = createReadingCache({ version: 'v1', snapshotFile, snapshotEveryMs: 60_000, now: () => clock });
    const kb = buildKnowledgeBase({ story, registry, articles: loadArticles(SEED_STORY) });
    const stored = (): string => (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { key: string }).key;
    cache.built('k1', kb);
    expect(stored()).toBe('k1');
    clock = 30_000;
    cache.built('k2', kb);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored()).toBe('k1');
    clock = 61_000;
    cache.built('k3', kb);
    expect(stored()).toBe('k1');
    cache.built('k4', kb);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stored()).toBe('k4');
  });
});

describe('an article added to the story folder', () => {
  it('is added in place when it is the latest, and the whole story is built when it is not — the same knowledge base either way', async () => {
    const storyDir = mkdtempSync(join(tmpdir(), 'dossier-in-place-story-'));
    cpSync(SEED_STORY, storyDir, { recursive: true });
    const write = (article: Article): void => {
      writeFileSync(join(storyDir, 'articles', `${article.id}.txt`), article.raw);
      writeFileSync(join(storyDir, 'articles', `${article.id}.meta.yaml`), articleMetaYaml(article.meta));
    };
    try {
      const cache = createReadingCache({ version: 'v1' });
      await loadStoryWithCache(storyDir, cache);
      write(extra); // 25 August: after both seed reports
      const latest = await loadStoryWithCache(storyDir, cache);
      expect(cache.assembler.stats).toEqual({ full: 1, inPlace: 1 });
      expect(latest).toEqual(buildKnowledgeBase({ story, registry, articles: loadArticles(storyDir) }));
      const earlier = { ...extra, id: '005_earlier_dispatch', meta: { ...extra.meta, published: '2021-08-20' } };
      write(earlier);
      const built = await loadStoryWithCache(storyDir, cache);
      expect(cache.assembler.stats).toEqual({ full: 2, inPlace: 1 });
      expect(built).toEqual(buildKnowledgeBase({ story, registry, articles: loadArticles(storyDir) }));
    } finally {
      rmSync(storyDir, { recursive: true, force: true });
    }
  });
});

describe('the story files through one cache', () => {
  it('reads story.yaml and registry.yaml again when they change, not otherwise', async () => {
    const storyDir = mkdtempSync(join(tmpdir(), 'dossier-registry-story-'));
    cpSync(SEED_STORY, storyDir, { recursive: true });
    try {
      const cache = createReadingCache({ version: 'v1' });
      const before = await loadStoryWithCache(storyDir, cache);
      expect(await loadStoryWithCache(storyDir, cache)).toBe(before);
      const file = join(storyDir, 'registry.yaml');
      const yaml = readFileSync(file, 'utf8');
      const first = /^ +description: (.*)$/mu.exec(yaml)![1]!;
      writeFileSync(file, yaml.replace(`description: ${first}`, `description: ${first} Edited.`));
      writeFileSync(join(storyDir, 'story.yaml'), readFileSync(join(storyDir, 'story.yaml'), 'utf8').replace(/title: .*/u, 'title: Edited title'));
      const after = await loadStoryWithCache(storyDir, cache);
      expect(after.entities.some((e) => e.description.endsWith(' Edited.'))).toBe(true);
      expect(after.story.title).toBe('Edited title');
    } finally {
      rmSync(storyDir, { recursive: true, force: true });
    }
  });
});

describe('the story folder through one cache', () => {
  it('sees added, edited and removed article files on the next load', async () => {
    const storyDir = mkdtempSync(join(tmpdir(), 'dossier-folder-story-'));
    cpSync(SEED_STORY, storyDir, { recursive: true });
    try {
      const cache = createReadingCache({ version: 'v1' });
      expect((await loadStoryWithCache(storyDir, cache)).sources).toHaveLength(2);
      const txt = join(storyDir, 'articles', `${extra.id}.txt`);
      writeFileSync(txt, extra.raw);
      writeFileSync(join(storyDir, 'articles', `${extra.id}.meta.yaml`), articleMetaYaml(extra.meta));
      expect((await loadStoryWithCache(storyDir, cache)).sources.map((s) => s.id)).toContain(extra.id);

      const edited = `${extra.raw}\nA late paragraph about Panjshir and its fighters.\n`;
      writeFileSync(txt, edited);
      const kb = await loadStoryWithCache(storyDir, cache);
      expect(kb.sources.find((s) => s.id === extra.id)?.raw).toBe(edited);
      expect(kb).toEqual(buildKnowledgeBase({ story, registry, articles: loadArticles(storyDir) }));

      rmSync(txt);
      rmSync(join(storyDir, 'articles', `${extra.id}.meta.yaml`));
      expect((await loadStoryWithCache(storyDir, cache)).sources).toHaveLength(2);
    } finally {
      rmSync(storyDir, { recursive: true, force: true });
    }
  });
});
