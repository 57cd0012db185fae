/**
 * Built knowledge kept per article: every per-article stage ({@link knowArticles}: cleaning,
 * sentences, mentions, quotes, facts, candidate names) gives each article a result that depends
 * only on that article, the registry's names and the pipeline's code. This cache keeps those
 * results, keyed by a hash of all three, in memory and in a {@link KnowledgeUnitStore} (a folder
 * on disk by default, a table in PostgreSQL mode), so adding one article reads one article, and
 * a restart — or another instance — reads none that was read before. Only the story-wide stages
 * (corroboration, events, claims, conflicts, candidate clustering) run on each build.
 *
 * The pipeline version is a hash of the knowledge modules' own source files: any change to the
 * code invalidates every kept result, so a cache can never serve what older code produced.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knowArticles, type ArticleKnowledge } from './article-knowledge.js';
import { loadArticle, metaPathFor, type Article } from './articles.js';
import { canonicalOrder, createAssembler, type Assembler } from './build.js';
import { loadStoryMeta } from './load.js';
import type { MentionableEntity } from './mentions.js';
import type { KnowledgeBase } from './model.js';
import type { SpeakerEntity } from './quotes.js';
import { loadRegistry } from './registry.js';

/** Hash of every module of the knowledge pipeline (this folder's .ts or .js files). */
export function pipelineVersion(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => /\.(ts|js)$/u.test(n) && !n.endsWith('.d.ts')).sort()) {
    hash.update(name).update('\u0000').update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where per-article results are kept between runs: JSON text by key. The key already names the
 * pipeline version, so a store never has to know about versions; entries of older versions are
 * simply never asked for again.
 */
export interface KnowledgeUnitStore {
  /** The stored text of each key that is stored (missing keys are left out). */
  get(keys: readonly string[]): Map<string, string>;
  put(entries: ReadonlyArray<readonly [string, string]>): void;
}

/**
 * A folder of `<key>.json` files (written to a temporary name, then renamed, so a reader never
 * sees half a file).
 *
 * @example
 * const store = folderUnitStore('var/reading-cache/panjshir');
 */
export function folderUnitStore(dir: string): KnowledgeUnitStore {
  mkdirSync(dir, { recursive: true });
  return {
    get(keys) {
      const found = new Map<string, string>();
      for (const key of keys) {
        const file = join(dir, `${key}.json`);
        if (existsSync(file)) found.set(key, readFileSync(file, 'utf8'));
      }
      return found;
    },
    put(entries) {
      for (const [key, text] of entries) {
        const file = join(dir, `${key}.json`);
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, text);
        renameSync(temporary, file);
      }
    },
  };
}

export interface ReadingCacheOptions {
  /** Where results are kept between runs (a folder); without it or `store` the cache lives in memory only. */
  dir?: string;
  /** Where results are kept between runs (e.g. PostgreSQL); takes precedence over `dir`. */
  store?: KnowledgeUnitStore;
  /** Default: {@link pipelineVersion}. */
  version?: string;
  /**
   * A file for the last built knowledge base of the story: a start-up whose articles, registry
   * and code are those it was built from loads it instead of running the story-wide stages.
   */
  snapshotFile?: string;
  /** Write the snapshot at most this often while articles keep arriving (default 60 s). */
  snapshotEveryMs?: number;
  /** For the snapshot's pace (default `Date.now`). */
  now?: () => number;
}

/** A built knowledge base and the key of everything it was built from. */
interface Snapshot {
  key: string;
  kb: KnowledgeBase;
}

export interface ReadingCache {
  /** A drop-in for {@link knowArticles}: articles known before are not read again. */
  read(articles: readonly Article[], entities: readonly (MentionableEntity & SpeakerEntity)[]): ArticleKnowledge[];
  /** Hits (memory or store) and misses since creation (for logs and the bench). */
  readonly stats: { hits: number; misses: number };
  /** The pipeline version the keys are made with. */
  readonly version: string;
  /**
   * The story folder's articles, as {@link loadArticles} gives them; a file pair whose size and
   * modification time are those of the last call is not read and parsed again. `listing`: sizes
   * and times the caller has just read (path → `size:mtimeMs`), used instead of asking again.
   */
  articles(storyDir: string, listing?: ReadonlyMap<string, string>): Article[];
  /** The key of each article's kept result (what {@link ReadingCache.read} looks up). */
  keys(articles: readonly Article[], entities: readonly MentionableEntity[]): string[];
  /** The snapshot file's knowledge base when it was built from exactly `key` (read once). */
  snapshot(key: string): KnowledgeBase | undefined;
  /**
   * Remember the knowledge base built from `key`. Written to the snapshot file at once when
   * this process has none yet (a cold start-up: what the next start-up needs) or when `force`;
   * then at most every `snapshotEveryMs`, just after the build (not on its way).
   */
  built(key: string, kb: KnowledgeBase, force?: boolean): void;
  /**
   * Write the last built knowledge base to the snapshot file now if the file is older (on a
   * graceful stop: the next start-up then loads it instead of running the story-wide stages).
   * Returns whether it wrote.
   */
  flush(): boolean;
  /** The story-wide stages with their state kept between builds (an article that sorts last is added in place). */
  readonly assembler: Assembler;
}

