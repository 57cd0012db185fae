import { describe, expect, it } from 'vitest';
import { createRouter, notUnderstoodReply, type CommandRouter } from '../../src/commands/router.js';
import { UserFacingError, type CommandContext, type CommandDefinition } from '../../src/commands/types.js';
import { createLogger } from '../../src/observability/logger.js';
import type { CommandEvent } from '../../src/observability/telemetry.js';
import { reply } from '../../src/replies/reply.js';
import { Writable } from 'node:stream';

function context(overrides: Partial<CommandContext['chat']> = {}, isModerator = false): CommandContext {
  return {
    chat: { platform: 'telegram', id: '42', type: 'private', ...overrides },
    user: { id: '7', isModerator },
    now: new Date('2021-08-23T08:00:00Z'),
  };
}

/** Echoes its argument back, so tests can see exactly what a command received. */
const echoCommand: CommandDefinition = {
  name: 'who',
  description: 'Echo',
  options: [{ name: 'name', description: 'A name', required: true, autocomplete: ['person'] }],
  usage: '/who <name>',
  examples: ['/who massoud'],
  run: (input) => reply({ kind: 'answer', title: `asked: ${input.text}` }),
};

const moderatorCommand: CommandDefinition = {
  name: 'subscribe',
  description: 'Subscribe',
  options: [],
  usage: '/subscribe',
  examples: ['/subscribe daily 08:00'],
  moderatorOnly: true,
  run: () => reply({ kind: 'notice', title: 'Subscribed.' }),
};

const userErrorCommand: CommandDefinition = {
  name: 'where',
  description: 'Fails with a user-facing error',
  options: [],
  usage: '/where',
  examples: [],
  run: () => {
    throw new UserFacingError('Unknown time zone “Mars/Olympus”.', ['daily 08:00 Asia/Kabul']);
  },
};

const buggyCommand: CommandDefinition = {
  name: 'quote',
  description: 'Has a bug',
  options: [],
  usage: '/quote',
  examples: [],
  run: () => {
    throw new TypeError('Cannot read properties of undefined (reading "x")');
  },
};

function setup(): { router: CommandRouter; events: CommandEvent[]; logs: string[] } {
  const events: CommandEvent[] = [];
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const router = createRouter({
    commands: [echoCommand, moderatorCommand, userErrorCommand, buggyCommand],
    logger: createLogger({ level: 'info', format: 'json', destination }),
    telemetry: { commandHandled: (e) => events.push(e), platformError() {}, digestDelivered() {} },
    suggestEntities: (partial) => [
      {
        entity: {
          id: 'ahmad-massoud',
          type: 'person',
          label: 'Ahmad Massoud',
          aliases: [],
          description: `Leader of the National Resistance Front ${'and more '.repeat(20)}`,
          descriptionCitation: { sourceId: 's', start: 0, end: 0, text: '' },
          links: [],
          mentions: [],
        },
        score: partial === '' ? 0.5 : 0,
        matched: 'Ahmad Massoud',
        exact: false,
      },
    ],
  });
  return { router, events, logs };
}

