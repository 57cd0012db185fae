/**
 * A story's feeds, from the `feeds:` list of its `story.yaml`:
 *
 * ```yaml
 * feeds:
 *   - url: https://example.org/world/rss.xml
 *     include: [ahmad-massoud, panjshir]   # registry entity ids (any of their names) or keywords
 *     exclude: [cricket]
 *     every: 2m                            # poll interval: 30s, 5m, 1h (default 1m, at least 15s)
 * ```
 *
 * The 15-second floor is politeness towards other people's servers; a feed served from this
 * machine (localhost, 127.0.0.0/8, ::1: a local feed bridge, a test site) may be polled every second.
 *
 * The file is read again whenever it changes, so feeds can be added or removed while the bot runs.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { RegistryEntity } from '../knowledge/registry.js';

export const DEFAULT_POLL_MS = 60_000;
export const MIN_POLL_MS = 15_000;
/** The floor for a feed on this machine, which no one else pays for. */
export const MIN_LOCAL_POLL_MS = 1000;

/** Whether a URL's host is this machine (loopback), where the politeness floor does not apply. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(host) || host === '[::1]';
}

/** `30s`, `5m`, `1h` → milliseconds. */
export function parseInterval(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)\s*$/iu.exec(text);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  return Math.round(Number(match[1]) * (unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000));
}

const feedSchema = z
  .object({
    url: z.url('must be a full URL (https://…)').refine((u) => /^https?:/iu.test(u), 'must be an http or https URL'),
    include: z.array(z.string().trim().min(1)).optional(),
    exclude: z.array(z.string().trim().min(1)).optional(),
    every: z.string().optional(),
  })
  .superRefine((feed, ctx) => {
    if (feed.every === undefined) return;
    const floor = isLoopbackUrl(feed.url) ? MIN_LOCAL_POLL_MS : MIN_POLL_MS;
    if ((parseInterval(feed.every) ?? 0) < floor) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: `must be an interval such as "2m" or "30s", at least ${floor / 1000}s${floor === MIN_POLL_MS ? ' (1s for a feed on this machine)' : ''}` });
    }
  });

const storyFeedsSchema = z.object({ feeds: z.array(feedSchema).optional() });

/** One feed to poll, with its filter terms. */
export interface FeedConfig {
  url: string;
  include: string[];
  exclude: string[];
  intervalMs: number;
}

/** Thrown when `feeds:` in story.yaml is invalid; the message names the file and the field. */
export class FeedConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedConfigError';
  }
}

/**
 * Read the feeds of a story folder (an empty list when story.yaml lists none).
 *
 * @throws FeedConfigError naming the field at fault
 */
export function loadFeedConfig(storyDir: string): FeedConfig[] {
  const file = join(storyDir, 'story.yaml');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FeedConfigError(`${file}: cannot be read: ${(error as Error).message}`);
  }
  const result = storyFeedsSchema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `field "${i.path.join('.')}": ${i.message}`);
    throw new FeedConfigError(`${file}: invalid feeds: ${problems.join('; ')}`);
  }
  return (result.data.feeds ?? []).map((f) => ({
    url: f.url,
    include: f.include ?? [],
    exclude: f.exclude ?? [],
    intervalMs: f.every === undefined ? DEFAULT_POLL_MS : (parseInterval(f.every) ?? DEFAULT_POLL_MS),
  }));
}

/**
 * story.yaml's feeds, read again only when the file changed (size or modification time), and
 * the last good list kept when an edit breaks it.
 */
export class FeedConfigWatcher {
  #signature = '';
  #feeds: FeedConfig[] = [];
  #error: string | undefined;
  #generation = 0;

  constructor(readonly storyDir: string) {}

  /**
   * The current feeds; `error` is set while story.yaml's feeds are invalid (the last good list is
   * used). `generation` goes up each time the file is read again, so each caller can tell a
   * change it has not seen yet (`changed` only says whether this call read the file).
   */
  current(): { feeds: FeedConfig[]; error?: string; changed: boolean; generation: number } {
    const file = join(this.storyDir, 'story.yaml');
    let signature = 'missing';
    try {
      const info = statSync(file);
      signature = `${info.size}:${info.mtimeMs}`;
    } catch {
      // A missing file keeps the last list; loadFeedConfig says why below.
    }
    let changed = false;
    if (signature !== this.#signature) {
      this.#signature = signature;
      this.#generation += 1;
      try {
        this.#feeds = loadFeedConfig(this.storyDir);
        this.#error = undefined;
        changed = true;
      } catch (error) {
        this.#error = (error as Error).message;
      }
    }
    return { feeds: this.#feeds, ...(this.#error === undefined ? {} : { error: this.#error }), changed, generation: this.#generation };
  }
}

// ── Filters ───────────────────────────────────────────────────────────────────────────────

const fold = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-‐‑–—]/gu, ' ');

/** A term as the words that match it: an entity id stands for all of its names. */
function namesOf(term: string, entities: readonly Pick<RegistryEntity, 'id' | 'label' | 'aliases'>[]): string[] {
  const entity = entities.find((e) => e.id === term);
  return entity === undefined ? [term] : [entity.label, ...entity.aliases];
}

function mentions(text: string, folded: string, name: string): boolean {
  // Acronyms (US, NRF) match only in capitals, as in the knowledge pipeline.
  if (/^[A-Z]{2,5}$/u.test(name)) return new RegExp(`(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}])`, 'u').test(text);
  const needle = fold(name).replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${needle}(?![\\p{L}\\p{N}])`, 'u').test(folded);
}

/**
 * What a text says about a feed's filters: it names an `exclude` term (which always wins), an
 * `include` term, none of the `include` terms, or the feed has no `include` terms at all.
 */
export type FilterVerdict = { kind: 'excluded'; term: string } | { kind: 'included'; term: string } | { kind: 'unfiltered' } | { kind: 'none' };

/**
 * Judge a text (a feed item's title, summary and categories, or an article's headline and
 * report) against a feed's `include` / `exclude` terms. Entity ids match any of the entity's
 * names; matching ignores case, accents and hyphens, and acronyms match only in capitals.
 *
 * @example
 * judgeText('Massoud vows to fight', feed, registry.entities) // { kind: 'included', term: 'ahmad-massoud' }
 */
export function judgeText(text: string, feed: Pick<FeedConfig, 'include' | 'exclude'>, entities: readonly Pick<RegistryEntity, 'id' | 'label' | 'aliases'>[]): FilterVerdict {
  const folded = fold(text);
  const hit = (term: string) => namesOf(term, entities).some((name) => mentions(text, folded, name));
  const excluded = feed.exclude.find(hit);
  if (excluded !== undefined) return { kind: 'excluded', term: excluded };
  if (feed.include.length === 0) return { kind: 'unfiltered' };
  const included = feed.include.find(hit);
  return included === undefined ? { kind: 'none' } : { kind: 'included', term: included };
}
