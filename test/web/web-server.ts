/**
 * The web dossier on a real HTTP server (the operator's port, as the bot runs it) over a given
 * knowledge snapshot, and a fetch that returns the page parsed with linkedom.
 */
import { parseHTML } from 'linkedom';
import { loadStory } from '../../src/knowledge/load.js';
import { startHttpServer, type RunningHttpServer } from '../../src/observability/http-server.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import type { KnowledgeSnapshot } from '../../src/search/types.js';
import { createWebHandler } from '../../src/web/handler.js';

/** A snapshot of the story in `storyDir`, built by the real pipeline and search. */
export function snapshotOf(storyDir: string): KnowledgeSnapshot {
  const kb = loadStory(storyDir);
  return { kb, search: createKnowledgeSearch(kb), version: 'test', loadedAt: new Date(0) };
}

/** Start the health/metrics port with the web dossier mounted on it. */
export function startWebServer(knowledge: () => KnowledgeSnapshot | undefined): Promise<RunningHttpServer> {
  return startHttpServer({
    host: '127.0.0.1',
    port: 0,
    health: () => ({ status: 'ok', uptimeSeconds: 1, knowledge: { loaded: true, version: 'test', items: 1 }, platforms: {}, components: {} }),
    metrics: createMetrics({ defaultMetrics: false }),
    pages: createWebHandler({ knowledge }),
  });
}

/** A page's document as linkedom parses it. */
export type ParsedDocument = ReturnType<typeof parseHTML>['document'];

export interface FetchedPage {
  status: number;
  headers: Headers;
  html: string;
  bytes: number;
  document: ParsedDocument;
}

/** GET a page and parse it. */
export async function getPage(server: RunningHttpServer, path: string): Promise<FetchedPage> {
  const response = await fetch(`${server.url}${path}`);
  const html = await response.text();
  return { status: response.status, headers: response.headers, html, bytes: Buffer.byteLength(html), document: parseHTML(html).document };
}
