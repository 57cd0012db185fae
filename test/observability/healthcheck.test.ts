import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/observability/health.js';
import { checkHealth } from '../../src/observability/healthcheck.js';
import { startHttpServer, type RunningHttpServer } from '../../src/observability/http-server.js';
import { createMetrics } from '../../src/observability/metrics.js';

const report = (status: HealthReport['status']): HealthReport => ({
  status,
  uptimeSeconds: 1,
  knowledge: { loaded: status === 'ok', version: null, items: 0 },
  platforms: {},
  components: {},
});

let server: RunningHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('checkHealth (the container HEALTHCHECK)', () => {
  it('is ready when /healthz answers 200', async () => {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, health: () => report('ok'), metrics: createMetrics({ defaultMetrics: false }) });
    expect(await checkHealth(server.url, 1000)).toMatchObject({ ready: true, detail: expect.stringMatching(/^HTTP 200 \{"status":"ok"/) });
  });

  it('is not ready on 503, and says why', async () => {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, health: () => report('starting'), metrics: createMetrics({ defaultMetrics: false }) });
    expect(await checkHealth(server.url, 1000)).toMatchObject({ ready: false, detail: expect.stringContaining('HTTP 503') });
  });

  it('is not ready when nothing listens', async () => {
    server = await startHttpServer({ host: '127.0.0.1', port: 0, health: () => report('ok'), metrics: createMetrics({ defaultMetrics: false }) });
    const url = server.url;
    await server.close();
    server = undefined;
    expect((await checkHealth(url, 1000)).ready).toBe(false);
  });
});
