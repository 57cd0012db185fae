import { afterAll, describe, expect, it } from 'vitest';
import { subscriptionCommands } from '../../src/commands/subscriptions.js';
import type { CommandDefinition } from '../../src/commands/types.js';
import { reply } from '../../src/replies/reply.js';
import { createDigestService } from '../../src/digests/service.js';
import { silentLogger } from '../../src/observability/logger.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { CONTEXT, ask, kb, knowledge, seedRouter } from './seed-router.js';

const KNOWLEDGE_COMMANDS = ['who', 'where', 'quote', 'timeline', 'claims', 'search', 'sources', 'help'];

const helpLines = async (router = seedRouter()) => {
  const result = await router.handle('/help', CONTEXT);
  return { reply: result!.reply, lines: result!.reply.sections.flatMap((s) => s.lines.map((l) => l.text)) };
};

describe('/help', () => {
  it('lists every command of the set, in menu order, with its usage and description', async () => {
    const router = seedRouter();
    const { reply: r, lines } = await helpLines(router);
    expect(r.kind).toBe('answer');
    expect(router.definitions.map((d) => d.name)).toEqual(KNOWLEDGE_COMMANDS);
    expect(lines).toHaveLength(router.definitions.length);
    router.definitions.forEach((definition, i) => {
      expect(lines[i]).toContain(`${definition.usage} — ${definition.description}`);
    });
  });

  it('shows /timeline and /claims beside /who, /where, /quote, /search and /sources', async () => {
    const { lines } = await helpLines();
    for (const usage of ['/who <name>', '/where <place>', '/quote <person or topic>', '/timeline', '/claims', '/search <words>', '/sources', '/help']) {
      expect(lines.some((l) => l.startsWith(usage)), usage).toBe(true);
    }
  });

  it('gives an example for each command that takes words', async () => {
    const router = seedRouter();
    const { lines } = await helpLines(router);
    for (const definition of router.definitions.filter((d) => d.options.length > 0)) {
      expect(lines.find((l) => l.startsWith(definition.usage))).toContain(`(e.g. ${definition.examples[0]})`);
    }
  });

  it('names the story and how to ask in plain words', async () => {
    const { reply: r } = await helpLines();
    expect(r.summary).toContain(kb.story.title);
    expect(r.summary).toContain('who is massoud?');
  });

  it('every example /help shows answers over the seed story', async () => {
    const router = seedRouter();
    for (const definition of router.definitions.filter((d) => d.name !== 'help')) {
      const example = definition.examples[0]!;
      const result = await router.handle(example, CONTEXT);
      expect(result?.reply.kind, example).toBe('answer');
    }
    const { reply: r } = await helpLines(router);
    // Examples to try are follow-ups (actions), not "did you mean" suggestions.
    expect(r.suggestions).toEqual([]);
    expect(r.actions.length).toBeGreaterThan(0);
    for (const action of r.actions) expect((await router.handle(action.command, CONTEXT))?.reply.kind, action.command).toBe('answer');
  });

  it('every example of every story command answers, as a button or menu would send it', async () => {
    const router = seedRouter();
    for (const name of ['who', 'where', 'quote', 'timeline', 'claims', 'search', 'sources']) {
      for (const example of router.find(name)!.examples) {
        const result = await router.handle(example, CONTEXT);
        expect(result?.reply.kind, example).toBe('answer');
      }
    }
  });

  it('answers “help” and “what can you do?” in a private chat', async () => {
    const { reply: r } = await helpLines();
    expect(await ask('help')).toEqual(r);
    expect(await ask('what can you do?')).toEqual(r);
  });
});

describe('/help with the commands the app adds', () => {
  const store = openSqliteStore(':memory:');
  afterAll(() => store.close());
  const digests = createDigestService({
    store,
    knowledge,
    senders: new Map(),
    clock: () => CONTEXT.now,
    logger: silentLogger(),
    missedSlots: 'latest',
    defaultTimeZone: 'Asia/Kabul',
  });
  const subscriptions = subscriptionCommands({ store, digests, knowledge, defaultTimeZone: 'Asia/Kabul' });

  it('lists /subscribe, /unsubscribe, /subscriptions and /digest too, /help last', async () => {
    const router = seedRouter(subscriptions);
    const { lines } = await helpLines(router);
    for (const definition of subscriptions) {
      expect(lines.some((l) => l.startsWith(`${definition.usage} — ${definition.description}`)), definition.name).toBe(true);
    }
    expect(lines).toHaveLength(KNOWLEDGE_COMMANDS.length + subscriptions.length);
    expect(lines.at(-1)).toMatch(/^\/help — /);
  });

  it('leaves out a hidden command, which still runs', async () => {
    const hidden: CommandDefinition = {
      name: 'pressed',
      description: 'What a button sends',
      options: [],
      usage: '/pressed',
      examples: ['/pressed'],
      hidden: true,
      run: () => reply({ kind: 'notice', title: 'Pressed.' }),
    };
    const router = seedRouter([hidden]);
    const { lines } = await helpLines(router);
    expect(lines.some((l) => l.startsWith('/pressed'))).toBe(false);
    expect((await router.handle('/pressed', CONTEXT))?.reply.title).toBe('Pressed.');
  });
});