describe('command router', () => {
  it('runs a command with its argument', async () => {
    const { router } = setup();
    const result = await router.handle('/who  massoud ', context());
    expect(result?.reply.title).toBe('asked: massoud');
    expect(result?.command).toBe('who');
  });

  it('accepts commands addressed to this bot and ignores those for another bot', async () => {
    const { router } = setup();
    expect((await router.handle('/who@DossierBot saleh', context(), { botUsername: 'dossierbot' }))?.reply.title).toBe('asked: saleh');
    expect(await router.handle('/who@OtherBot saleh', context(), { botUsername: 'DossierBot' })).toBeNull();
  });

  it('treats command names case-insensitively', async () => {
    const { router } = setup();
    expect((await router.handle('/WHO massoud', context()))?.reply.title).toBe('asked: massoud');
  });

  it('answers an empty argument with the usage and an example', async () => {
    const { router } = setup();
    const result = await router.handle('/who', context());
    expect(result?.reply.kind).toBe('usage');
    expect(result?.reply.title).toBe('Usage: /who <name>');
    expect(result?.reply.actions.map((s) => s.command)).toContain('/who massoud');
  });

  it('answers an unknown command with "did you mean", keeping the argument', async () => {
    const { router } = setup();
    const result = await router.handle('/hwo massoud', context());
    expect(result?.reply.kind).toBe('not-found');
    expect(result?.reply.summary).toContain('Did you mean /who');
    expect(result?.reply.suggestions[0]?.command).toBe('/who massoud');
  });

  it('offers /help when an unknown command resembles nothing', async () => {
    const { router } = setup();
    const result = await router.handle('/zzzzzzzz', context());
    expect(result?.reply.actions.map((s) => s.command)).toEqual(['/help']);
  });

  it('refuses input over 500 characters with a clear message', async () => {
    const { router } = setup();
    const result = await router.handle(`/who ${'a'.repeat(600)}`, context());
    expect(result?.reply.kind).toBe('error');
    expect(result?.reply.title).toMatch(/too long \(605 characters\)/);
  });

  it('strips control characters and bidirectional overrides before the command sees them', async () => {
    const { router } = setup();
    const result = await router.handle('/who \u202Emas\u0000soud\u200B', context());
    expect(result?.reply.title).toBe('asked: massoud');
  });

  it('keeps right-to-left letters, which are ordinary text', async () => {
    const { router } = setup();
    const result = await router.handle('/who احمد مسعود', context());
    expect(result?.reply.title).toBe('asked: احمد مسعود');
  });

  it('ignores plain text unless questions are enabled, then maps questions to commands', async () => {
    const { router } = setup();
    expect(await router.handle('who is massoud?', context())).toBeNull();
    const result = await router.handle('who is massoud?', context(), { questions: true });
    expect(result?.reply.title).toBe('asked: massoud');
  });

  it('where questions are understood, answers a message with no words in it with a hint, counted as a question', async () => {
    const { router, events } = setup();
    expect(await router.handle('🙂 !!', context())).toBeNull();
    const result = await router.handle('🙂 !!', context(), { questions: true });
    expect(result?.command).toBe('question');
    expect(result?.reply).toEqual(notUnderstoodReply());
    expect(result?.reply.kind).toBe('usage');
    expect(result?.reply.actions.map((s) => s.command)).toContain('/help');
    expect(events.map((e) => [e.command, e.outcome])).toEqual([['question', 'usage']]);
  });

  it('answers text that is not a command line with a hint', async () => {
    const { router } = setup();
    const result = await router.handle('/', context());
    expect(result?.reply.kind).toBe('usage');
  });

  it('lets only moderators run moderator-only commands in groups', async () => {
    const { router } = setup();
    const denied = await router.handle('/subscribe', context({ type: 'group' }, false));
    expect(denied?.reply.kind).toBe('error');
    expect(denied?.reply.title).toBe('Only moderators can use /subscribe here.');
    expect(denied?.reply.private).toBe(true);
    expect((await router.handle('/subscribe', context({ type: 'group' }, true)))?.reply.title).toBe('Subscribed.');
  });

  it('lets anyone run moderator-only commands in a private chat', async () => {
    const { router } = setup();
    expect((await router.handle('/subscribe', context({ type: 'private' }, false)))?.reply.title).toBe('Subscribed.');
  });

  it('turns a user-facing error into a private error reply with hints', async () => {
    const { router } = setup();
    const result = await router.handle('/where x', context());
    expect(result?.reply).toMatchObject({ kind: 'error', title: 'Unknown time zone “Mars/Olympus”.', private: true });
    expect(result?.reply.sections[0]?.lines[0]?.text).toBe('daily 08:00 Asia/Kabul');
  });

  it('logs an unexpected error with the update id and apologises without internals', async () => {
    const { router, logs, events } = setup();
    const result = await router.handle('/quote x', context(), { updateId: 'upd-99' });
    expect(result?.reply.title).toBe('Sorry, something went wrong on our side.');
    expect(JSON.stringify(result?.reply)).not.toContain('TypeError');
    const logged = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'command failed');
    expect(logged).toMatchObject({ updateId: 'upd-99', command: 'quote' });
    expect(events.at(-1)?.outcome).toBe('failed');
  });

  it('reports every command to telemetry with its outcome and argument', async () => {
    const { router, events } = setup();
    await router.handle('/who massoud', context());
    await router.handle('/nope', context());
    expect(events.map((e) => [e.command, e.outcome, e.argument])).toEqual([
      ['who', 'answer', 'massoud'],
      ['unknown', 'not-found', ''],
    ]);
  });

  it('completes entity options, each choice within 100 characters', () => {
    const { router } = setup();
    const choices = router.autocomplete('who', 'name', 'mass');
    expect(choices).toHaveLength(1);
    expect(choices[0]?.value).toBe('Ahmad Massoud');
    expect(choices[0]?.name.length).toBeLessThanOrEqual(100);
    expect(router.autocomplete('subscribe', 'when', 'dai')).toEqual([]);
  });

  it('rejects two commands with the same name', () => {
    expect(() => createRouter({ commands: [echoCommand, echoCommand], logger: createLogger({ format: 'json', level: 'silent' }) })).toThrow(/Two commands/);
  });
});
