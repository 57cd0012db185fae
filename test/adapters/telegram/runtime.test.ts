import { afterEach, describe, expect, it } from 'vitest';
import { menuCommands } from '../../../src/adapters/telegram/runtime.js';
import type { CommandDefinition } from '../../../src/commands/types.js';
import { reply } from '../../../src/replies/reply.js';
import { ALICE, privateChatOf, textMessage } from '../../fakes/telegram-updates.js';
import { freePort } from '../../support/test-tools.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('start-up', () => {
  it('asks getMe, clears any webhook, registers the visible commands with their descriptions, then long-polls', async () => {
    h = await startHarness({ getMe: true });
    expect(h.telegram.callsTo('getMe')).toHaveLength(1);
    expect(h.telegram.callsTo('deleteWebhook')).toHaveLength(1);
    const registered = h.telegram.commands as Array<{ command: string; description: string }>;
    const visible = h.router.definitions.filter((d) => d.hidden !== true);
    expect(registered.map((c) => c.command)).toEqual(visible.map((d) => d.name));
    expect(registered.find((c) => c.command === 'who')?.description).toBe(h.router.find('who')?.description);
    expect(registered.some((c) => c.command === 'secret')).toBe(false);
    const firstPoll = await h.telegram.waitFor(() => h?.telegram.callsTo('getUpdates')[0]);
    expect(firstPoll?.params).toMatchObject({ timeout: 5, allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'] });
    expect(h.runtime.health()).toEqual({ status: 'connected' });
  });

  it('an idle bot holds one long poll instead of spinning', async () => {
    h = await startHarness();
    const before = h.telegram.callsTo('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(h.telegram.callsTo('getUpdates').length - before).toBeLessThanOrEqual(1);
  });

  it('a failing getMe is logged and retried; start() still resolves and health says down meanwhile', async () => {
    h = await startHarness({ getMe: true, waitConnected: false, beforeStart: (t) => t.failNext('getMe', { kind: 'server-error' }, 2) });
    expect(h.runtime.health()).toMatchObject({ status: 'down', detail: expect.stringContaining('500') as unknown });
    await h.telegram.waitFor(() => h?.runtime.health().status === 'connected', 5_000, 'connected');
    expect(h.telegram.callsTo('getMe')).toHaveLength(3);
    expect(h.logs.filter((l) => l.msg === 'telegram getMe failed; will retry')).toHaveLength(2);
  });

  it('a failing setMyCommands is retried with backoff; health says connecting until the menu is registered', async () => {
    h = await startHarness({
      waitConnected: false,
      settings: { retry: { startupInitialMs: 100, startupMaxMs: 200, rethrowInternalServerErrors: true } },
      beforeStart: (t) => t.failNext('setMyCommands', { kind: 'server-error' }, 3),
    });
    await h.telegram.waitFor(() => h?.runtime.health().detail?.includes('command menu not registered yet'), 2_000, 'menu retry state');
    expect(h.runtime.health().status).toBe('connecting');
    // Commands already work while the menu is being registered.
    h.telegram.privateMessage('/where bazarak');
    await h.telegram.waitForSent(ALICE.id);
    await h.telegram.waitFor(() => h?.runtime.health().status === 'connected', 5_000, 'connected');
    expect(h.telegram.callsTo('setMyCommands')).toHaveLength(4);
    expect(h.telegram.commands.length).toBeGreaterThan(0);
  });

  it('a rejected token is reported, not retried, and does not crash the process', async () => {
    h = await startHarness({ getMe: true, waitConnected: false, settings: { token: '111111:wrong-token' } });
    expect(h.runtime.health()).toEqual({ status: 'down', detail: expect.stringContaining('TELEGRAM_BOT_TOKEN') as unknown });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.telegram.callsTo('getMe')).toHaveLength(1);
    expect(h.telegram.callsTo('getUpdates')).toHaveLength(0);
  });
});

describe('menuCommands', () => {
  it('keeps at most 100 visible commands with descriptions ≤ 256 characters', () => {
    const many: CommandDefinition[] = Array.from({ length: 120 }, (_, i) => ({
      name: `c${i}`,
      description: 'd'.repeat(300),
      options: [],
      usage: '',
      examples: [],
      hidden: i === 0,
      run: () => reply({ kind: 'notice', title: 'x' }),
    }));
    const menu = menuCommands(many);
    expect(menu).toHaveLength(100);
    expect(menu[0]?.command).toBe('c1');
    expect(menu.every((c) => c.description.length <= 256)).toBe(true);
  });
});

describe('webhook mode', () => {
  async function startWebhook() {
    const port = await freePort();
    const webhook = { url: `http://127.0.0.1:${port}/telegram/hook`, port, host: '127.0.0.1', secret: 'test-secret_123-abc' };
    return { webhook, harness: await startHarness({ settings: { webhook } }) };
  }

  it('registers the webhook with its secret and answers updates Telegram posts with it', async () => {
    const { webhook, harness } = await startWebhook();
    h = harness;
    expect(h.telegram.callsTo('setWebhook')[0]?.params).toMatchObject({ url: webhook.url, secret_token: webhook.secret });
    h.telegram.privateMessage('/where bazarak');
    const [answer] = await h.telegram.waitForSent(ALICE.id);
    expect(answer?.text).toMatch(/^Bazarak/);
    await h.telegram.waitFor(() => h?.telegram.webhookDeliveries.length === 1);
    expect(h.telegram.webhookDeliveries[0]?.status).toBe(200);
    expect(h.telegram.callsTo('getUpdates')).toHaveLength(0);
  });

  it('rejects requests with a wrong or missing secret with 401 and handles nothing', async () => {
    const { webhook, harness } = await startWebhook();
    h = harness;
    const update = { update_id: 4242, message: textMessage('/who massoud', privateChatOf(ALICE), ALICE) };
    expect((await h.telegram.deliverWebhook(update, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await h.telegram.deliverWebhook(update, { secret: null })).status).toBe(401);
    expect((await fetch(webhook.url)).status).toBe(405);
    expect((await fetch(webhook.url.replace('/telegram/hook', '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.telegram.sent(ALICE.id)).toHaveLength(0);
    expect((await h.telegram.deliverWebhook(update)).status).toBe(200);
    await h.telegram.waitForSent(ALICE.id);
  });

  it('stop() closes the webhook server', async () => {
    const { webhook, harness } = await startWebhook();
    h = harness;
    await h.runtime.stop();
    await expect(fetch(webhook.url, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(h.runtime.health().status).toBe('stopped');
  });
});

describe('stop()', () => {
  it('stops polling at once, lets an answer in flight finish, and takes no more updates', async () => {
    h = await startHarness();
    h.telegram.privateMessage('/slow');
    await h.telegram.waitFor(() => h?.telegram.callsTo('getUpdates').some((c) => Number(c.params.offset) > 0));
    const started = Date.now();
    await h.runtime.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(h.telegram.sent(ALICE.id).map((m) => m.text)).toEqual(['Slow answer finished.']);
    const polls = h.telegram.callsTo('getUpdates').length;
    h.telegram.privateMessage('/sources');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.telegram.callsTo('getUpdates')).toHaveLength(polls);
    expect(h.runtime.health()).toEqual({ status: 'stopped' });
  });
});
