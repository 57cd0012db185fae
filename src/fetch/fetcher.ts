/**
 * Polite, robust HTTP GET for feeds and news pages, on Node's built-in `fetch` (undici):
 *
 * - conditional requests: `If-None-Match` / `If-Modified-Since` from the validators the caller
 *   kept, and a 304 answered as `not-modified`;
 * - a per-host concurrency limit and delay ({@link HostLimiter});
 * - `Retry-After` on 429 and 503 (seconds or an HTTP date): waited out when short, otherwise
 *   returned so the caller does not come back before it; the whole host waits either way;
 * - exponential backoff with full jitter on transient failures (network, timeout, 5xx);
 * - a timeout per attempt covering headers and body, a size cap (Content-Length and counted
 *   bytes), redirects followed by hand within a limit with loops detected;
 * - content types checked against what the caller expects, and non-UTF-8 bodies decoded;
 * - an honest `User-Agent` naming Dossier.
 *
 * It never throws: every outcome is a {@link FetchResult} value with a reason a person can read.
 */
import { readFileSync } from 'node:fs';
import { decodeBody, UnsupportedCharsetError } from './charset.js';
import { HostLimiter, realSleep } from './host-limiter.js';

/** What the caller will accept: a feed (XML or JSON) or a web page (HTML). */
export type ExpectedContent = 'feed' | 'html';

/** Why a fetch failed, as a label for metrics and health. */
export type FetchFailureKind =
  | 'invalid-url'
  | 'http-status'
  | 'rate-limited'
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'unsupported-type'
  | 'unsupported-charset';

export interface FetchedBody {
  kind: 'ok';
  /** The URL asked for. */
  requestedUrl: string;
  /** The URL the body came from, after redirects. */
  url: string;
  status: number;
  contentType: string;
  charset: string;
  text: string;
  bytes: number;
  etag?: string;
  lastModified?: string;
}

export interface NotModified {
  kind: 'not-modified';
  url: string;
}

export interface FetchFailure {
  kind: 'failed';
  url: string;
  failure: FetchFailureKind;
  /** One line for logs, health and the ingest report, e.g. `HTTP 410 Gone`. */
  reason: string;
  status?: number;
  /** The server asked us not to come back before this many ms from now. */
  retryAfterMs?: number;
  /** Retrying will not help (404, 410, wrong type, too large, redirect loop). */
  permanent: boolean;
}

export type FetchResult = FetchedBody | NotModified | FetchFailure;

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetcherOptions {
  userAgent: string;
  /** Per attempt, headers and body together (default 15 s). */
  timeoutMs?: number;
  /** Largest body read (default 5 MB); a larger one is refused unread. */
  maxBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /** Extra attempts after a transient failure (default 2). */
  retries?: number;
  /** First backoff step (default 1 s), doubled per attempt, with full jitter. */
  backoffBaseMs?: number;
  /** Longest Retry-After waited in place (default 30 s); longer ones are returned to the caller. */
  maxRetryAfterMs?: number;
  perHost?: number;
  hostDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): injected so the jitter is deterministic in tests. */
  random?: () => number;
}

export interface Fetcher {
  get(url: string, options: { expect: ExpectedContent; validators?: Validators }): Promise<FetchResult>;
  readonly limiter: HostLimiter;
}

const ACCEPT: Record<ExpectedContent, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1',
};

function typeAllowed(expect: ExpectedContent, contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '') return true; // No type given: let the parser decide.
  if (expect === 'html') return type === 'text/html' || type === 'application/xhtml+xml';
  return /(^|[/+])(xml|json)$/u.test(type) || type === 'text/plain' || type === 'application/rss+xml' || type === 'application/atom+xml';
}

/** The version in package.json, for the User-Agent. */
export function dossierVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

/**
 * The User-Agent Dossier sends: its name and version, and where to read about it when the
 * operator has a public URL (`PUBLIC_URL`).
 *
 * @example
 * dossierUserAgent('https://dossier.example.org') // 'Dossier/0.1.0 (+https://dossier.example.org)'
 */
export function dossierUserAgent(publicUrl?: string, version = dossierVersion()): string {
  return publicUrl ? `Dossier/${version} (+${publicUrl})` : `Dossier/${version} (news-knowledge chat bot)`;
}

