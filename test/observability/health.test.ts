import { describe, expect, it } from 'vitest';
import { HealthRegistry } from '../../src/observability/health.js';
import { createLogger } from '../../src/observability/logger.js';
import { captureLines } from './log-capture.js';

const loaded = { loaded: true, version: 'kb-1', items: 412 };

describe('HealthRegistry', () => {
  it('is starting until the knowledge base is loaded', async () => {
    const health = new HealthRegistry({ uptime: () => 12.7 });
    expect(await health.report()).toEqual({
      status: 'starting',
      uptimeSeconds: 12,
      knowledge: { loaded: false, version: null, items: 0 },
      platforms: {},
      components: {},
    });
    health.setKnowledge(() => loaded);
    expect((await health.report()).status).toBe('ok');
  });

  it('is ok only when every platform is connected', async () => {
    const health = new HealthRegistry();
    health.setKnowledge(() => loaded);
    let telegram: 'connecting' | 'connected' = 'connecting';
    health.register('telegram', () => ({ status: telegram }));
    health.register('discord', async () => ({ status: 'connected' }));
    health.register('database', () => ({ status: 'connected' }), 'component');
    expect(await health.report()).toMatchObject({ status: 'starting', platforms: { telegram: 'connecting', discord: 'connected' } });
    telegram = 'connected';
    expect(await health.report()).toMatchObject({
      status: 'ok',
      platforms: { telegram: 'connected', discord: 'connected' },
      components: { database: 'connected' },
    });
  });

  it('is degraded when a part is down or stopped', async () => {
    const health = new HealthRegistry();
    health.setKnowledge(() => loaded);
    health.register('telegram', () => ({ status: 'connected' }));
    health.register('discord', () => ({ status: 'down', detail: 'gateway closed' }));
    expect((await health.report()).status).toBe('degraded');
  });

  it('counts a check that throws or hangs as down, logs it, and never throws itself', async () => {
    const out = captureLines();
    const health = new HealthRegistry({ logger: createLogger({ format: 'json', destination: out }), checkTimeoutMs: 50 });
    health.setKnowledge(() => {
      throw new Error('index not built');
    });
    health.register('telegram', () => {
      throw new Error('boom');
    });
    health.register('discord', () => new Promise(() => {}));
    const report = await health.report();
    expect(report).toMatchObject({ status: 'degraded', knowledge: { loaded: false }, platforms: { telegram: 'down', discord: 'down' } });
    expect(out.records().map((r) => r.check)).toEqual(['knowledge', 'telegram', 'discord']);
  });

  it('reports stopping once a graceful stop began', async () => {
    const health = new HealthRegistry();
    health.setKnowledge(() => loaded);
    health.markStopping();
    expect((await health.report()).status).toBe('stopping');
  });

  it('forgets an unregistered check', async () => {
    const health = new HealthRegistry();
    health.setKnowledge(() => loaded);
    health.register('discord', () => ({ status: 'down' }));
    health.unregister('discord');
    expect(await health.report()).toMatchObject({ status: 'ok', platforms: {} });
  });
});
