/**
 * The fetcher against the fake news site on 127.0.0.1: what the site received (headers, how
 * many requests, when by the injected clock) and what the caller was told, for every politeness
 * rule and every bad answer a crawler meets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFetcher, dossierUserAgent, parseRetryAfter, type FetcherOptions } from '../../src/fetch/fetcher.js';
import { FakeNewsSite } from '../fakes/news-site.js';

/** A clock that only moves when the code under test sleeps: waits are measured, never waited. */
function fakeTime(start = Date.parse('2021-08-25T08:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

let site: FakeNewsSite;
let time: ReturnType<typeof fakeTime>;
beforeEach(async () => {
  time = fakeTime();
  site = await FakeNewsSite.start({ clock: () => time.now() });
});
afterEach(async () => {
  await site.close();
});

function fetcher(extra: Partial<FetcherOptions> = {}) {
  return createFetcher({ userAgent: dossierUserAgent('https://dossier.example.org', '9.9.9'), now: time.now, sleep: time.sleep, random: () => 0.5, hostDelayMs: 0, ...extra });
}

const HTML = 'text/html; charset=utf-8';

describe('conditional requests', () => {
  it('sends the validators it was given and reports 304 as not modified', async () => {
    site.serve('/feed.xml', { body: '<rss version="2.0"><channel><title>t</title></channel></rss>', contentType: 'application/rss+xml', validators: true, lastModified: 'Wed, 25 Aug 2021 07:00:00 GMT' });
    const f = fetcher();
    const first = await f.get(site.url('/feed.xml'), { expect: 'feed' });
    expect(first.kind).toBe('ok');
    if (first.kind !== 'ok') return;
    expect(first.etag).toMatch(/^"/u);
    expect(first.lastModified).toBe('Wed, 25 Aug 2021 07:00:00 GMT');

    const second = await f.get(site.url('/feed.xml'), { expect: 'feed', validators: { etag: first.etag!, lastModified: first.lastModified! } });
    expect(second.kind).toBe('not-modified');
    const [, conditional] = site.requestsFor('/feed.xml');
    expect(conditional?.headers['if-none-match']).toBe(first.etag);
    expect(conditional?.headers['if-modified-since']).toBe('Wed, 25 Aug 2021 07:00:00 GMT');
  });

  it('names Dossier, its version and where to read about it in the User-Agent', async () => {
    site.serve('/p', { body: '<p>x</p>', contentType: HTML });
    await fetcher().get(site.url('/p'), { expect: 'html' });
    expect(site.requests[0]?.headers['user-agent']).toBe('Dossier/9.9.9 (+https://dossier.example.org)');
  });
});

describe('politeness per host', () => {
  it('runs one request at a time per host and pauses between them', async () => {
    for (const p of ['/a', '/b', '/c']) site.serve(p, { body: '<p>x</p>', contentType: HTML });
    const f = fetcher({ perHost: 1, hostDelayMs: 2000 });
    await Promise.all(['/a', '/b', '/c'].map((p) => f.get(site.url(p), { expect: 'html' })));
    const times = site.requests.map((r) => r.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(2000);
  });

  it('waits out a short Retry-After on 429 before asking again, and then succeeds', async () => {
    site.failThen('/busy', 1, 429, { 'Retry-After': '7' }, { body: '<p>ok</p>', contentType: HTML });
    const result = await fetcher().get(site.url('/busy'), { expect: 'html' });
    expect(result.kind).toBe('ok');
    const [first, second] = site.requestsFor('/busy');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(7000);
  });

  it('returns a long Retry-After on 503 to the caller instead of sleeping through it, and holds the host', async () => {
    site.status('/down', 503, { 'Retry-After': '3600' });
    const f = fetcher();
    const result = await f.get(site.url('/down'), { expect: 'feed' });
    expect(result).toMatchObject({ kind: 'failed', failure: 'rate-limited', status: 503, retryAfterMs: 3_600_000 });
    expect(site.requestsFor('/down')).toHaveLength(1);
    expect(f.limiter.notBefore(new URL(site.url('/')).host)).toBeGreaterThanOrEqual(time.now() + 3_500_000);
  });

  it('backs off exponentially with jitter on server errors, then gives up with the status', async () => {
    site.status('/broken', 500);
    const result = await fetcher({ retries: 2, backoffBaseMs: 1000 }).get(site.url('/broken'), { expect: 'html' });
    expect(result).toMatchObject({ kind: 'failed', failure: 'http-status', status: 500, permanent: false });
    expect(site.requestsFor('/broken')).toHaveLength(3);
    expect(time.sleeps).toEqual([500, 1000]); // full jitter at 0.5 of 1 s, then of 2 s
  });

  it('does not retry what retrying cannot fix (404, 410)', async () => {
    site.status('/gone', 410);
    const result = await fetcher().get(site.url('/gone'), { expect: 'html' });
    expect(result).toMatchObject({ kind: 'failed', reason: 'HTTP 410 Gone', permanent: true });
    expect(site.requestsFor('/gone')).toHaveLength(1);
    expect(site.requestsFor('/nowhere')).toHaveLength(0);
    expect(await fetcher().get(site.url('/nowhere'), { expect: 'html' })).toMatchObject({ reason: 'HTTP 404 Not Found' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2021-08-25T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Aug 2021 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('bad answers', () => {
  it('gives up on a server that never finishes answering', async () => {
    site.hang('/hang');
    const result = await fetcher({ timeoutMs: 150, retries: 0 }).get(site.url('/hang'), { expect: 'html' });
    expect(result).toMatchObject({ kind: 'failed', failure: 'timeout' });
  });

  it('refuses a 50 MB body, declared or streamed, without reading it all', async () => {
    site.huge('/huge-declared', { declare: true });
    site.huge('/huge-streamed');
    const f = fetcher({ maxBytes: 1024 * 1024 });
    expect(await f.get(site.url('/huge-declared'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'too-large', permanent: true });
    expect(await f.get(site.url('/huge-streamed'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'too-large', permanent: true });
  });

  it('follows redirects within the limit, and stops at loops and long chains', async () => {
    site.redirect('/old', '/new');
    site.serve('/new', { body: '<p>moved</p>', contentType: HTML });
    const moved = await fetcher().get(site.url('/old'), { expect: 'html' });
    expect(moved).toMatchObject({ kind: 'ok', url: site.url('/new'), requestedUrl: site.url('/old') });

    site.redirectLoop('/loop-a', '/loop-b');
    expect(await fetcher().get(site.url('/loop-a'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'redirect-loop' });
    expect(site.requestsFor('/loop-a')).toHaveLength(1);

    for (let i = 0; i < 4; i++) site.redirect(`/hop${i}`, `/hop${i + 1}`);
    expect(await fetcher({ maxRedirects: 2 }).get(site.url('/hop0'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'too-many-redirects' });
  });

  it('refuses a type it was not asked for (a PDF where a page was expected)', async () => {
    site.serve('/report.pdf', { body: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' });
    expect(await fetcher().get(site.url('/report.pdf'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'unsupported-type', reason: 'content type application/pdf is not an HTML page' });
  });

  it('decodes windows-1252 pages (by header or meta), and names an encoding it cannot read', async () => {
    site.serve('/latin', { body: Buffer.from('<p>Caf\xe9 in Bazarak \x96 \x93quoted\x94</p>', 'latin1'), contentType: 'text/html; charset=windows-1252' });
    site.serve('/meta-declared', { body: Buffer.from('<html><head><meta charset="iso-8859-1"></head><p>Salih\xe9</p>', 'latin1'), contentType: 'text/html' });
    site.serve('/weird', { body: Buffer.from('<p>x</p>'), contentType: 'text/html; charset=x-klingon' });
    const f = fetcher();
    expect(await f.get(site.url('/latin'), { expect: 'html' })).toMatchObject({ kind: 'ok', text: '<p>Café in Bazarak – “quoted”</p>', charset: 'windows-1252' });
    expect(await f.get(site.url('/meta-declared'), { expect: 'html' })).toMatchObject({ kind: 'ok', text: expect.stringContaining('Salihé') });
    expect(await f.get(site.url('/weird'), { expect: 'html' })).toMatchObject({ kind: 'failed', failure: 'unsupported-charset' });
  });
});
