/**
 * The further pages of long replies, for the "More" button. Kept in the database under a short
 * key (see adapters/follow-up-keys.ts), so "More" keeps working after a restart and on any
 * instance; only a reply not shown for the retention period is gone, and then the button says so.
 */
import type { FollowUpKeys } from '../follow-up-keys.js';
import type { RenderedReply } from './render.js';

export interface PageStore {
  /** Keep a rendered reply; returns the key its "More" buttons carry. */
  save(rendered: RenderedReply): Promise<string>;
  /** The rendered reply kept under `key`, or `undefined` when it is no longer kept. */
  get(key: string): Promise<RenderedReply | undefined>;
}

function isRendered(value: unknown): value is RenderedReply {
  const v = value as Partial<RenderedReply> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.pages) && Array.isArray(v.buttons) && typeof v.ephemeral === 'boolean';
}

/**
 * A page store over the database's follow-ups.
 *
 * @example
 * const pages = createPageStore(createFollowUpKeys(store, { now }));
 * const key = await pages.save(rendered); // custom_id `more:${key}:1`
 */
export function createPageStore(keys: FollowUpKeys): PageStore {
  return {
    save(rendered) {
      return keys.savePages(JSON.stringify(rendered));
    },
    async get(key) {
      const payload = await keys.pages(key);
      if (payload === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(payload);
        return isRendered(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
