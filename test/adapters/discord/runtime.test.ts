/**
 * The real discord.js client, started through `createDiscordRuntime` exactly as `npm start` does,
 * over the seed story's commands and search, against the fake Discord. Every check is on what
 * the fake received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordRuntime } from '../../../src/adapters/discord/runtime.js';
import { createRouter } from '../../../src/commands/router.js';
import { noTelemetry } from '../../../src/observability/telemetry.js';
import { openSqliteStore } from '../../../src/storage/sqlite.js';
import { FakeDiscord } from '../../fakes/discord-api.js';
import type { InteractionResponse } from '../../fakes/discord-api.js';
import { messageProblems } from '../../fakes/discord-limits.js';
import { autocompleteInteraction, buttonInteraction, chatInputInteraction, CHANNEL_ID, PERMISSIONS } from '../../fakes/discord-payloads.js';
import { capturingLogger } from '../../support/test-tools.js';
import { commandSet, knowledge, startHarness, type Harness, type HarnessOptions } from './harness.js';

let harness: Harness | undefined;
/** Set by a test that provokes errors on purpose; otherwise any error logged fails the test. */
let errorsExpected = false;
afterEach(async () => {
  const errors = harness?.logs.filter((line) => Number(line.level) >= 50) ?? [];
  await harness?.stop();
  harness = undefined;
  if (!errorsExpected) expect(errors).toEqual([]);
  errorsExpected = false;
});

async function start(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  harness = await startHarness({ testCommands: { slowMs: 600 }, settings: { deferAfterMs: 200 }, ...options });
  return harness;
}

type Embed = { title?: string; description?: string; color?: number; footer?: { text: string }; fields?: Array<{ name: string; value: string }> };
type Row = { components: Array<{ custom_id: string; label: string }> };

function embedOf(data: Record<string, unknown> | undefined): Embed {
  const embeds = (data?.embeds ?? []) as Embed[];
  expect(embeds).toHaveLength(1);
  return embeds[0] as Embed;
}

/** The first embed's title, or undefined (safe inside `waitFor`). */
function titleOf(message: Record<string, unknown> | undefined): string | undefined {
  return ((message?.embeds ?? []) as Embed[])[0]?.title;
}

function buttonsOf(data: Record<string, unknown> | undefined): Array<{ custom_id: string; label: string }> {
  return ((data?.components ?? []) as Row[]).flatMap((row) => row.components);
}

async function ask(h: Harness, command: string, options: Record<string, string> = {}, where: { in?: 'guild' | 'dm'; permissions?: string } = {}): Promise<{ id: string; response: InteractionResponse }> {
  const id = h.discord.sendInteraction(chatInputInteraction(h.discord, { command, options, ...where }));
  const [response] = await h.discord.waitForInteractionResponses(id);
  return { id, response: response as InteractionResponse };
}

