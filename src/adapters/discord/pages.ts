/**
 * Remembers the further pages of long replies for a while, so the "More" button can show them.
 * Bounded in size and age: after a restart or once expired, the button says so instead of failing.
 */
import { randomBytes } from 'node:crypto';
import type { RenderedReply } from './render.js';

export interface PageStore {
  /** Keep a rendered reply; returns the key its "More" buttons carry. */
  save(rendered: RenderedReply): string;
  get(key: string): RenderedReply | undefined;
}

export interface PageStoreOptions {
  /** Most replies kept at once (oldest dropped first). */
  maxEntries?: number;
  /** How long a reply's pages stay available (ms). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * An in-memory page store.
 *
 * @example
 * const pages = createPageStore({ maxEntries: 500, ttlMs: 30 * 60_000 });
 * const key = pages.save(rendered); // custom_id `more:${key}:1`
 */
export function createPageStore(options: PageStoreOptions = {}): PageStore {
  const maxEntries = options.maxEntries ?? 500;
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { rendered: RenderedReply; savedAt: number }>();
  return {
    save(rendered) {
      const key = randomBytes(6).toString('base64url');
      entries.set(key, { rendered, savedAt: now() });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return key;
    },
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now() - entry.savedAt > ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.rendered;
    },
  };
}
