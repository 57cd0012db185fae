/**
 * The web dossier as an HTTP request handler, mounted on the operator's port beside
 * `/healthz` and `/metrics` (see src/observability/http-server.ts). Read-only: GET and HEAD.
 *
 * Every page is rendered on request from the current knowledge snapshot, so a reloaded story
 * shows at once. Every response carries a strict Content-Security-Policy: scripts, styles and
 * everything else only from this origin, no inline script or style, no framing, forms only to
 * this origin — so even a tag that escaped escaping could neither run nor call out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KnowledgeSnapshot } from '../search/types.js';
import { ASSETS } from './assets.js';
import { dossierIndex } from './dossier-index.js';
import { html, type SafeHtml } from './html.js';
import { href, page, type PageContext } from './layout.js';
import { claimsPage } from './pages/claims.js';
import { docPage, docsIndexPage } from './pages/docs.js';
import { entityListPage, entityPage } from './pages/entity.js';
import { homePage } from './pages/home.js';
import { searchPage } from './pages/search.js';
import { sourcePage, sourcesPage } from './pages/sources.js';
import { timelinePage } from './pages/timeline.js';

/** The policy every response carries. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML_TYPE = 'text/html; charset=utf-8';

export interface WebHandlerOptions {
  /** The snapshot to render from; `undefined` while the story is still loading (pages answer 503). */
  knowledge: () => KnowledgeSnapshot | undefined;
}

/** Handles one request; resolves once the response is sent. */
export type WebHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

interface Rendered {
  status: number;
  body: SafeHtml;
}

/** A positive page number from `?page=`, 1 when absent or nonsense. */
function pageNumber(params: URLSearchParams): number {
  return positive(params, 'page');
}

/** A positive number from `?<name>=`, 1 when absent or nonsense. */
function positive(params: URLSearchParams, name: string): number {
  const n = Number(params.get(name) ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

/** `a/b` → ['a', 'b'], decoded; `undefined` when a part cannot be decoded. */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function notFound(context: PageContext, what: string): Rendered {
  return {
    status: 404,
    body: page(context, { title: 'Not found', nav: 'none' }, html`<h1>Not found</h1><p>${what}</p><p><a href="${href(context, '/')}">Back to the story</a> or search it with the box above.</p>`),
  };
}

/** Render the page for a path, or `undefined` when the path is not the dossier's. */
function route(snapshot: KnowledgeSnapshot, url: URL): Rendered | undefined {
  const parts = segments(url.pathname);
  if (parts === undefined) return undefined;
  const index = dossierIndex(snapshot.kb);
  const context: PageContext = { index, root: parts.length >= 2 ? '../' : './' };
  const params = url.searchParams;
  const ok = (body: SafeHtml | undefined, missing: string): Rendered => (body === undefined ? notFound(context, missing) : { status: 200, body });
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return notFound(context, 'There is no such page in the dossier.');
  switch (first) {
    case undefined:
      return { status: 200, body: homePage(context) };
    case 'entities':
      if (second === undefined) return { status: 200, body: entityListPage(context, params.get('type'), pageNumber(params)) };
      return ok(entityPage(context, second, pageNumber(params)), 'The dossier knows no one and nothing by that id; it may have left the story when it was reloaded.');
    case 'timeline':
      return second === undefined ? { status: 200, body: timelinePage(context, pageNumber(params)) } : notFound(context, 'There is no such page in the dossier.');
    case 'claims':
      return second === undefined ? { status: 200, body: claimsPage(context, pageNumber(params)) } : notFound(context, 'There is no such page in the dossier.');
    case 'sources':
      if (second === undefined) return { status: 200, body: sourcesPage(context, pageNumber(params)) };
      return ok(sourcePage(context, second, params.get('furniture') === '1', positive(params, 'part')), 'The dossier holds no article with that id.');
    case 'docs':
      if (second === undefined) return { status: 200, body: docsIndexPage(context) };
      return ok(docPage(context, second), 'There is no such page in the documentation.');
    case 'search':
      return second === undefined ? { status: 200, body: searchPage(context, snapshot.search, params.get('q') ?? '', pageNumber(params)) } : notFound(context, 'There is no such page in the dossier.');
    default:
      return notFound(context, 'There is no such page in the dossier.');
  }
}

function send(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * The web dossier's request handler.
 *
 * @example
 * const server = await startHttpServer({ host, port, health, metrics, pages: createWebHandler({ knowledge: core.provider }) });
 */
export function createWebHandler(options: WebHandlerOptions): WebHandler {
  return async (request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return send(request, response, 400, 'text/plain; charset=utf-8', 'bad request\n');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(request, response, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    const asset = ASSETS.get(url.pathname);
    if (asset !== undefined) {
      if (request.headers['if-none-match'] === asset.etag) return send(request, response, 304, asset.type, '', { ETag: asset.etag, 'Cache-Control': 'public, max-age=3600' });
      return send(request, response, 200, asset.type, asset.body, { ETag: asset.etag, 'Cache-Control': 'public, max-age=3600' });
    }
    const snapshot = options.knowledge();
    if (snapshot === undefined) return send(request, response, 503, 'text/plain; charset=utf-8', 'The story is still loading; try again in a moment.\n', { 'Retry-After': '5' });
    const rendered = route(snapshot, url);
    if (rendered === undefined) return send(request, response, 400, 'text/plain; charset=utf-8', 'bad request\n');
    send(request, response, rendered.status, HTML_TYPE, rendered.body.value, { 'Cache-Control': 'no-cache' });
  };
}
