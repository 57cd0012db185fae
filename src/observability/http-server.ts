/**
 * The operator's HTTP port: `GET /healthz` (readiness as JSON), `GET /metrics` (Prometheus), the
 * routes components mount (Discord's `POST /interactions`), and every other path to the `pages`
 * handler when one is given (the web dossier); without it, nothing else is served. No error text
 * ever reaches a response.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from './health.js';
import type { Logger } from './logger.js';
import type { MetricsSource } from './metrics.js';

export interface HttpServerOptions {
  /** Interface to listen on (`0.0.0.0` in a container, `127.0.0.1` in tests). */
  host: string;
  /** Port; 0 picks a free one (read it back from the result). */
  port: number;
  health: () => HealthReport | Promise<HealthReport>;
  metrics: MetricsSource;
  logger?: Logger;
  /** Serves every path other than /healthz and /metrics (the web dossier); 404 when absent. */
  pages?: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;
  /**
   * More endpoints by path (e.g. `/interactions` for Discord over HTTP); each handles its own
   * methods and answer. Looked up on every request, so a route may be added once its component is up.
   */
  routes?: ReadonlyMap<string, RouteHandler>;
}

/** An endpoint mounted with {@link HttpServerOptions.routes}. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** Stop listening and close open connections. Safe to call twice. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * Start the health and metrics server.
 *
 * @example
 * const server = await startHttpServer({ host: '0.0.0.0', port: 8080, health: () => health.report(), metrics });
 * // curl http://localhost:8080/healthz
 * await server.close();
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.logger?.error({ err: error, path: safePath(request.url) }, 'http request failed');
      if (!response.headersSent) send(response, request, 500, TEXT_TYPE, 'internal error\n');
      else response.destroy();
    });
  });
  // A scrape or probe is one short request: do not let slow clients hold sockets open.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions): Promise<void> {
  const path = safePath(request.url);
  const route = options.routes?.get(path);
  if (route !== undefined) return route(request, response);
  const known = path === '/healthz' || path === '/metrics';
  if (!known && options.pages !== undefined) return options.pages(request, response);
  if (!known) return send(response, request, 404, TEXT_TYPE, 'not found\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, request, 405, TEXT_TYPE, 'method not allowed\n');
  }
  if (path === '/healthz') {
    const report = await options.health();
    return send(response, request, report.status === 'ok' ? 200 : 503, JSON_TYPE, `${JSON.stringify(report)}\n`);
  }
  const text = await options.metrics.metrics();
  return send(response, request, 200, options.metrics.contentType, text);
}

function send(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.setHeader('Cache-Control', 'no-store');
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The path without query string; anything unparsable is treated as unknown. */
function safePath(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/?';
  }
}