/**
 * Create a reading cache.
 *
 * @example
 * const cache = createReadingCache({ dir: 'var/reading-cache' });
 * const kb = buildKnowledgeBase({ story, registry, articles, read: cache.read });
 */
export function createReadingCache(options: ReadingCacheOptions = {}): ReadingCache {
  const version = options.version ?? pipelineVersion();
  const memory = new Map<string, ArticleKnowledge>();
  const stats = { hits: 0, misses: 0 };
  const store = options.store ?? (options.dir === undefined ? undefined : folderUnitStore(options.dir));
  let namesOf: { entities: readonly MentionableEntity[]; key: string } | undefined;

  const entitiesKey = (entities: readonly MentionableEntity[]): string => {
    // The registry is the same array build after build: hash it once.
    if (namesOf?.entities !== entities) namesOf = { entities, key: createHash('sha256').update(JSON.stringify(entities)).digest('hex') };
    return namesOf.key;
  };
  // Each article's key, worked out once per article object (the folder's articles are kept between builds).
  const known = new WeakMap<Article, { entities: string; id: string; meta: Article['meta']; metaText: string; raw: string; key: string }>();
  const keyOf = (article: Article, entities: string): string => {
    const kept = known.get(article);
    const metaText = kept !== undefined && kept.meta === article.meta ? kept.metaText : JSON.stringify(article.meta);
    if (kept !== undefined && kept.entities === entities && kept.id === article.id && kept.metaText === metaText && kept.raw === article.raw) return kept.key;
    const key = createHash('sha256').update(version).update('\u0000').update(entities).update('\u0000').update(article.id).update('\u0000').update(metaText).update('\u0000').update(article.raw).digest('hex');
    known.set(article, { entities, id: article.id, meta: article.meta, metaText, raw: article.raw, key });
    return key;
  };

  function parse(text: string, raw: string): ArticleKnowledge | undefined {
    try {
      const stored = JSON.parse(text) as ArticleKnowledge;
      // The raw text is not duplicated in the store: the article is the one copy.
      stored.source.raw = raw;
      return stored;
    } catch {
      return undefined; // A torn or foreign entry is simply read again.
    }
  }
  const serialise = (unit: ArticleKnowledge): string => JSON.stringify({ ...unit, source: { ...unit.source, raw: '' } });

  const now = options.now ?? Date.now;
  let fileChecked = false;
  let lastWrite: number | undefined;
  let latest: Snapshot | undefined;
  /** What the file holds (as far as this process knows). */
  let written: Snapshot | undefined;
  let writing = false;

  function writeSnapshot(snapshot: Snapshot): void {
    if (options.snapshotFile === undefined) return;
    written = snapshot;
    mkdirSync(dirname(options.snapshotFile), { recursive: true });
    const temporary = `${options.snapshotFile}.${process.pid}.tmp`;
    // Raw texts stay in the articles: the snapshot names them by source id.
    writeFileSync(temporary, JSON.stringify({ key: snapshot.key, kb: { ...snapshot.kb, sources: snapshot.kb.sources.map((src) => ({ ...src, raw: '' })) } }));
    renameSync(temporary, options.snapshotFile);
    lastWrite = now();
  }

  const keysOf = (articles: readonly Article[], entities: readonly MentionableEntity[]): string[] => {
    const names = entitiesKey(entities);
    return articles.map((article) => keyOf(article, names));
  };

  const files = new Map<string, { signature: string; article: Article }>();
  function folderArticles(storyDir: string, listing?: ReadonlyMap<string, string>): Article[] {
    const dir = join(storyDir, 'articles');
    if (!existsSync(dir)) return [];
    const names = readdirSync(dir).filter((name) => name.endsWith('.txt')).sort();
    const seen = new Set<string>();
    const out = names.map((name) => {
      const file = join(dir, name);
      seen.add(file);
      const stat = (path: string): string => {
        // The caller's listing, when it just made one; a file it did not see is looked at now.
        const listed = listing?.get(path);
        if (listed !== undefined) return listed;
        const info = statSync(path, { throwIfNoEntry: false });
        return info === undefined ? '-' : `${info.size}:${info.mtimeMs}`;
      };
      const signature = `${stat(file)}|${stat(metaPathFor(file))}`;
      const known = files.get(file);
      if (known !== undefined && known.signature === signature) return known.article;
      const article = loadArticle(file); // throws the same errors as loadArticles
      files.set(file, { signature, article });
      return article;
    });
    for (const file of files.keys()) if (!seen.has(file)) files.delete(file);
    return out;
  }

  return {
    stats,
    version,
    assembler: createAssembler(),
    articles: folderArticles,
    keys: keysOf,
    snapshot(key) {
      if (fileChecked || options.snapshotFile === undefined) return undefined;
      fileChecked = true;
      if (!existsSync(options.snapshotFile)) return undefined;
      try {
        const stored = JSON.parse(readFileSync(options.snapshotFile, 'utf8')) as Snapshot;
        if (stored.key !== key) return undefined;
        latest = stored;
        written = stored;
        lastWrite = now();
        return stored.kb;
      } catch {
        return undefined; // A torn or foreign file: build instead.
      }
    },
    built(key, kb, force = false) {
      latest = { key, kb };
      if (force || lastWrite === undefined) writeSnapshot(latest);
      else if (!writing && now() - lastWrite >= (options.snapshotEveryMs ?? 60_000)) {
        // Not on the way of the build that asked: the knowledge base is answered from first, the
        // file written just after (it still holds the event loop while it is serialised).
        writing = true;
        setImmediate(() => {
          writing = false;
          if (latest !== undefined) writeSnapshot(latest);
        });
      }
    },
    flush() {
      if (latest === undefined || latest === written || options.snapshotFile === undefined) return false;
      writeSnapshot(latest);
      return true;
    },
    read(articles, entities) {
      const keys = keysOf(articles, entities);
      const results: Array<ArticleKnowledge | undefined> = keys.map((key) => memory.get(key));
      const unknown = keys.filter((_, i) => results[i] === undefined);
      const stored = store !== undefined && unknown.length > 0 ? store.get(unknown) : new Map<string, string>();
      const missing: number[] = [];
      articles.forEach((article, i) => {
        const key = keys[i] as string;
        if (results[i] === undefined) {
          const text = stored.get(key);
          const parsed = text === undefined ? undefined : parse(text, article.raw);
          if (parsed !== undefined) memory.set(key, parsed);
          results[i] = parsed;
        }
        if (results[i] === undefined) missing.push(i);
        else stats.hits++;
      });
      if (missing.length > 0) {
        const read = knowArticles(missing.map((i) => articles[i] as Article), entities);
        const fresh: Array<[string, string]> = [];
        missing.forEach((i, n) => {
          const unit = read[n] as ArticleKnowledge;
          const key = keys[i] as string;
          memory.set(key, unit);
          fresh.push([key, serialise(unit)]);
          results[i] = unit;
          stats.misses++;
        });
        store?.put(fresh);
      }
      return results as ArticleKnowledge[];
    },
  };
}