/**
 * `Retry-After` in ms from now: delta-seconds or an HTTP date; `undefined` when absent or unreadable.
 *
 * @example
 * parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/u.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

class TooLarge extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Create a fetcher. One per process, so the per-host limits hold across all feeds.
 *
 * @example
 * const fetcher = createFetcher({ userAgent: dossierUserAgent() });
 * const result = await fetcher.get('https://example.org/feed.xml', { expect: 'feed', validators: { etag } });
 * if (result.kind === 'ok') parse(result.text);
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const retries = options.retries ?? 2;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const limiter = new HostLimiter({
    ...(options.perHost === undefined ? {} : { perHost: options.perHost }),
    ...(options.hostDelayMs === undefined ? {} : { delayMs: options.hostDelayMs }),
    now,
    sleep,
  });

  const failed = (url: string, failure: FetchFailureKind, reason: string, extra: Partial<FetchFailure> = {}): FetchFailure => ({
    kind: 'failed',
    url,
    failure,
    reason,
    permanent: extra.permanent ?? false,
    ...extra,
  });

  /** One request (no redirects followed), through the host limiter, bounded by the timeout. */
  async function once(url: URL, expect: ExpectedContent, validators: Validators | undefined): Promise<FetchResult | { kind: 'redirect'; location: string; status: number }> {
    return limiter.run(url.host, async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const headers: Record<string, string> = { 'User-Agent': options.userAgent, Accept: ACCEPT[expect], 'Accept-Encoding': 'gzip, deflate, br' };
        if (validators?.etag) headers['If-None-Match'] = validators.etag;
        if (validators?.lastModified) headers['If-Modified-Since'] = validators.lastModified;
        const response = await fetch(url, { headers, redirect: 'manual', signal: controller.signal });
        const href = url.href;
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          await response.body?.cancel().catch(() => undefined);
          const location = response.headers.get('location');
          if (location === null) return failed(href, 'http-status', `HTTP ${response.status} without a Location header`, { status: response.status, permanent: true });
          return { kind: 'redirect', location, status: response.status };
        }
        if (response.status === 304) {
          await response.body?.cancel().catch(() => undefined);
          return { kind: 'not-modified', url: href };
        }
        if (response.status === 429 || response.status === 503) {
          await response.body?.cancel().catch(() => undefined);
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
          if (retryAfterMs !== undefined) limiter.deferHost(url.host, now() + retryAfterMs);
          return failed(href, 'rate-limited', `HTTP ${response.status} ${response.statusText}`.trim() + (retryAfterMs === undefined ? '' : ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)`), {
            status: response.status,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          });
        }
        if (response.status < 200 || response.status >= 300) {
          await response.body?.cancel().catch(() => undefined);
          const permanent = response.status < 500;
          return failed(href, 'http-status', `HTTP ${response.status} ${response.statusText}`.trim(), { status: response.status, permanent });
        }
        const contentType = response.headers.get('content-type') ?? '';
        if (!typeAllowed(expect, contentType)) {
          await response.body?.cancel().catch(() => undefined);
          return failed(href, 'unsupported-type', `content type ${contentType.split(';')[0]} is not ${expect === 'html' ? 'an HTML page' : 'a feed'}`, { status: response.status, permanent: true });
        }
        const declared = Number(response.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.body?.cancel().catch(() => undefined);
          return failed(href, 'too-large', `response of ${declared} bytes is over the ${maxBytes}-byte limit`, { status: response.status, permanent: true });
        }
        let bytes: Uint8Array;
        try {
          bytes = await readCapped(response, maxBytes);
        } catch (error) {
          if (error instanceof TooLarge) return failed(href, 'too-large', `response is over the ${maxBytes}-byte limit`, { status: response.status, permanent: true });
          throw error;
        }
        let decoded;
        try {
          decoded = decodeBody(bytes, contentType);
        } catch (error) {
          if (error instanceof UnsupportedCharsetError) return failed(href, 'unsupported-charset', error.message, { status: response.status, permanent: true });
          throw error;
        }
        const etag = response.headers.get('etag');
        const lastModified = response.headers.get('last-modified');
        return {
          kind: 'ok',
          requestedUrl: href,
          url: href,
          status: response.status,
          contentType,
          charset: decoded.charset,
          text: decoded.text,
          bytes: bytes.byteLength,
          ...(etag === null ? {} : { etag }),
          ...(lastModified === null ? {} : { lastModified }),
        };
      } catch (error) {
        if (controller.signal.aborted) return failed(url.href, 'timeout', `no complete answer within ${timeoutMs} ms`);
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return failed(url.href, 'network', `network error: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** One fetch with its redirects followed. */
  async function follow(start: URL, expect: ExpectedContent, validators: Validators | undefined): Promise<FetchResult> {
    const visited = new Set<string>([start.href]);
    let url = start;
    for (let hop = 0; ; hop++) {
      const result = await once(url, expect, hop === 0 ? validators : undefined);
      if (result.kind !== 'redirect') return result.kind === 'ok' ? { ...result, requestedUrl: start.href } : result;
      let next: URL;
      try {
        next = new URL(result.location, url);
      } catch {
        return failed(url.href, 'http-status', `HTTP ${result.status} to an unreadable Location`, { permanent: true });
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return failed(url.href, 'invalid-url', `redirected to a non-web address (${next.protocol})`, { permanent: true });
      }
      if (visited.has(next.href)) return failed(start.href, 'redirect-loop', `redirect loop (${url.href} → ${next.href})`, { permanent: true });
      if (hop + 1 > maxRedirects) return failed(start.href, 'too-many-redirects', `more than ${maxRedirects} redirects`, { permanent: true });
      visited.add(next.href);
      url = next;
    }
  }

  return {
    limiter,
    async get(rawUrl, { expect, validators }) {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        return failed(rawUrl, 'invalid-url', 'not a URL', { permanent: true });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return failed(rawUrl, 'invalid-url', 'only http and https URLs are fetched', { permanent: true });
      let result = await follow(url, expect, validators);
      for (let attempt = 1; attempt <= retries && result.kind === 'failed' && !result.permanent; attempt++) {
        if (result.retryAfterMs !== undefined) {
          // A long Retry-After is the caller's to honour (the feed's next poll), not ours to sleep
          // through. A short one is waited out by the host limiter, which the 429 deferred.
          if (result.retryAfterMs > maxRetryAfterMs) return result;
        } else {
          await sleep(Math.round(random() * backoffBaseMs * 2 ** (attempt - 1)));
        }
        result = await follow(url, expect, validators);
      }
      return result;
    },
  };
}
