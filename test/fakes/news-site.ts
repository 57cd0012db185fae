/**
 * A fake news web on 127.0.0.1 for the feed, fetch and extract tests: RSS 2.0, Atom and JSON
 * Feed documents with validators (ETag, Last-Modified, 304), news pages wrapped in the markup
 * newsrooms really use (navigation, cookie banner, adverts, share bar, related links, scripts,
 * JSON-LD, Open Graph), and every bad case a crawler meets: 404/410, 429/503 with Retry-After, a
 * server that never answers, a 50 MB body, a redirect loop, a PDF, windows-1252 text, malformed
 * XML, index pages, paywall stubs and cookie walls. Every request is recorded with its headers.
 *
 * One server answers for several "sites": pages are addressed by path, and tests give the
 * outlets different path prefixes (`/kabul-dispatch/…`, `/wire-mirror/…`).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The site's clock when it arrived (the test's injected clock, if given). */
  at: number;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface Resource {
  body: string | Buffer;
  contentType: string;
  /** Answer conditional requests (ETag from the body's hash, Last-Modified as given). */
  validators?: boolean;
  lastModified?: string;
  status?: number;
  headers?: Record<string, string>;
}

/** The fake site. */
export class FakeNewsSite {
  readonly requests: RecordedRequest[] = [];
  readonly #routes = new Map<string, Handler>();
  readonly #server: Server;
  readonly #clock: () => number;
  #base = '';

