/**
 * The container's HEALTHCHECK: `node dist/observability/healthcheck.js` exits 0 when
 * `GET /healthz` answers 200 and 1 otherwise. Plain node, because the slim image has no curl.
 *
 * It asks `http://127.0.0.1:$HTTP_PORT/healthz` (port 8080 when unset) and gives up after
 * `HEALTHCHECK_TIMEOUT_MS` (default 4000, below Docker's default 30 s timeout).
 */
import { pathToFileURL } from 'node:url';

/**
 * Ask a running Dossier whether it is ready.
 *
 * @example
 * const ready = await checkHealth('http://127.0.0.1:8080', 4000);
 */
export async function checkHealth(baseUrl: string, timeoutMs: number): Promise<{ ready: boolean; detail: string }> {
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.text()).slice(0, 2000).trim();
    return { ready: response.status === 200, detail: `HTTP ${response.status} ${body}` };
  } catch (error) {
    return { ready: false, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

async function main(): Promise<void> {
  const port = process.env.HTTP_PORT?.trim() || '8080';
  const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 4000) || 4000;
  const { ready, detail } = await checkHealth(`http://127.0.0.1:${port}`, timeoutMs);
  // Docker keeps the last lines of a health check's output: `docker inspect` shows why it failed.
  (ready ? process.stdout : process.stderr).write(`${detail}\n`);
  process.exitCode = ready ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
