/**
 * The whole bot on PostgreSQL (DATABASE_URL), in-process, as two instances sharing one database
 * and answering Discord over HTTP: health reports the database, a signed command is answered, a
 * subscription made through one instance is in the other's database, and an article stored
 * through one instance is in the other's answers without a restart (LISTEN/NOTIFY).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/config.js';
import { loadArticle } from '../../src/knowledge/articles.js';
import { silentLogger } from '../../src/observability/logger.js';
import { FakeDiscord } from '../fakes/discord-api.js';
import { chatInputInteraction, PERMISSIONS } from '../fakes/discord-payloads.js';
import { createTestDatabase, describePostgres, queryOnce, type TestDatabase } from '../support/postgres.js';

const LATER = join(import.meta.dirname, '..', 'fixtures', 'analysis', 'articles', '100_fixture_panjshir_fall.txt');

describePostgres('the bot on PostgreSQL', () => {
  let database: TestDatabase;
  let discord: FakeDiscord;
  const apps: RunningApp[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const publicHex = der.subarray(der.length - 32).toString('hex');

  beforeEach(async () => {
    database = await createTestDatabase();
    discord = await FakeDiscord.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.shutdown.stop('test over');
    await discord.close();
    await database.drop();
  });

  async function instance(): Promise<RunningApp> {
    const config = loadConfig({
      DATA_DIR: 'data',
      STORY: 'panjshir',
      DATABASE_URL: database.url,
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      CONSOLE: 'off',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_PUBLIC_KEY: publicHex,
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const app = await startApp({ config, logger: silentLogger(), io: { input: new PassThrough(), output: new PassThrough() }, signals: new EventEmitter(), exit: () => undefined });
    apps.push(app);
    return app;
  }

  async function interact(app: RunningApp, payload: Record<string, unknown>): Promise<{ type: number; data?: Record<string, unknown> }> {
    discord.trackHttpInteraction(payload);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    const response = await fetch(`${app.http?.url}/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
      body,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { type: number; data?: Record<string, unknown> };
  }

  it('runs two instances on one database: health, Discord over HTTP, shared subscriptions and shared knowledge', async () => {
    const [a, b] = [await instance(), await instance()];
    const health = (await (await fetch(`${a.http?.url}/healthz`)).json()) as { status: string; components: Record<string, string>; platforms: Record<string, string> };
    expect(health).toMatchObject({ status: 'ok', components: { database: 'connected' }, platforms: { discord: 'connected' } });
    // No gateway: Discord is answered over HTTP only.
    expect(discord.requests.filter((r) => r.path === '/gateway/bot')).toEqual([]);

    const who = await interact(a, chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }));
    expect((who.data?.embeds as Array<{ title: string }>)[0]?.title).toMatch(/Massoud/);

    // Subscribed through instance B; the row is in the one database.
    const subscribe = await interact(b, chatInputInteraction(discord, { command: 'subscribe', options: { when: 'daily 08:00' }, permissions: PERMISSIONS.moderator }));
    expect(subscribe.type).toBe(4);
    expect(a.core.store.activeSubscriptions().map((s) => s.schedule)).toEqual(['daily 08:00']);

    // An article stored through B reaches A's answers by itself.
    const before = a.core.provider().kb.sources.length;
    const article = loadArticle(LATER);
    const added = await b.core.database.articles?.add({ raw: article.raw, meta: article.meta });
    expect(added?.added).toBe(true);
    await discord.waitFor(() => (a.core.provider().kb.sources.some((s) => s.id === added?.id) ? true : undefined), 10_000, 'instance A to know the new article');
    expect(a.core.provider().kb.sources.length).toBe(before + 1);
    const rows = await queryOnce<{ n: number }>(database.url, 'SELECT count(*)::int AS n FROM articles');
    expect(rows[0]?.n).toBe(before + 1);
  }, 60_000);
});
