/**
 * Where a story's articles are kept: the story folder (one process, SQLite mode) or the
 * PostgreSQL database (several instances share them). Everything that adds articles — the
 * ingest command, feed polling — and everything that builds knowledge from them goes through
 * {@link ArticleStore}, so an article added through any instance is known to all of them.
 *
 * The interface is asynchronous (a database is), and small: list, add, replace, a version that
 * changes with every change, and a change notification.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { loadArticles, metaPathFor, type Article, type ArticleMeta } from '../knowledge/articles.js';

/** An article to store: its text exactly as received and its metadata. */
export interface NewArticle {
  raw: string;
  meta: ArticleMeta;
  /** Keep this id (an update of a known article); default: the next `NNN_<hash16>`. */
  id?: string;
}

/** What {@link ArticleStore.add} did. */
export interface AddedArticle {
  id: string;
  /** `false` when an article with the same content was already stored (its id is returned). */
  added: boolean;
}

/** A story's articles, wherever they are kept. */
export interface ArticleStore {
  /** `folder` (the story folder's `articles/`) or `postgres` (the `articles` table). */
  readonly kind: 'folder' | 'postgres';
  /** Every article, sorted by id (the order sources are numbered in). */
  list(): Promise<Article[]>;
  /**
   * Store a new article under the next free `NNN_<hash16>` id, unless the same content (line
   * endings and surrounding blank space ignored) is already stored: then nothing is written and
   * the existing id is returned with `added: false`. Safe against concurrent adds.
   */
  add(article: NewArticle): Promise<AddedArticle>;
  /** Replace a stored article's text and metadata (an updated page); `false` if the id is unknown. */
  replace(id: string, article: Omit<NewArticle, 'id'>): Promise<boolean>;
  /** Changes whenever an article is added or replaced (by any process); cheap to ask. */
  version(): Promise<string>;
  /**
   * Call `listener` soon after the articles change, in this process or another. Returns a
   * function that stops watching.
   */
  watch(listener: () => void): () => void;
}

/** Hash of an article's content, line endings and surrounding blank space ignored. */
export function articleContentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n?/gu, '\n').trim()).digest('hex');
}

/** The next free id after `existingIds`: `NNN_<first 16 hex of the content hash>`. */
export function nextArticleId(existingIds: readonly string[], hash: string): string {
  const numbers = existingIds.map((id) => Number.parseInt(/^(\d+)_/u.exec(id)?.[1] ?? '-1', 10));
  const next = Math.max(-1, ...numbers) + 1;
  return `${String(next).padStart(3, '0')}_${hash.slice(0, 16)}`;
}

/** The metadata file's text, as the ingest command writes it. */
export function articleMetaYaml(meta: ArticleMeta): string {
  return `# Metadata of the article beside this file (same name, .txt).\n${stringifyYaml(meta)}`;
}

/**
 * The story folder as an {@link ArticleStore}: `<storyDir>/articles/<id>.txt` with
 * `<id>.meta.yaml` beside it. Changes are seen through `fs.watch` plus a poll (for file systems
 * that do not report changes). For one process; several instances use PostgreSQL.
 *
 * @example
 * const articles = folderArticleStore('data/stories/panjshir');
 * const { id } = await articles.add({ raw: text, meta });
 */
export function folderArticleStore(storyDir: string, options: { pollMs?: number } = {}): ArticleStore {
  const dir = join(storyDir, 'articles');
  const ids = () => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.txt')).map((n) => basename(n, '.txt')) : []);

  function write(id: string, article: Omit<NewArticle, 'id'>, flag: 'wx' | 'w'): void {
    mkdirSync(dir, { recursive: true });
    const txtFile = join(dir, `${id}.txt`);
    // Metadata first: a reader that sees the .txt always finds its .meta.yaml.
    writeFileSync(metaPathFor(txtFile), articleMetaYaml(article.meta), { encoding: 'utf8', flag });
    writeFileSync(txtFile, article.raw, { encoding: 'utf8', flag });
  }

  /**
   * Content hashes of the stored articles, each kept while its file's size and modification time
   * stay the same: checking a new article for a duplicate then reads only files that changed,
   * not the whole story on every add.
   */
  const hashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();
  function storedHash(id: string): string {
    const file = join(dir, `${id}.txt`);
    const { size, mtimeMs } = statSync(file);
    const known = hashes.get(id);
    if (known !== undefined && known.size === size && known.mtimeMs === mtimeMs) return known.hash;
    const hash = articleContentHash(readFileSync(file, 'utf8'));
    hashes.set(id, { size, mtimeMs, hash });
    return hash;
  }

  /** A signature of the articles' names, sizes and modification times. */
  function folderVersion(): string {
    const entries = existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((name) => {
            const info = statSync(join(dir, name));
            return `${name}\u0000${info.size}\u0000${info.mtimeMs}`;
          })
      : [];
    return createHash('sha256').update(entries.join('\n')).digest('hex').slice(0, 16);
  }

  return {
    kind: 'folder',
    async list() {
      return loadArticles(storyDir);
    },
    async add(article) {
      const hash = articleContentHash(article.raw);
      for (const id of ids()) {
        if (storedHash(id) === hash) return { id, added: false };
      }
      // `wx` refuses to overwrite: two adders racing for one id fail instead of clobbering.
      const id = article.id ?? nextArticleId(ids(), hash);
      write(id, article, 'wx');
      return { id, added: true };
    },
    async replace(id, article) {
      if (!ids().includes(id)) return false;
      write(id, article, 'w');
      return true;
    },
    async version() {
      return folderVersion();
    },
    watch(listener) {
      let watcher: FSWatcher | undefined;
      let last = folderVersion();
      const check = () => {
        const now = folderVersion();
        if (now === last) return;
        last = now;
        listener();
      };
      try {
        mkdirSync(dir, { recursive: true });
        watcher = watch(dir, check);
        watcher.on('error', () => undefined);
      } catch {
        // Polling below still sees changes.
      }
      const poller = setInterval(check, options.pollMs ?? 30_000);
      poller.unref();
      return () => {
        watcher?.close();
        clearInterval(poller);
      };
    },
  };
}