/**
 * {@link loadStory} through a reading cache: the story's story.yaml and registry.yaml from its
 * folder, the articles from the folder or from `articles` (PostgreSQL mode).
 *
 * @example
 * const kb = await loadStoryWithCache('data/stories/panjshir', cache);
 */
export async function loadStoryWithCache(
  storyDir: string,
  cache: ReadingCache,
  articles?: { list(): Promise<Article[]> },
  listing?: ReadonlyMap<string, string>,
): Promise<KnowledgeBase> {
  const story = unchangedFile(join(storyDir, 'story.yaml'), () => loadStoryMeta(storyDir));
  const registry = unchangedFile(join(storyDir, 'registry.yaml'), (file) => loadRegistry(file));
  const listed = articles === undefined ? cache.articles(storyDir, listing) : await articles.list();
  const ordered = canonicalOrder(listed);
  // Everything the story-wide stages read: the code, the story, the registry, each article.
  const key = createHash('sha256').update(cache.version).update('\u0000').update(JSON.stringify(story)).update('\u0000').update(JSON.stringify(registry)).update(cache.keys(ordered, registry.entities).join('\n')).digest('hex');
  const saved = cache.snapshot(key);
  if (saved !== undefined) {
    const raws = new Map(listed.map((a) => [a.id, a.raw]));
    for (const source of saved.sources) source.raw = raws.get(source.id) ?? '';
    return saved;
  }
  const kb = cache.assembler.assemble(story, registry, cache.read(ordered, registry.entities)).kb;
  cache.built(key, kb);
  return kb;
}

/** Parsed story.yaml and registry.yaml files, by path, with the size and time they had. */
const parsedFiles = new Map<string, { signature: string; value: unknown }>();

/** `load(file)`, or what it gave last time while the file's size and modification time are the same. */
function unchangedFile<T>(file: string, load: (file: string) => T): T {
  const info = statSync(file, { throwIfNoEntry: false });
  const signature = info === undefined ? '-' : `${info.size}:${info.mtimeMs}:${info.ino}`;
  const known = parsedFiles.get(file);
  if (known !== undefined && known.signature === signature) return known.value as T;
  const value = load(file); // throws as it would without the memo
  parsedFiles.set(file, { signature, value });
  return value;
}
