import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/observability/health.js';
import { startHttpServer, type RunningHttpServer } from '../../src/observability/http-server.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { captureLines } from './log-capture.js';

const ready: HealthReport = {
  status: 'ok',
  uptimeSeconds: 5,
  knowledge: { loaded: true, version: 'kb-1', items: 10 },
  platforms: { telegram: 'connected' },
  components: {},
};

let server: RunningHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(health: () => HealthReport | Promise<HealthReport> = () => ready, metrics = createMetrics({ defaultMetrics: false })) {
  const out = captureLines();
  server = await startHttpServer({ host: '127.0.0.1', port: 0, health, metrics, logger: createLogger({ format: 'json', destination: out }) });
  return { server, out, metrics };
}

describe('startHttpServer', () => {
  it('listens on the port it was given, 0 meaning any free one', async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('GET /healthz answers 200 with the report as JSON when ready', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(ready);
  });

  it('GET /healthz answers 503 with the report while not ready', async () => {
    const { server } = await start(async () => ({ ...ready, status: 'starting', platforms: { telegram: 'connecting' } }));
    const response = await fetch(`${server.url}/healthz?verbose=1`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'starting', platforms: { telegram: 'connecting' } });
  });

  it('GET /metrics answers the Prometheus text', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.commands.inc({ platform: 'discord', command: 'where', outcome: 'answer' });
    const { server } = await start(undefined, metrics);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    expect(await response.text()).toContain('dossier_commands_total{platform="discord",command="where",outcome="answer"} 1');
  });

  it('HEAD gets the status and headers without a body', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('answers 404 for any other path and 405 for other methods', async () => {
    const { server } = await start();
    for (const path of ['/', '/health', '/healthz/', '/metrics.json', '/../etc/passwd', '/%00']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never leaks an error: a failing health check gives a bare 500 and a log line', async () => {
    const { server, out } = await start(() => {
      throw new Error('secret internal detail at /srv/app');
    });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toBe('internal error\n');
    expect(out.records()[0]).toMatchObject({ level: 50, path: '/healthz', err: { message: 'secret internal detail at /srv/app' } });
  });

  it('hands every other path to the pages handler when one is given, and a failing page gets a bare 500', async () => {
    const out = captureLines();
    const seen: string[] = [];
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      health: () => ready,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: createLogger({ format: 'json', destination: out }),
      pages: (request, response) => {
        seen.push(request.url ?? '');
        if (request.url === '/boom') throw new Error('secret page detail');
        response.end('page');
      },
    });
    expect(await (await fetch(`${server.url}/entities/x?page=2`)).text()).toBe('page');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const failed = await fetch(`${server.url}/boom`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('internal error\n');
    expect(seen).toEqual(['/entities/x?page=2', '/boom']);
    expect(out.records()[0]).toMatchObject({ level: 50, path: '/boom', err: { message: 'secret page detail' } });
  });

  it('survives a malformed request', async () => {
    const { server } = await start();
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('GARBAGE\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += String(chunk)));
      socket.on('close', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('close() stops listening, even with a kept-alive connection open, and can be called twice', async () => {
    const { server } = await start();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/healthz`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('reports a port already in use as an error', async () => {
    const { server } = await start();
    await expect(startHttpServer({ host: '127.0.0.1', port: server.port, health: () => ready, metrics: createMetrics({ defaultMetrics: false }) })).rejects.toThrow(/EADDRINUSE/);
  });
});
