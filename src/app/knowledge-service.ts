/**
 * Keeps the knowledge base the bot answers from up to date: loads the story folder, builds
 * the search over it, and rebuilds when an article or the registry changes — so an editor's new
 * article is answered and digested without a restart. A failed rebuild keeps the last good
 * knowledge base and logs why.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KnowledgeBase } from '../knowledge/model.js';
import type { Logger } from '../observability/logger.js';
import type { KnowledgeSearch, KnowledgeSnapshot } from '../search/types.js';
import type { ArticleStore } from '../storage/articles.js';

export interface KnowledgeServiceOptions {
  /** The story folder: story.yaml, registry.yaml and articles/. */
  storyDir: string;
  /** Builds a knowledge base from the story folder (the ingest pipeline). */
  loadStory: (storyDir: string, files?: FolderListing) => KnowledgeBase | Promise<KnowledgeBase>;
  /** Builds the search over a knowledge base. */
  createSearch: (kb: KnowledgeBase) => KnowledgeSearch;
  /**
   * The search over a rebuilt knowledge base, made from the current snapshot's (in place, in
   * milliseconds) instead of {@link createSearch}; the current snapshot's search may be changed.
   */
  updateSearch?: (current: KnowledgeSnapshot, kb: KnowledgeBase) => KnowledgeSearch;
  logger: Logger;
  now?: () => Date;
  /** How long to wait for a burst of file changes to settle before rebuilding. */
  debounceMs?: number;
  /** Also check the folder on this period, for file systems that do not report changes. */
  pollMs?: number;
  /**
   * Articles kept elsewhere (PostgreSQL mode): their version joins the folder's in the snapshot
   * version, and a change there (another instance ingested one) rebuilds like a file change.
   */
  articles?: Pick<ArticleStore, 'version' | 'watch'>;
  /** Runs before every build (PostgreSQL mode: copy new files of the story folder into the database). */
  beforeBuild?: () => Promise<void>;
}

export interface KnowledgeService {
  /** The snapshot to answer from now. */
  current(): KnowledgeSnapshot;
  /** Rebuild if the story folder changed; resolves `true` when a new snapshot was made. */
  refresh(): Promise<boolean>;
  /** Call `listener` after every successful rebuild; returns an unsubscribe function. */
  onChange(listener: (snapshot: KnowledgeSnapshot) => void): () => void;
  /** Start watching the story folder. */
  watch(): void;
  stop(): void;
}

/**
 * The story folder's files as just listed: path → `size:mtimeMs`. Handed to the loader, so that
 * a refresh stats each file once (a story of 10,000 articles has 20,000 of them), not once for
 * the signature and again to find which articles changed.
 */
export type FolderListing = ReadonlyMap<string, string>;

/** A signature of the story folder's files (name, size, modification time), cheap to compute, and the listing it was made from. */
async function folderSignature(storyDir: string): Promise<{ signature: string; files: FolderListing }> {
  const entries: string[] = [];
  const listing = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    const files: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
    // A story of 10,000 articles has 20,000 files: stat them in parallel batches, not one after another.
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH);
      const infos = await Promise.all(batch.map((path) => stat(path)));
      infos.forEach((info, n) => {
        entries.push(`${batch[n]!}\u0000${info.size}\u0000${info.mtimeMs}`);
        listing.set(batch[n]!, `${info.size}:${info.mtimeMs}`);
      });
    }
  }
  await walk(storyDir);
  return { signature: createHash('sha256').update(entries.sort().join('\n')).digest('hex').slice(0, 16), files: listing };
}

/** How many files' stats are asked for at once. */
const STAT_BATCH = 256;

/**
 * Load the story and keep it fresh.
 *
 * @example
 * const knowledge = await createKnowledgeService({ storyDir, loadStory, createSearch, logger });
 * knowledge.watch();
 * const { kb, search } = knowledge.current();
 */
export async function createKnowledgeService(options: KnowledgeServiceOptions): Promise<KnowledgeService> {
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(snapshot: KnowledgeSnapshot) => void>();
  let watcher: FSWatcher | undefined;
  let poller: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let refreshing: Promise<boolean> | undefined;
  let again: Promise<boolean> | undefined;
  let unwatchArticles: (() => void) | undefined;

  async function currentVersion(): Promise<{ version: string; files: FolderListing }> {
    const { signature, files } = await folderSignature(options.storyDir);
    return { version: options.articles === undefined ? signature : `${signature}:${await options.articles.version()}`, files };
  }

  async function build({ version, files }: { version: string; files: FolderListing }, previous?: KnowledgeSnapshot): Promise<KnowledgeSnapshot> {
    const started = performance.now();
    const kb = await options.loadStory(options.storyDir, files);
    const built = performance.now();
    const search = previous !== undefined && options.updateSearch !== undefined ? options.updateSearch(previous, kb) : options.createSearch(kb);
    options.logger.info(
      {
        version,
        sources: kb.sources.length,
        entities: kb.entities.length,
        facts: kb.facts.length,
        quotes: kb.quotes.length,
        ms: Math.round(performance.now() - started),
        searchMs: Math.round(performance.now() - built),
      },
      'knowledge base loaded',
    );
    return { kb, search, version, loadedAt: now() };
  }

  await options.beforeBuild?.();
  let snapshot = await build(await currentVersion());

  async function refreshOnce(): Promise<boolean> {
    try {
      await options.beforeBuild?.();
      const current = await currentVersion();
      if (current.version === snapshot.version) return false;
      snapshot = await build(current, snapshot);
    } catch (error) {
      options.logger.error({ err: error, storyDir: options.storyDir }, 'knowledge base rebuild failed; still answering from the previous one');
      return false;
    }
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        options.logger.error({ err: error }, 'knowledge change listener failed');
      }
    }
    return true;
  }

  const service: KnowledgeService = {
    current: () => snapshot,
    refresh() {
      if (refreshing === undefined) {
        refreshing = refreshOnce().finally(() => {
          refreshing = undefined;
        });
        return refreshing;
      }
      // One rebuild at a time. The running one may have listed the folder before the change
      // this caller made (a fetched article just written): one more rebuild follows it, shared
      // by every caller that arrives meanwhile, so none is told "done" before its change is in.
      const running = refreshing;
      again ??= running.then(async (first) => {
        again = undefined;
        return (await service.refresh()) || first;
      });
      return again;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch() {
      const schedule = () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => void service.refresh(), options.debounceMs ?? 300);
      };
      try {
        watcher = watch(options.storyDir, { recursive: true }, schedule);
        watcher.on('error', (error) => options.logger.warn({ err: error }, 'watching the story folder failed; relying on polling'));
      } catch (error) {
        options.logger.warn({ err: error }, 'cannot watch the story folder; relying on polling');
      }
      poller = setInterval(() => void service.refresh(), options.pollMs ?? 30_000);
      poller.unref();
      unwatchArticles = options.articles?.watch(() => void service.refresh());
    },
    stop() {
      unwatchArticles?.();
      unwatchArticles = undefined;
      watcher?.close();
      clearInterval(poller);
      clearTimeout(debounce);
    },
  };
  return service;
}