  private constructor(clock: () => number) {
    this.#clock = clock;
    this.#server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname + (new URL(request.url ?? '/', 'http://x').search || '');
      this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, at: this.#clock() });
      const handler = this.#routes.get(path) ?? this.#routes.get(path.split('?')[0] ?? path);
      if (handler === undefined) {
        response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>Not found</title><h1>Page not found</h1>');
        return;
      }
      handler(request, response);
    });
  }

  /** Start on a free port of 127.0.0.1. */
  static async start(options: { clock?: () => number } = {}): Promise<FakeNewsSite> {
    const site = new FakeNewsSite(options.clock ?? Date.now);
    site.#server.listen(0, '127.0.0.1');
    await once(site.#server, 'listening');
    site.#base = `http://127.0.0.1:${(site.#server.address() as AddressInfo).port}`;
    return site;
  }

  /** Full URL of a path on this site. */
  url(path: string): string {
    return `${this.#base}${path}`;
  }

  /** Requests made for one path (query included). */
  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Answer `path` with a handler of your own. */
  route(path: string, handler: Handler): void {
    this.#routes.set(path, handler);
  }

  /** Serve a document, answering 304 to a matching conditional request when `validators` is on. */
  serve(path: string, resource: Resource): void {
    this.route(path, (request, response) => {
      const body = typeof resource.body === 'string' ? Buffer.from(resource.body, 'utf8') : resource.body;
      const headers: Record<string, string> = { 'Content-Type': resource.contentType, ...resource.headers };
      if (resource.validators) {
        const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
        headers.ETag = etag;
        if (resource.lastModified) headers['Last-Modified'] = resource.lastModified;
        const sinceOk = resource.lastModified !== undefined && request.headers['if-modified-since'] === resource.lastModified;
        if (request.headers['if-none-match'] === etag || (request.headers['if-none-match'] === undefined && sinceOk)) {
          response.writeHead(304, headers);
          response.end();
          return;
        }
      }
      response.writeHead(resource.status ?? 200, { ...headers, 'Content-Length': String(body.byteLength) });
      response.end(body);
    });
  }

  /** A status with an empty page (404, 410, 500…), optionally with headers (Retry-After). */
  status(path: string, status: number, headers: Record<string, string> = {}): void {
    this.route(path, (_request, response) => {
      response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      response.end(`<!doctype html><title>${status}</title>`);
    });
  }

  /** Answers the first `times` requests with `status` (and headers), then serves `then`. */
  failThen(path: string, times: number, status: number, headers: Record<string, string>, then: Resource): void {
    let left = times;
    const ok = this.#resourceHandler(then);
    this.route(path, (request, response) => {
      if (left > 0) {
        left -= 1;
        response.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
        response.end('slow down');
        return;
      }
      ok(request, response);
    });
  }

  /** Sends headers, then nothing: a server that hangs. */
  hang(path: string, contentType = 'text/html'): void {
    this.route(path, (_request, response) => {
      response.writeHead(200, { 'Content-Type': contentType });
      response.write('<!doctype html><html><head>');
    });
  }

  /** A 50 MB body, streamed without a Content-Length (or declaring it, with `declare`). */
  huge(path: string, options: { declare?: boolean; bytes?: number; contentType?: string } = {}): void {
    const total = options.bytes ?? 50 * 1024 * 1024;
    this.route(path, (_request, response) => {
      response.writeHead(200, { 'Content-Type': options.contentType ?? 'text/html; charset=utf-8', ...(options.declare ? { 'Content-Length': String(total) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < total && !response.destroyed) {
          sent += chunk.byteLength;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        if (!response.destroyed) response.end();
      };
      response.on('close', () => (sent = total));
      pump();
    });
  }

  /** `from` redirects to `to`, which redirects back. */
  redirectLoop(from: string, to: string): void {
    this.redirect(from, to);
    this.redirect(to, from);
  }

  redirect(from: string, to: string, status = 301): void {
    this.route(from, (_request, response) => {
      response.writeHead(status, { Location: to });
      response.end();
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #resourceHandler(resource: Resource): Handler {
    return (_request, response) => {
      const body = typeof resource.body === 'string' ? Buffer.from(resource.body, 'utf8') : resource.body;
      response.writeHead(resource.status ?? 200, { 'Content-Type': resource.contentType, 'Content-Length': String(body.byteLength) });
      response.end(body);
    };
  }
}

// ── Documents ─────────────────────────────────────────────────────────────────────────────

const escape = (s: string): string => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');

/** A news report: what a newsroom page is built around. */
export interface Report {
  outlet: string;
  headline: string;
  standfirst?: string;
  paragraphs: string[];
  caption?: string;
  author?: string;
  /** ISO timestamps. */
  published?: string;
  modified?: string;
  language?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  /** `NewsArticle` JSON-LD (default), Open Graph only, or none. */
  metadata?: 'json-ld' | 'open-graph' | 'none';
  /** Agency credit, e.g. AFP. */
  agency?: string;
}

/**
 * A news page as newsrooms serve it: the report inside navigation, a cookie banner, adverts,
 * a share bar, related links, a newsletter box, scripts and structured data.
 */
export function newsPage(report: Report): string {
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'NewsMediaOrganization', name: report.outlet, url: 'https://example.org/' },
      {
        '@type': 'NewsArticle',
        headline: report.headline,
        ...(report.published ? { datePublished: report.published } : {}),
        ...(report.modified ? { dateModified: report.modified } : {}),
        ...(report.author ? { author: [{ '@type': 'Person', name: report.author }] } : {}),
        publisher: { '@type': 'NewsMediaOrganization', name: report.outlet },
        inLanguage: report.language ?? 'en',
        ...(report.canonical ? { mainEntityOfPage: { '@type': 'WebPage', '@id': report.canonical } } : {}),
        isAccessibleForFree: true,
      },
    ],
  };
  const mode = report.metadata ?? 'json-ld';
  const head = [
    `<meta charset="utf-8">`,
    `<title>${escape(report.headline)} | ${escape(report.outlet)}</title>`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    report.canonical ? `<link rel="canonical" href="${escape(report.canonical)}">` : '',
    mode !== 'none' ? `<meta property="og:site_name" content="${escape(report.outlet)}">` : '',
    mode !== 'none' ? `<meta property="og:type" content="article">` : '',
    mode !== 'none' ? `<meta property="og:title" content="${escape(report.headline)}">` : '',
    mode === 'open-graph' && report.published ? `<meta property="article:published_time" content="${report.published}">` : '',
    mode === 'open-graph' && report.modified ? `<meta property="article:modified_time" content="${report.modified}">` : '',
    mode === 'json-ld' ? `<script type="application/ld+json">${JSON.stringify(ld)}</script>` : '',
    `<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>`,
    `<style>.cookie-banner{position:fixed;bottom:0}.ad-slot{min-height:250px}</style>`,
  ].filter(Boolean);
  const body = [
    `<div class="cookie-banner" id="cookie-consent" role="dialog"><p>We use cookies to personalise content and ads and to analyse our traffic. By clicking "Accept all" you consent to our use of cookies.</p><button>Accept all</button><button>Manage preferences</button></div>`,
    `<header class="site-header"><a class="logo" href="/">${escape(report.outlet)}</a>`,
    `<nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/world">World</a></li><li><a href="/asia">Asia</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>`,
    `<div class="ad-slot ad-leaderboard"><span>Advertisement</span><div id="div-gpt-ad-1"></div></div>`,
    `<main id="main-content"><article class="story">`,
    `<nav class="breadcrumbs"><a href="/world">World</a> › <a href="/asia">Asia</a></nav>`,
    `<h1 class="story-headline">${escape(report.headline)}</h1>`,
    report.standfirst ? `<p class="standfirst">${escape(report.standfirst)}</p>` : '',
    `<div class="byline">${report.author ? `By <a rel="author" href="/authors/x">${escape(report.author)}</a>` : ''}${report.agency ? ` with ${escape(report.agency)}` : ''} ${report.published && mode !== 'json-ld' ? `<time datetime="${report.published}">${report.published.slice(0, 10)}</time>` : ''}</div>`,
    `<div class="share-bar"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Copy link</a></div>`,
    report.caption ? `<figure><img src="/img/photo.jpg" alt=""><figcaption>${escape(report.caption)}</figcaption></figure>` : '',
    `<div class="story-body">`,
    ...report.paragraphs.slice(0, 3).map((p) => `<p>${escape(p)}</p>`),
    `<div class="ad-slot ad-inarticle"><span>Advertisement</span><script>googletag.cmd.push(function(){});</script></div>`,
    `<aside class="related-stories"><h3>Related</h3><ul><li><a href="/world/one">Taliban says it has surrounded the valley</a></li><li><a href="/world/two">Who is the resistance leader?</a></li></ul></aside>`,
    ...report.paragraphs.slice(3).map((p) => `<p>${escape(p)}</p>`),
    `</div>`,
    `<div class="newsletter-signup"><h3>Get the morning briefing</h3><form><input type="email" placeholder="Email"><button>Sign up</button></form></div>`,
    `</article></main>`,
    `<section class="most-read"><h2>Most read</h2><ol><li><a href="/a">Markets rally as rates hold</a></li><li><a href="/b">Storm warning for the coast</a></li><li><a href="/c">Cup final tickets sold out</a></li></ol></section>`,
    `<footer class="site-footer"><p>© 2021 ${escape(report.outlet)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>`,
    `<script src="/static/app.js" async></script>`,
  ].filter(Boolean);
  return `<!doctype html>\n<html lang="${report.language ?? 'en'}">\n<head>\n${head.join('\n')}\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/** A section front: many headlines and links, no report. */
export function indexPage(outlet: string, links: Array<{ title: string; href: string }>): string {
  const items = links.map((l) => `<li class="teaser"><h3><a href="${escape(l.href)}">${escape(l.title)}</a></h3><p>${escape(l.title)} — read the latest.</p></li>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>World news | ${escape(outlet)}</title><meta property="og:type" content="website"><meta property="og:site_name" content="${escape(outlet)}">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"CollectionPage","name":"World news"}</script></head>
<body><nav><a href="/">Home</a></nav><main><h1>World news</h1><ul>${items}</ul></main><footer>© ${escape(outlet)}</footer></body></html>`;
}

/** The first paragraph of a report, then a subscription prompt. */
export function paywallPage(report: Report): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(report.headline)}</title><meta property="og:type" content="article"><meta property="og:site_name" content="${escape(report.outlet)}">
<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: report.headline, datePublished: report.published, isAccessibleForFree: false, hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywalled' } })}</script></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>${escape(report.headline)}</h1><p>${escape(report.paragraphs[0] ?? '')}</p>
<div class="paywall-prompt"><h2>Subscribe to continue reading</h2><p>Already a subscriber? Log in. Start your free trial today for unlimited access to our journalism.</p><a href="/subscribe">Subscribe</a></div></article></main></body></html>`;
}

/** A consent page served instead of the article (what some European sites do for new visitors). */
export function cookieWallPage(outlet: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Before you continue to ${escape(outlet)}</title></head>
<body><div class="consent-wall"><h1>Before you continue</h1><p>We and our 847 partners use cookies and data to deliver and maintain our services, measure audience engagement and show personalised ads. If you select "Accept all", we will also use cookies to develop new services.</p><p>Select "Reject all" to decline, or "Manage preferences" to see more options, including privacy settings.</p><form><button>Reject all</button><button>Accept all</button><a href="/prefs">Manage preferences</a></form></div></body></html>`;
}

export interface FeedEntry {
  title: string;
  link: string;
  id?: string;
  summary?: string;
  /** ISO timestamp. */
  published?: string;
  categories?: string[];
}

/** An RSS 2.0 document. */
export function rssFeed(title: string, site: string, entries: readonly FeedEntry[]): string {
  const items = entries
    .map(
      (e) => `  <item>
    <title>${escape(e.title)}</title>
    <link>${escape(e.link)}</link>
    <guid isPermaLink="${e.id === undefined}">${escape(e.id ?? e.link)}</guid>
    ${e.published ? `<pubDate>${new Date(e.published).toUTCString()}</pubDate>` : ''}
    ${e.summary ? `<description>${escape(e.summary)}</description>` : ''}
    ${(e.categories ?? []).map((c) => `<category>${escape(c)}</category>`).join('')}
  </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n  <title>${escape(title)}</title>\n  <link>${escape(site)}</link>\n  <description>${escape(title)}</description>\n${items}\n</channel>\n</rss>\n`;
}

/** An Atom 1.0 document. */
export function atomFeed(title: string, site: string, entries: readonly FeedEntry[]): string {
  const items = entries
    .map(
      (e) => `  <entry>
    <title>${escape(e.title)}</title>
    <id>${escape(e.id ?? e.link)}</id>
    <link rel="alternate" type="text/html" href="${escape(e.link)}"/>
    ${e.published ? `<published>${e.published}</published><updated>${e.published}</updated>` : '<updated>2021-08-25T00:00:00Z</updated>'}
    ${e.summary ? `<summary>${escape(e.summary)}</summary>` : ''}
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <title>${escape(title)}</title>\n  <id>${escape(site)}</id>\n  <link href="${escape(site)}"/>\n  <updated>2021-08-25T00:00:00Z</updated>\n${items}\n</feed>\n`;
}

/** A JSON Feed 1.1 document. */
export function jsonFeed(title: string, site: string, entries: readonly FeedEntry[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: site,
    items: entries.map((e) => ({
      id: e.id ?? e.link,
      url: e.link,
      title: e.title,
      ...(e.summary ? { summary: e.summary } : {}),
      ...(e.published ? { date_published: e.published } : {}),
      ...(e.categories ? { tags: e.categories } : {}),
    })),
  });
}

// ── Real reports (from the seed story and the test fixture) ───────────────────────────────

const ROOT = join(import.meta.dirname, '../..');

function lines(file: string, from: number, to: number, skip: RegExp = /^$/u): string[] {
  return readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .slice(from - 1, to)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !skip.test(l));
}

/**
 * Kabul Dispatch's report of 25 August 2021 (test/fixtures/articles): not in the seed story, so a
 * feed item pointing at it adds a new article.
 */
export function kabulDispatchReport(): Report {
  const body = lines('test/fixtures/articles/kabul-dispatch-2021-08-25.txt', 9, 27, /^READ MORE/u);
  return {
    outlet: 'Kabul Dispatch',
    headline: 'Resistance leader Ahmed Masood vows to defend Panjshir',
    paragraphs: body,
    caption: 'Fighters loyal to the National Resistance Front patrol a road in Panjshir province. (Photo: AFP)',
    author: 'Staff reporter',
    published: '2021-08-25T07:30:00Z',
    language: 'en',
  };
}

/** AFP's report of 23 August 2021 as TheJournal.ie ran it (seed article 003): a wire story others carry too. */
export function afpBesiegedReport(): Report {
  return {
    outlet: 'TheJournal.ie',
    headline: "Taliban say Afghan resistance force 'besieged', but seek talks",
    standfirst: 'Pro-resistance accounts on social media had dismissed earlier claims of being pushed back.',
    paragraphs: lines('data/stories/panjshir/articles/003_150d7347964c21d9.txt', 17, 39),
    agency: 'AFP',
    published: '2021-08-23T09:15:00Z',
    language: 'en',
  };
}

/** A report of 6 September 2021 (the story-analysis fixture, written for the tests): a third, unrelated report. */
export function panjshirFallReport(): Report {
  return {
    outlet: 'Fixture Wire',
    headline: 'Taliban claim capture of Panjshir; resistance denies',
    paragraphs: lines('test/fixtures/analysis/articles/100_fixture_panjshir_fall.txt', 5, 23),
    published: '2021-09-06T10:00:00Z',
    language: 'en',
  };
}

const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** A page as a windows-1252 site serves it: bytes in that encoding, other characters as HTML entities. */
export function windows1252(html: string): Buffer {
  const bytes: number[] = [];
  for (const char of html) {
    const code = char.codePointAt(0)!;
    const high = CP1252.indexOf(char);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else if (high >= 0) bytes.push(0x80 + high);
    else for (const c of `&#${code};`) bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/**
 * A world-news report that has nothing to do with the story (written for the tests): what a
 * world feed carries beside it, for filters that must leave it out.
 */
export function marketsReport(): Report {
  return {
    outlet: 'World Desk',
    headline: 'Markets rally as central bank holds rates',
    paragraphs: [
      'Stock markets in Europe and Asia rose on Wednesday after the central bank left its main interest rate unchanged for a third month and said inflation was likely to ease by the end of the year.',
      'The decision had been widely expected by economists, but traders welcomed the bank’s forecast that price rises would slow as energy costs fell back from their spring highs.',
      '“The worst of the inflation shock is behind us, although the path back to target will be gradual,” the bank’s governor told reporters at a news conference in the capital.',
      'Shares in banks and housebuilders led the gains, while the currency slipped against the dollar as investors scaled back bets on a rate rise before the winter.',
      'Analysts cautioned that a tight labour market and rising wages could still keep prices high, and said the bank would watch figures due next month closely before its next meeting.',
    ],
    published: '2021-08-25T06:30:00Z',
    language: 'en',
  };
}

/** A sports report that names the story's valley in passing (written for the tests): for `exclude`. */
export function sportRoundUpReport(): Report {
  return {
    outlet: 'World Desk',
    headline: 'Weekend round-up: cup holders crash out',
    paragraphs: [
      'The cup holders were knocked out on Saturday after a dramatic final over, ending a run of eleven wins that had carried them to the top of the domestic cricket table.',
      'Their captain, who grew up in Panjshir before his family moved to Kabul, said the side had been beaten by the better team and would use the break to rest injured players.',
      'Elsewhere, the national football team drew its friendly in Doha, with a late equaliser from a substitute who had joined the squad only on Thursday.',
      'Organisers said ticket sales for next month’s tournament had already passed last year’s total, and that extra matches would be played in the evening to avoid the heat.',
      'The cricket board is due to announce its squad for the winter tour next week, with several young players expected to be called up for the first time.',
    ],
    published: '2021-08-25T07:00:00Z',
    language: 'en',
  };
}
