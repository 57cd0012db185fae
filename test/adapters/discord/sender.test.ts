/**
 * Digests go out through `runtime.sender`: `POST /channels/{id}/messages` via discord.js's REST
 * client, with Discord's failures mapped to delivery error kinds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/delivery/types.js';
import { reply } from '../../../src/replies/reply.js';
import { messageProblems } from '../../fakes/discord-limits.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const CHANNEL = '300000000000000777';
const digest = reply({
  kind: 'answer',
  title: 'Daily digest: Panjshir',
  summary: 'Two new reports since yesterday. @everyone',
  sections: [{ label: 'New', lines: [{ text: 'Fighting reported in Bazarak.', cites: [1] }] }],
  citations: [{ outlet: 'Reuters', headline: 'Fighting in Bazarak', date: '2021-09-01', url: 'https://example.org/b' }],
  actions: [{ label: 'Timeline', command: '/timeline' }],
});

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Discord sender (digests)', () => {
  it('posts the reply as an embed to the channel, with the bot token and no pings', async () => {
    harness = await startHarness();
    await harness.runtime.sender.send(CHANNEL, digest);
    const posted = harness.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.headers.authorization).toBe(`Bot ${harness.discord.token}`);
    const body = posted[0]?.body as { embeds: Array<{ title: string; description: string }>; allowed_mentions: unknown; components: unknown[] };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]?.title).toBe('Daily digest: Panjshir');
    expect(body.embeds[0]?.description).toBe('Two new reports since yesterday. @\u200beveryone');
    expect(body.components).toHaveLength(1);
  });

  it('sends a long digest as several messages, each within limits, buttons under the last', async () => {
    harness = await startHarness();
    const long = reply({ ...digest, sections: [{ label: 'New', lines: Array.from({ length: 80 }, (_, i) => ({ text: `Item ${i} ${'word '.repeat(40)}`, cites: [1] })) }] });
    await harness.runtime.sender.send(CHANNEL, long);
    const bodies = harness.discord.requests.filter((r) => r.path === `/channels/${CHANNEL}/messages`).map((r) => r.body as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(messageProblems(body)).toEqual([]);
    expect(bodies.map((b) => (b.components as unknown[]).length)).toEqual([...bodies.slice(1).map(() => 0), 1]);
  });

  it.each([
    { status: 403, code: 50001, reason: 'Missing Access', kind: 'forbidden' },
    { status: 404, code: 10003, reason: 'Unknown Channel', kind: 'not-found' },
  ] as const)('maps $status $reason to $kind and records the channel as blocked, saying why', async ({ status, code, reason, kind }) => {
    harness = await startHarness();
    harness.discord.injectError({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status, code });
    const error = await failure(harness.runtime.sender.send(CHANNEL, digest));
    expect(error.kind).toBe(kind);
    expect(error.permanent).toBe(true);
    expect(harness.store.blockedChat('discord', CHANNEL)?.reason).toContain(reason);
    expect(harness.platformErrors).toContain(kind);
  });

  it('maps a lasting 5xx to "transient" (after discord.js’s own retries) and keeps the channel', async () => {
    harness = await startHarness();
    harness.discord.injectError({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, times: 10 });
    const error = await failure(harness.runtime.sender.send(CHANNEL, digest));
    expect(error.kind).toBe('transient');
    expect(harness.store.blockedChat('discord', CHANNEL)).toBeUndefined();
    expect(harness.discord.requests.filter((r) => r.path === `/channels/${CHANNEL}/messages`).length).toBe(4);
  });

  it('waits out a 429 and delivers once', async () => {
    harness = await startHarness();
    harness.discord.injectError({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.2 });
    await harness.runtime.sender.send(CHANNEL, digest);
    expect(harness.discord.requests.filter((r) => r.path === `/channels/${CHANNEL}/messages`).map((r) => r.status)).toEqual([429, 200]);
    expect([...harness.discord.messages.values()].filter((m) => m.channel_id === CHANNEL)).toHaveLength(1);
  });
});