describe('connecting', () => {
  it('fetches the gateway, identifies with only the Guilds intent, and is connected after READY', async () => {
    const { discord, runtime } = await start();
    expect(discord.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot' && r.headers.authorization === `Bot ${discord.token}`)).toBe(true);
    const [identify] = discord.received(2);
    expect(identify?.d).toMatchObject({ token: discord.token, intents: 1, shard: [0, 1] });
    expect(discord.dispatched('READY')).toHaveLength(1);
    expect(runtime.health()).toEqual({ status: 'connected' });
  });

  it('reports a rejected token as down, says which setting to fix, and does not retry', async () => {
    const discord = await FakeDiscord.start();
    const { logger, lines } = capturingLogger();
    const router = createRouter({ commands: commandSet(), logger });
    const store = openSqliteStore(':memory:');
    const runtime = createDiscordRuntime(
      { token: 'not-the-token', applicationId: discord.applicationId, apiUrl: discord.apiUrl, loginRetryMs: 10 },
      { router, inlineAnswers: () => [], chatState: store, followUps: store, logger, telemetry: noTelemetry, now: () => new Date() },
    );
    try {
      await runtime.start();
      expect(runtime.health().status).toBe('down');
      expect(runtime.health().detail).toContain('DISCORD_TOKEN');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(discord.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(1);
      expect(lines.some((l) => l.msg === 'discord rejected the bot token; not retrying')).toBe(true);
      expect(JSON.stringify(lines)).not.toContain('not-the-token');
    } finally {
      await runtime.stop();
      await discord.close();
      store.close();
    }
  });

  it('resumes after the gateway drops the connection (close 4000), then answers a new command', async () => {
    const h = await start();
    h.discord.dropConnection({ code: 4000 });
    await h.discord.waitFor(() => (h.discord.dispatched('RESUMED').length > 0 ? true : undefined), 10_000, 'RESUMED');
    const [resume] = h.discord.received(6);
    const ready = h.discord.dispatched('READY')[0]?.d as { session_id: string };
    expect(resume?.path).toBe('/resume'); // resume_gateway_url from READY
    expect(resume?.d).toMatchObject({ token: h.discord.token, session_id: ready.session_id, seq: 1 });
    expect(h.discord.received(2)).toHaveLength(1); // no second IDENTIFY
    await h.discord.waitFor(() => (h.runtime.health().status === 'connected' ? true : undefined));
    const { response } = await ask(h, 'who', { name: 'saleh' });
    expect(embedOf(response.data).title).toMatch(/^Amrullah Saleh — /);
  });

  it('after an abrupt drop, resumes and answers a command sent while it was away (replayed)', async () => {
    const h = await start();
    h.discord.dropConnection('abrupt');
    const id = h.discord.sendInteraction(chatInputInteraction(h.discord, { command: 'who', options: { name: 'mujahid' } }));
    const [response] = await h.discord.waitForInteractionResponses(id, 1, 10_000);
    expect(embedOf(response?.data).title).toMatch(/^Zabihullah Mujahid — /);
    expect(h.discord.received(6)).toHaveLength(1);
  });
});

describe('slash commands', () => {
  it('answers /who massoud with an embed: the most mentioned Massoud, the other one as a button, cited fields, sources, story footer', async () => {
    const h = await start();
    const { response } = await ask(h, 'who', { name: 'massoud' });
    expect(response.type).toBe(4);
    expect(response.data?.flags ?? 0).toBe(0); // public
    const embed = embedOf(response.data);
    expect(embed.title).toMatch(/^Ahmad Massoud — /);
    expect(embed.description).toContain('fits 2 people');
    expect(embed.footer?.text).toBe('Panjshir Valley resistance, 2021');
    const names = embed.fields?.map((f) => f.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['Who they are', 'Key facts']));
    expect(names).toContainEqual(expect.stringMatching(/^Ahmad Massoud, \d{1,2} \w{3} 2021$/)); // a dated quote
    expect(names.at(-1)).toBe('Sources');
    const sources = embed.fields?.at(-1)?.value.split('\n') ?? [];
    const { kb } = knowledge();
    expect(sources).toHaveLength(kb.sources.length);
    for (const source of kb.sources) expect(sources).toContainEqual(expect.stringContaining(`${source.outlet}: ${source.headline}`));
    // Every [n] in the answer is one of the listed sources.
    const cited = [...JSON.stringify(embed.fields?.slice(0, -1)).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(0);
    for (const n of cited) expect(n).toBeLessThanOrEqual(sources.length);
    expect(buttonsOf(response.data)).toEqual([expect.objectContaining({ custom_id: '/who id:ahmad-shah-massoud', label: 'Not this one? Ahmad Shah Massoud' })]);
    expect(response.data?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(h.commands.at(-1)).toMatchObject({ platform: 'discord', command: 'who', argument: 'massoud', chatId: CHANNEL_ID, outcome: 'answer' });
  });

  it('answers /where panjshir with the province, where it lies and what happened there', async () => {
    const h = await start();
    const { response } = await ask(h, 'where', { place: 'panjshir' });
    const embed = embedOf(response.data);
    expect(embed.title).toMatch(/^Panjshir — Province/);
    const where = embed.fields?.find((f) => f.name === 'Where it lies');
    expect(where?.value).toContain('Capital: Bazarak');
    expect(embed.fields?.map((f) => f.name)).toContain('What happened here');
  });

  it('pages /timeline with its own button, updating the message in place', async () => {
    const h = await start();
    const { id, response } = await ask(h, 'timeline');
    const { kb } = knowledge();
    expect(embedOf(response.data).title).toBe(`Timeline: ${kb.story.title}`);
    const more = buttonsOf(response.data).find((b) => b.label.startsWith('More events'));
    expect(more?.custom_id).toBe('/timeline page:2');
    const message = h.discord.originalMessage(id) ?? {};
    const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: more?.custom_id ?? '', message }));
    const [update] = await h.discord.waitForInteractionResponses(pressId);
    expect(update?.type).toBe(7);
    expect(embedOf(update?.data).description).toContain('page 2 of 2');
    expect(buttonsOf(update?.data).some((b) => b.label.startsWith('More events'))).toBe(false);
  });

  it('joins option values in their declared order, whatever order they arrive in', async () => {
    const h = await start();
    const { response } = await ask(h, 'echo', { more: 'second', words: 'first' });
    expect(embedOf(response.data).title).toBe('You said: first second');
  });

  it('answers a usage problem ephemerally', async () => {
    const h = await start();
    const { response } = await ask(h, 'who');
    expect(response.data?.flags).toBe(64);
    expect(embedOf(response.data).title).toBe('Usage: /who <name>');
  });

  it('defers a slow command before the 3 s deadline, then edits the reply in', async () => {
    const h = await start();
    const { id, response } = await ask(h, 'slow');
    expect(response.type).toBe(5);
    const edit = await h.discord.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edit.path).toMatch(new RegExp(`^/webhooks/${h.discord.applicationId}/`));
    expect(embedOf(edit.body as Record<string, unknown>).title).toBe('Finally, the answer.');
    expect(embedOf(h.discord.originalMessage(id)).title).toBe('Finally, the answer.');
  });

  it('turns a slow private answer into an ephemeral follow-up, removing the public "thinking…"', async () => {
    const h = await start();
    const { response } = await ask(h, 'slowfail');
    expect(response.type).toBe(5);
    const followUp = await h.discord.waitForRequest((r) => r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path));
    expect((followUp.body as { flags: number }).flags).toBe(64);
    expect(h.discord.requests.some((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'))).toBe(true);
  });

  it('answers a command that throws with a short ephemeral apology and logs it with the interaction id', async () => {
    errorsExpected = true;
    const h = await start();
    const { id, response } = await ask(h, 'boom');
    expect(response.data?.flags).toBe(64);
    expect(embedOf(response.data).title).toBe('Sorry, something went wrong on our side.');
    expect(JSON.stringify(response.data)).not.toContain('/srv/secret');
    const logged = h.logs.find((l) => l.msg === 'command failed');
    expect(logged).toMatchObject({ level: 50, updateId: id, command: 'boom', platform: 'discord' });
    expect((logged?.err as { message: string }).message).toContain('database exploded');
  });

  it('catches its own failures: a rejected reply is logged with the interaction id and followed by an apology', async () => {
    errorsExpected = true;
    const h = await start();
    h.discord.injectError({ method: 'POST', path: /^\/interactions\/.*\/callback$/, status: 400, code: 50035, message: 'Invalid Form Body' });
    const { id, response } = await ask(h, 'who', { name: 'saleh' });
    expect(response.data?.flags).toBe(64);
    expect(embedOf(response.data).title).toBe('Sorry, something went wrong on our side.');
    expect(h.logs.find((l) => l.msg === 'discord interaction failed')).toMatchObject({ level: 50, interactionId: id });
  });

  it('only lets members with Manage Channels run moderator commands in a server; anyone in a DM', async () => {
    const h = await start();
    const member = await ask(h, 'modonly', { time: '08:00' }, { permissions: PERMISSIONS.member });
    expect(member.response.data?.flags).toBe(64);
    expect(embedOf(member.response.data).title).toBe('Only moderators can use /modonly here.');
    const moderator = await ask(h, 'modonly', { time: '08:00' }, { permissions: PERMISSIONS.moderator });
    expect(embedOf(moderator.response.data).title).toBe('Done at 08:00.');
    const dm = await ask(h, 'modonly', {}, { in: 'dm' });
    expect(embedOf(dm.response.data).title).toBe('Done.');
  });
});

describe('mentions and markup in user text', () => {
  it('sends allowed_mentions {parse: []} and shows @everyone, role mentions and markdown as text', async () => {
    const h = await start();
    const { response } = await ask(h, 'echo', { words: '@everyone <@&123456789012345678> **loud**' });
    expect(response.data?.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const embed = embedOf(response.data);
    expect(embed.title).toBe('You said: @\u200beveryone <\u200b@&123456789012345678> \\*\\*loud\\*\\*');
    expect(embed.description).not.toMatch(/@everyone|<@&/);
    expect(JSON.stringify(response.data)).not.toContain('@everyone');
  });
});

describe('autocomplete', () => {
  async function complete(h: Harness, value: string, command = 'who', focused = 'name') {
    const id = h.discord.sendInteraction(autocompleteInteraction(h.discord, { command, focused, value }));
    const [response] = await h.discord.waitForInteractionResponses(id);
    expect(response?.type).toBe(8);
    return (response?.data?.choices ?? []) as Array<{ name: string; value: string }>;
  }

  it('offers both Massouds for "massoud", and already for "mas", each with its description', async () => {
    const h = await start();
    const choices = await complete(h, 'massoud');
    expect(choices.map((c) => c.value)).toEqual(['Ahmad Massoud', 'Ahmad Shah Massoud']);
    for (const choice of choices) {
      expect(choice.name.startsWith(`${choice.value} — `)).toBe(true);
      expect(choice.name.length).toBeLessThanOrEqual(100);
    }
    const partial = await complete(h, 'mas');
    expect(partial.map((c) => c.value)).toEqual(expect.arrayContaining(['Ahmad Massoud', 'Ahmad Shah Massoud']));
  });

  it('offers only the types the option asks for: places for /where', async () => {
    const h = await start();
    const places = await complete(h, 'panj', 'where', 'place');
    expect(places[0]?.value).toBe('Panjshir');
    const { kb } = knowledge();
    for (const choice of places) expect(kb.entities.find((e) => e.label === choice.value)?.type).toBe('place');
    const people = await complete(h, 'panj', 'who', 'name');
    expect(people.map((c) => c.value)).not.toContain('Panjshir');
  });

  it('finds a misspelt name', async () => {
    const h = await start();
    const choices = await complete(h, 'amrulah saleh');
    expect(choices[0]?.value).toBe('Amrullah Saleh');
  });

  it('finds a partial name', async () => {
    const h = await start();
    const choices = await complete(h, 'zabih');
    expect(choices.map((c) => c.value)).toContain('Zabihullah Mujahid');
  });

  it('answers at most 25 choices, each name and value within 100 characters', async () => {
    // The seed story never matches more than 25 names, so a suggester returns 40 long ones.
    const [entity] = knowledge().kb.entities;
    if (entity === undefined) throw new Error('the seed story has no entities');
    const many = Array.from({ length: 40 }, (_, i) => ({
      entity: { ...entity, label: `Commander Massoudi ${i} ${'of the valley '.repeat(10)}`, description: 'with a very long description '.repeat(8) },
      score: 0.1,
      matched: 'massoudi',
      exact: false,
    }));
    const h = await start({ suggestEntities: () => many });
    const choices = await complete(h, 'commander massoudi');
    expect(choices).toHaveLength(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('answers an option without autocomplete, or a failing suggester, with no choices instead of failing', async () => {
    errorsExpected = true;
    const h = await start({
      suggestEntities: () => {
        throw new Error('index not ready');
      },
    });
    expect(await complete(h, 'x', 'echo', 'words')).toEqual([]);
    expect(await complete(h, 'massoud')).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'discord autocomplete failed')).toBe(true);
  });
});

describe('buttons', () => {
  it('runs the button’s command and updates the message in place: "the other Massoud"', async () => {
    const h = await start();
    const { id, response } = await ask(h, 'who', { name: 'massoud' });
    const other = buttonsOf(response.data).find((b) => b.label.includes('Ahmad Shah Massoud'));
    expect(other).toBeDefined();
    const message = h.discord.originalMessage(id);
    const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: other?.custom_id ?? '', message: message ?? {} }));
    const [update] = await h.discord.waitForInteractionResponses(pressId);
    expect(update?.type).toBe(7);
    expect(embedOf(update?.data).title).toMatch(/^Ahmad Shah Massoud — /);
    expect(embedOf(h.discord.messages.get(String(message?.id))).title).toMatch(/^Ahmad Shah Massoud — /);
  });

  it('keeps an ephemeral message ephemeral when its button is pressed (updated, not re-posted)', async () => {
    const h = await start();
    const { id } = await ask(h, 'who'); // usage hint: ephemeral, with example buttons
    const message = h.discord.originalMessage(id);
    expect(message?.flags).toBe(64);
    const [example] = buttonsOf(message);
    expect(example?.custom_id).toBe('/who massoud');
    const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: example?.custom_id ?? '', message: message ?? {} }));
    const [update] = await h.discord.waitForInteractionResponses(pressId);
    expect(update?.type).toBe(7);
    expect(embedOf(update?.data).title).toMatch(/^Ahmad Massoud — /);
    expect(h.discord.messages.get(String(message?.id))?.flags).toBe(64);
  });

  it('pages through a reply that breaks every limit with the "More" button, each page within limits', async () => {
    const h = await start();
    const { id, response } = await ask(h, 'long');
    expect(messageProblems(response.data ?? {})).toEqual([]);
    let message = h.discord.originalMessage(id) ?? {};
    const titles = [embedOf(message).title];
    for (let guard = 0; guard < 20; guard += 1) {
      const more = buttonsOf(message).find((b) => b.label === 'More');
      if (more === undefined) break;
      expect(more.custom_id.length).toBeLessThanOrEqual(100);
      const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: more.custom_id, message }));
      const [update] = await h.discord.waitForInteractionResponses(pressId);
      expect(update?.type).toBe(7);
      expect(messageProblems(update?.data ?? {})).toEqual([]);
      message = h.discord.messages.get(String(message.id)) ?? {};
      titles.push(embedOf(message).title);
    }
    expect(titles.length).toBeGreaterThan(2);
    expect(embedOf(message).footer?.text).toBe(`Panjshir Valley resistance, 2021 · page ${titles.length}/${titles.length}`);
    expect(buttonsOf(message).map((b) => b.label)).toEqual(['More quotes']);
  });

  it('answers a "More" button whose pages have expired with an ephemeral notice', async () => {
    const h = await start();
    const { id } = await ask(h, 'who', { name: 'saleh' });
    const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: 'more:gone:1', message: h.discord.originalMessage(id) ?? {} }));
    const [response] = await h.discord.waitForInteractionResponses(pressId);
    expect(response?.type).toBe(4);
    expect(response?.data?.flags).toBe(64);
    expect(embedOf(response?.data).title).toBe('Those extra pages have expired.');
  });

  it('answers a button whose custom id is no command (an older version’s) or an unknown key with an ephemeral notice', async () => {
    const h = await start();
    const { id } = await ask(h, 'who', { name: 'saleh' });
    const pressId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: 'legacy:42', message: h.discord.originalMessage(id) ?? {} }));
    const [response] = await h.discord.waitForInteractionResponses(pressId);
    expect(response?.type).toBe(4);
    expect(response?.data?.flags).toBe(64);
    expect(embedOf(response?.data).title).toBe('This button has expired.');
    expect(embedOf(h.discord.originalMessage(id)).title).toMatch(/^Amrullah Saleh — /);
    const keyId = h.discord.sendInteraction(buttonInteraction(h.discord, { customId: 'k:NoSuchKey123', message: h.discord.originalMessage(id) ?? {} }));
    const [keyResponse] = await h.discord.waitForInteractionResponses(keyId);
    expect(keyResponse?.data?.flags).toBe(64);
    expect(embedOf(keyResponse?.data).title).toBe('This button has expired.');
  });
});

