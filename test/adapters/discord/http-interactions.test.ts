/**
 * Discord over HTTP interactions: the bot's real HTTP server with `POST /interactions` mounted,
 * requests signed by the test with a real Ed25519 key pair (as Discord signs them), follow-ups
 * checked on the fake Discord REST API. A request that is unsigned, signed with another key or
 * altered after signing gets 401 and runs nothing.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordHttpRuntime, type DiscordHttpRuntime } from '../../../src/adapters/discord/http-runtime.js';
import { inlineAnswers } from '../../../src/commands/inline.js';
import { createRouter } from '../../../src/commands/router.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { startHttpServer, type RouteHandler, type RunningHttpServer } from '../../../src/observability/http-server.js';
import { openSqliteStore, type SqliteStore } from '../../../src/storage/sqlite.js';
import { FakeDiscord } from '../../fakes/discord-api.js';
import { autocompleteInteraction, chatInputInteraction } from '../../fakes/discord-payloads.js';
import { capturingLogger, recordingTelemetry } from '../../support/test-tools.js';
import { commandSet, knowledge, NOW, suggestFromStory } from './harness.js';

/** A key pair like an application's: the public half as the 64 hex characters the portal shows. */
function applicationKeys(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicHex: der.subarray(der.length - 32).toString('hex') };
}

describe('Discord over HTTP: POST /interactions', () => {
  let discord: FakeDiscord;
  let store: SqliteStore;
  let runtime: DiscordHttpRuntime;
  let server: RunningHttpServer;
  let keys: ReturnType<typeof applicationKeys>;
  let recorded: ReturnType<typeof recordingTelemetry>;

  beforeEach(async () => {
    discord = await FakeDiscord.start();
    keys = applicationKeys();
    const { logger } = capturingLogger();
    recorded = recordingTelemetry();
    const router = createRouter({ commands: commandSet({ slowMs: 1500 }), logger, telemetry: recorded.telemetry, suggestEntities: suggestFromStory });
    store = openSqliteStore(':memory:');
    runtime = createDiscordHttpRuntime(
      { token: discord.token, applicationId: discord.applicationId, apiUrl: discord.apiUrl, publicKey: keys.publicHex, deferAfterMs: 1000 },
      { router, inlineAnswers: (q) => inlineAnswers(knowledge, q), chatState: store, followUps: store, logger, telemetry: recorded.telemetry, now: () => NOW },
    );
    await runtime.start();
    const routes = new Map<string, RouteHandler>([['/interactions', runtime.handle]]);
    server = await startHttpServer({ host: '127.0.0.1', port: 0, health: () => ({}) as never, metrics: createMetrics({ defaultMetrics: false }), routes });
  });

  afterEach(async () => {
    await runtime.stop();
    await server.close();
    await discord.close();
    store.close();
  });

  /** POST an interaction as Discord does: `X-Signature-Ed25519` over timestamp + body. */
  async function post(payload: Record<string, unknown>, how: { key?: KeyObject; unsigned?: boolean; tamper?: (body: string) => string } = {}) {
    discord.trackHttpInteraction(payload);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), how.key ?? keys.privateKey).toString('hex');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (how.unsigned !== true) Object.assign(headers, { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp });
    const response = await fetch(`${server.url}/interactions`, { method: 'POST', headers, body: how.tamper?.(body) ?? body });
    const text = await response.text();
    const json = text === '' ? undefined : (JSON.parse(text) as { type?: number; data?: Record<string, unknown> });
    if (response.status === 200 && json !== undefined && payload.type !== 1) discord.acceptHttpResponse(String(payload.id), json);
    return { status: response.status, json };
  }

  it('answers PING with PONG, a slash command in the response itself, and autocomplete with choices', async () => {
    expect(await post({ id: discord.snowflake(), token: 'ping', type: 1, application_id: discord.applicationId })).toEqual({ status: 200, json: { type: 1 } });

    const who = await post(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }));
    expect(who.status).toBe(200);
    expect(who.json?.type).toBe(4);
    const embeds = who.json?.data?.embeds as Array<{ title: string }>;
    expect(embeds[0]?.title).toMatch(/Massoud/);
    expect(who.json?.data?.allowed_mentions).toEqual({ parse: [] });
    expect(recorded.commands.map((c) => c.command)).toEqual(['who']);

    const choices = await post(autocompleteInteraction(discord, { command: 'who', focused: 'name', value: 'mass' }));
    expect(choices.json?.type).toBe(8);
    expect((choices.json?.data?.choices as Array<{ name: string }>).some((c) => /Massoud/.test(c.name))).toBe(true);
    // Nothing needed the REST API, and no gateway connection was ever asked for.
    expect(discord.requests.filter((r) => r.path === '/gateway/bot')).toEqual([]);
  });

  it('defers a slow command within the deadline and finishes it by editing the original over REST', async () => {
    const slow = chatInputInteraction(discord, { command: 'slow' });
    const first = await post(slow);
    expect(first).toEqual({ status: 200, json: { type: 5 } });
    const edit = await discord.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edit.status).toBe(200);
    expect((discord.originalMessage(String(slow.id))?.embeds as Array<{ title: string }>)[0]?.title).toBe('Finally, the answer.');
  });

  it('refuses with 401, running nothing, a request unsigned, signed with another key, or changed after signing', async () => {
    const other = applicationKeys();
    const attempts = [
      await post(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }), { unsigned: true }),
      await post(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }), { key: other.privateKey }),
      await post(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }), { tamper: (body) => body.replace('massoud', 'mujahid') }),
      await post({ id: discord.snowflake(), token: 'ping', type: 1 }, { unsigned: true }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(recorded.commands).toEqual([]);
    expect(discord.interactionResponses).toEqual([]);
    expect(discord.requests).toEqual([]);
  });
});
