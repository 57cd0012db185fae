/**
 * Buttons whose follow-up is too long for the platform: the command is kept in the database
 * (see {@link FollowUpStore}) and the button carries `k:<key>` instead. Shared by the Telegram
 * and Discord adapters; the console needs none (a typed number has no size limit).
 *
 * A key is a hash of the command, so the same button rendered again reuses its row; rows not
 * used for {@link FollowUpKeysOptions.retentionDays} days are pruned, at most once a day.
 */
import type { Logger } from '../observability/logger.js';
import type { Reply, ReplyAction } from '../replies/reply.js';
import type { FollowUpStore } from '../storage/types.js';

/** What a button's data starts with when it carries a key rather than a command line. */
export const FOLLOW_UP_KEY_PREFIX = 'k:';

export interface FollowUpKeysOptions {
  now: () => Date;
  /** Keep a follow-up this long after it was last shown (default 30 days). */
  retentionDays?: number;
  logger?: Logger;
}

export interface FollowUpKeys {
  /**
   * The reply with every follow-up whose command `fits` rejects replaced by `k:<key>` (kept in
   * the database first). Only for rendering on a platform: the result's keyed commands are
   * button data, not command lines.
   */
  keyed(reply: Reply, fits: (data: string) => boolean): Promise<Reply>;
  /**
   * The command line behind a button's data: `/…` as is, `k:<key>` looked up. `undefined` when
   * the key is no longer kept or the data is not ours.
   */
  commandOf(data: string): Promise<string | undefined>;
  /** Keep a long reply's rendered pages (JSON); returns the key the "More" button carries. */
  savePages(payload: string): Promise<string>;
  /** Rendered pages kept under `key`, if still kept. */
  pages(key: string): Promise<string | undefined>;
}

const DAY_MS = 86_400_000;

/**
 * Keyed follow-ups over a store.
 *
 * @example
 * const keys = createFollowUpKeys(store, { now: () => new Date() });
 * const shown = await keys.keyed(reply, (data) => Buffer.byteLength(data) <= 64);
 */
export function createFollowUpKeys(store: FollowUpStore, options: FollowUpKeysOptions): FollowUpKeys {
  const retentionMs = (options.retentionDays ?? 30) * DAY_MS;
  let lastPrune = Number.NEGATIVE_INFINITY;

  /** Forget old follow-ups now and then; a failure only means they are kept a while longer. */
  function maybePrune(now: Date): void {
    if (now.getTime() - lastPrune < DAY_MS) return;
    lastPrune = now.getTime();
    store.pruneFollowUps(new Date(now.getTime() - retentionMs)).catch((error: unknown) => {
      options.logger?.warn({ err: error }, 'old follow-ups could not be pruned');
    });
  }

  async function save(kind: 'command' | 'pages', payload: string): Promise<string> {
    const now = options.now();
    maybePrune(now);
    return store.saveFollowUp(kind, payload, now);
  }

  async function keyedAction(action: ReplyAction, fits: (data: string) => boolean): Promise<ReplyAction> {
    if (fits(action.command)) return action;
    return { ...action, command: `${FOLLOW_UP_KEY_PREFIX}${await save('command', action.command)}` };
  }

  return {
    async keyed(reply, fits) {
      const suggestions = await Promise.all(reply.suggestions.map((a) => keyedAction(a, fits)));
      const actions = await Promise.all(reply.actions.map((a) => keyedAction(a, fits)));
      return { ...reply, suggestions, actions };
    },
    async commandOf(data) {
      if (data.startsWith('/')) return data;
      if (!data.startsWith(FOLLOW_UP_KEY_PREFIX)) return undefined;
      return store.followUp('command', data.slice(FOLLOW_UP_KEY_PREFIX.length));
    },
    savePages(payload) {
      return save('pages', payload);
    },
    pages(key) {
      return store.followUp('pages', key);
    },
  };
}