describe('rate limits', () => {
  it('leaves a 429 on the reply to discord.js, which waits and delivers the reply once', async () => {
    const h = await start();
    h.discord.injectError({ method: 'POST', path: /^\/interactions\/.*\/callback$/, status: 429, retryAfter: 0.3 });
    const { id, response } = await ask(h, 'who', { name: 'saleh' });
    expect(embedOf(response.data).title).toMatch(/^Amrullah Saleh — /);
    const calls = h.discord.requests.filter((r) => r.path.startsWith(`/interactions/${id}/`));
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect(h.discord.interactionResponses.filter((r) => r.interactionId === id)).toHaveLength(1);
    expect(h.platformErrors).toContain('rate-limited');
  });

  it('retries a 429 on the edit of a deferred reply', async () => {
    const h = await start();
    h.discord.injectError({ method: 'PATCH', path: /\/messages\/@original$/, status: 429, retryAfter: 0.2 });
    const { id } = await ask(h, 'slow');
    await h.discord.waitFor(() => (titleOf(h.discord.originalMessage(id)) === 'Finally, the answer.' ? true : undefined), 5_000, 'the edit');
    expect(h.discord.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('stopping', () => {
  it('lets a command in flight finish, then disconnects', async () => {
    const h = await start();
    const id = h.discord.sendInteraction(chatInputInteraction(h.discord, { command: 'slow' }));
    await h.discord.waitForInteractionResponses(id); // deferred, still working
    await h.runtime.stop();
    expect(embedOf(h.discord.originalMessage(id)).title).toBe('Finally, the answer.');
    expect(h.runtime.health().status).toBe('stopped');
  });

  it('answers what arrives while stopping at once: a command with an ephemeral "restarting" notice, autocomplete with no choices', async () => {
    const h = await start();
    const slow = h.discord.sendInteraction(chatInputInteraction(h.discord, { command: 'slow' }));
    await h.discord.waitForInteractionResponses(slow); // deferred: stop() waits for it
    const stopped = h.runtime.stop();
    const { response } = await ask(h, 'who', { name: 'saleh' });
    expect(response.data?.flags).toBe(64);
    expect(embedOf(response.data).title).toBe('Dossier is restarting.');
    const completion = h.discord.sendInteraction(autocompleteInteraction(h.discord, { command: 'who', focused: 'name', value: 'massoud' }));
    const [choices] = await h.discord.waitForInteractionResponses(completion);
    expect(choices?.data?.choices).toEqual([]);
    await stopped;
    expect(embedOf(h.discord.originalMessage(slow)).title).toBe('Finally, the answer.');
  });
});
