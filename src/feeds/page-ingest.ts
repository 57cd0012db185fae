/**
 * One web page into a story: fetch it, extract the report and its metadata, recognise it if the
 * story already holds it (same page under another URL, a syndicated copy on another site, or a
 * newer version of a stored page), and otherwise store it through the story's
 * {@link ArticleStore} (the story folder's `articles/` in SQLite mode, the database in
 * PostgreSQL mode) after the same checks as `npm run ingest` (src/knowledge/ingest.ts). The text
 * is stored as extracted, so every citation can be re-read later even if the page changes or
 * disappears.
 */
import { extractArticle, type ExtractedArticle } from '../extract/extract.js';
import type { PageMetadata } from '../extract/metadata.js';
import type { FetchFailureKind, Fetcher } from '../fetch/fetcher.js';
import { ArticleError, isIsoDate, parseArticleMeta, type ArticleMeta } from '../knowledge/articles.js';
import { cleanArticle } from '../knowledge/clean.js';
import { checkArticleText, contentHash, IngestError } from '../knowledge/ingest.js';
import type { ArticleStore } from '../storage/articles.js';
import type { ArticleAppearance, FeedStore, WebArticleRecord } from '../storage/types.js';
import { normaliseUrl, similarity, sketch, SYNDICATION_THRESHOLD } from './identity.js';

/** What the caller knows about the page besides the page itself. */
export interface PageHints {
  outlet?: string;
  headline?: string;
  /** `YYYY-MM-DD` or an ISO timestamp. */
  published?: string;
  language?: string;
  originalLanguage?: string;
  agency?: string;
  note?: string;
}

export type PageFailureKind = FetchFailureKind | 'paywall' | 'cookie-wall' | 'not-an-article' | 'invalid-article';

export type PageOutcome =
  | { status: 'added'; url: string; sourceId: string; meta: ArticleMeta }
  | { status: 'updated'; url: string; sourceId: string; replaced: string; meta: ArticleMeta }
  | { status: 'duplicate'; url: string; sourceId: string; reason: string; appearanceAdded: boolean }
  | { status: 'failed'; url: string; failure: PageFailureKind; reason: string; permanent: boolean };

export interface PageIngestContext {
  story: string;
  /** Where the story's articles are stored. */
  articles: ArticleStore;
  fetcher: Fetcher;
  store: FeedStore;
  now: () => Date;
}

/** `YYYY-MM-DD` of a timestamp as the publisher wrote it (its own calendar day), else of its UTC instant. */
export function dayOf(timestamp: string | undefined): string | undefined {
  if (timestamp === undefined) return undefined;
  const prefix = /^(\d{4}-\d{2}-\d{2})/u.exec(timestamp.trim())?.[1];
  if (prefix !== undefined && isIsoDate(prefix)) return prefix;
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}

/** The outlet from the host name when the page does not say: `www.kabul-dispatch.example` → `kabul-dispatch.example`. */
function hostOutlet(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./u, '');
  } catch {
    return url;
  }
}

function absolute(url: string | undefined, base: string): string | undefined {
  if (url === undefined) return undefined;
  try {
    const resolved = new URL(url, base);
    return /^https?:$/u.test(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/** A newer version of a stored page: its modified (or published) time is later than the stored one's. */
function isNewer(page: PageMetadata, stored: WebArticleRecord): boolean {
  const pageTime = Date.parse(page.modified ?? page.published ?? '');
  const storedTime = Date.parse(stored.modified ?? '');
  if (Number.isNaN(pageTime)) return false;
  return Number.isNaN(storedTime) || pageTime > storedTime;
}

/**
 * The sketch of an article's report: its text after the knowledge pipeline's own cleaning, so
 * an article saved by hand with its page furniture and the same report extracted from another
 * site's page are compared on the report alone.
 */
export function reportSketch(sourceId: string, raw: string, headline: string): number[] {
  return sketch(cleanArticle(sourceId, raw, { headline }).body.map((p) => p.text).join('\n'));
}

/** Rewrite a stored article's `appearances` (its text is unchanged). */
async function recordAppearances(articles: ArticleStore, sourceId: string, appearances: readonly ArticleAppearance[]): Promise<void> {
  const article = (await articles.list()).find((a) => a.id === sourceId);
  if (article === undefined) return;
  const listed = appearances.filter((a) => /^https?:/u.test(a.url)).map((a) => ({ outlet: a.outlet, url: a.url }));
  await articles.replace(sourceId, { raw: article.raw, meta: { ...article.meta, appearances: listed } });
}

/**
 * Make sure every article of the story folder (added by hand or by `npm run ingest`) is known
 * to the feed store, with its URL and sketch, so a feed item carrying the same report is
 * recognised as a copy. Returns how many were added to the store.
 */
export async function indexStoryArticles(story: string, articles: ArticleStore, store: FeedStore, now: Date): Promise<number> {
  const known = new Set(store.webArticles(story).map((a) => a.sourceId));
  let added = 0;
  for (const article of await articles.list()) {
    if (known.has(article.id)) continue;
    const url = article.meta.url;
    store.saveWebArticle({
      story,
      sourceId: article.id,
      urlKey: url === undefined ? `file:${article.id}` : normaliseUrl(url),
      otherUrlKeys: (article.meta.appearances ?? []).map((a) => normaliseUrl(a.url)),
      contentHash: contentHash(article.raw),
      sketch: reportSketch(article.id, article.raw, article.meta.headline),
      ...(article.meta.modifiedAt ?? article.meta.publishedAt ? { modified: article.meta.modifiedAt ?? article.meta.publishedAt } : {}),
      outlet: article.meta.outlet,
      appearances: (article.meta.appearances ?? (url === undefined ? [] : [{ outlet: article.meta.outlet, url }])).map((a) => ({ ...a, seenAt: now })),
      storedAt: now,
    });
    added++;
  }
  return added;
}

/** A page fetched and its report extracted, or why that failed, or that it has not changed (an outcome as {@link ingestPage} reports it). */
export type PageReading =
  | { ok: true; fetched: { url: string; etag?: string; lastModified?: string }; extracted: ExtractedArticle }
  | { ok: false; outcome: Extract<PageOutcome, { status: 'failed' | 'duplicate' }> };

/**
 * Fetch a page and extract its report, without storing anything: what {@link ingestPage} starts
 * with, and what a feed filter reads when the feed item alone cannot say whether it is about the
 * story (the reading is then handed to {@link ingestPage}, so the page is fetched once).
 *
 * `stored`: the story's record of this page, when it has one. The request is then conditional on
 * the validators the page was stored with, and a 304 says the stored article is still the page.
 *
 * @example
 * const reading = await readPage(item.url, fetcher);
 * if (reading.ok) console.log(reading.extracted.paragraphs.join('\n'));
 */
export async function readPage(url: string, fetcher: Fetcher, stored?: WebArticleRecord): Promise<PageReading> {
  const validators = { ...(stored?.pageEtag ? { etag: stored.pageEtag } : {}), ...(stored?.pageLastModified ? { lastModified: stored.pageLastModified } : {}) };
  const fetched = await fetcher.get(url, { expect: 'html', ...(Object.keys(validators).length > 0 ? { validators } : {}) });
  if (fetched.kind === 'failed') return { ok: false, outcome: { status: 'failed', url, failure: fetched.failure, reason: fetched.reason, permanent: fetched.permanent } };
  if (fetched.kind === 'not-modified') {
    if (stored === undefined || Object.keys(validators).length === 0) {
      return { ok: false, outcome: { status: 'failed', url, failure: 'http-status', reason: 'HTTP 304 to an unconditional request', permanent: false } };
    }
    return { ok: false, outcome: { status: 'duplicate', url, sourceId: stored.sourceId, reason: `the page has not changed since it was stored as ${stored.sourceId} (HTTP 304)`, appearanceAdded: false } };
  }
  const extracted = extractArticle(fetched.text);
  if (!extracted.ok) return { ok: false, outcome: { status: 'failed', url, failure: extracted.kind, reason: extracted.reason, permanent: true } };
  return { ok: true, fetched: { url: fetched.url, ...(fetched.etag ? { etag: fetched.etag } : {}), ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}) }, extracted };
}

/**
 * Fetch, extract and store one page (or recognise it). `alreadyRead` is the page when the caller
 * has fetched it already ({@link readPage}).
 *
 * `overrides` win over what the page says (the command line's flags); `fallbacks` fill only what
 * it leaves out (a feed item's title and date).
 *
 * @example
 * const outcome = await ingestPage('https://example.org/world/story', context, { fallbacks: { published: item.published } });
 * if (outcome.status === 'failed') log.warn({ url: outcome.url, reason: outcome.reason }, 'page not ingested');
 */
export async function ingestPage(url: string, context: PageIngestContext, hints: { overrides?: PageHints; fallbacks?: PageHints } = {}, alreadyRead?: PageReading): Promise<PageOutcome> {
  const { story, articles, store } = context;
  const overrides = hints.overrides ?? {};
  const fallbacks = hints.fallbacks ?? {};
  const reading = alreadyRead ?? (await readPage(url, context.fetcher, store.webArticleByUrl(story, normaliseUrl(url))));
  if (!reading.ok) return reading.outcome;
  const { fetched, extracted } = reading;
  const pageValidators = { ...(fetched.etag ? { pageEtag: fetched.etag } : {}), ...(fetched.lastModified ? { pageLastModified: fetched.lastModified } : {}) };
  const page = extracted.metadata;
  const canonical = absolute(page.canonicalUrl, fetched.url);
  const pageUrl = canonical ?? fetched.url;
  const keys = [...new Set([normaliseUrl(url), normaliseUrl(fetched.url), ...(canonical === undefined ? [] : [normaliseUrl(canonical)])])];

  const outlet = overrides.outlet ?? page.outlet ?? fallbacks.outlet ?? hostOutlet(fetched.url);
  const headline = overrides.headline ?? page.headline ?? fallbacks.headline;
  const published = dayOf(overrides.published) ?? dayOf(page.published) ?? dayOf(fallbacks.published);
  if (headline === undefined) return { status: 'failed', url, failure: 'invalid-article', reason: 'the page gives no headline; give one with --headline', permanent: true };
  if (published === undefined) {
    return { status: 'failed', url, failure: 'invalid-article', reason: 'the page does not say when it was published; give the date with --published YYYY-MM-DD', permanent: true };
  }
  const raw = `${headline}\n\n${extracted.paragraphs.join('\n\n')}\n`;
  const hash = contentHash(raw);
  const now = context.now();
  const appearance: ArticleAppearance = { outlet, url: pageUrl, seenAt: now };

  // The same page (by any of its URLs)?
  const samePage = keys.map((key) => store.webArticleByUrl(story, key)).find((record) => record !== undefined);
  if (samePage !== undefined) {
    if (samePage.contentHash === hash) {
      // Served again unchanged, perhaps with new validators: the next request is conditional on these.
      if (samePage.pageEtag !== pageValidators.pageEtag || samePage.pageLastModified !== pageValidators.pageLastModified) {
        const { pageEtag: _etag, pageLastModified: _lastModified, ...rest } = samePage;
        store.saveWebArticle({ ...rest, ...pageValidators });
      }
      return { status: 'duplicate', url, sourceId: samePage.sourceId, reason: `already stored as ${samePage.sourceId}`, appearanceAdded: false };
    }
    if (!isNewer(page, samePage)) {
      return { status: 'duplicate', url, sourceId: samePage.sourceId, reason: `already stored as ${samePage.sourceId}; this version is not newer`, appearanceAdded: false };
    }
  }

  // The same report on another site (syndication), or the same page whose URL we did not know?
  const bodySketch = reportSketch('page', raw, headline);
  if (samePage === undefined) {
    let best: { record: WebArticleRecord; score: number } | undefined;
    for (const record of store.webArticles(story)) {
      const score = similarity(bodySketch, record.sketch);
      if (score >= SYNDICATION_THRESHOLD && (best === undefined || score > best.score)) best = { record, score };
    }
    if (best !== undefined) {
      const record = best.record;
      const known = record.appearances.some((a) => normaliseUrl(a.url) === normaliseUrl(appearance.url));
      const appearances = known ? record.appearances : [...record.appearances, appearance];
      store.saveWebArticle({ ...record, appearances, otherUrlKeys: [...new Set([...record.otherUrlKeys, ...keys])] });
      if (!known) await recordAppearances(articles, record.sourceId, appearances);
      const sameOutlet = record.outlet === outlet;
      return {
        status: 'duplicate',
        url,
        sourceId: record.sourceId,
        reason: sameOutlet
          ? `same report as ${record.sourceId} under another URL`
          : `syndicated copy of ${record.sourceId} (${record.outlet}); ${outlet} listed as another outlet that ran it`,
        appearanceAdded: !known,
      };
    }
  }

  const meta: Record<string, unknown> = {
    outlet,
    headline,
    published,
    language: overrides.language ?? page.language ?? fallbacks.language ?? 'en',
    ...(overrides.originalLanguage ? { originalLanguage: overrides.originalLanguage } : {}),
    url: pageUrl,
    ...(overrides.agency ?? fallbacks.agency ? { agency: overrides.agency ?? fallbacks.agency } : {}),
    ...(overrides.note ? { note: overrides.note } : {}),
    ...(page.author ? { author: page.author } : {}),
    ...(page.published ? { publishedAt: page.published } : {}),
    ...(page.modified ? { modifiedAt: page.modified } : {}),
    fetchedAt: now.toISOString(),
    appearances: (samePage?.appearances ?? [appearance]).map((a) => ({ outlet: a.outlet, url: a.url })),
  };
  let checked: ArticleMeta;
  try {
    checkArticleText(raw, url);
    checked = parseArticleMeta(meta, url);
  } catch (error) {
    if (error instanceof IngestError || error instanceof ArticleError) return { status: 'failed', url, failure: 'invalid-article', reason: error.message.replace(`${url}: `, ''), permanent: true };
    throw error;
  }
  let sourceId: string;
  if (samePage !== undefined && (await articles.replace(samePage.sourceId, { raw, meta: checked }))) {
    // An updated article replaces its earlier version under the same source id.
    sourceId = samePage.sourceId;
  } else {
    const stored = await articles.add({ raw, meta: checked });
    if (!stored.added) return { status: 'duplicate', url, sourceId: stored.id, reason: `the same text is already stored as ${stored.id}`, appearanceAdded: false };
    sourceId = stored.id;
  }
  const modified = page.modified ?? page.published;
  store.saveWebArticle({
    story,
    sourceId,
    urlKey: keys[0]!,
    ...(canonical === undefined ? {} : { canonicalKey: normaliseUrl(canonical) }),
    otherUrlKeys: [...new Set([...keys.slice(1), ...(samePage?.otherUrlKeys ?? []), ...(samePage === undefined ? [] : [samePage.urlKey, ...(samePage.canonicalKey === undefined ? [] : [samePage.canonicalKey])])])].filter((k) => k !== keys[0]),
    contentHash: hash,
    sketch: bodySketch,
    ...(modified === undefined ? {} : { modified }),
    outlet,
    appearances: samePage?.appearances ?? [appearance],
    storedAt: now,
    ...pageValidators,
  });
  return samePage === undefined ? { status: 'added', url, sourceId, meta: checked } : { status: 'updated', url, sourceId, replaced: samePage.sourceId, meta: checked };
}
