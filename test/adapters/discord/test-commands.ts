/**
 * Small command definitions, added to the real command set in the tests, for the paths of the
 * Discord adapter the story's commands do not reach on their own: several options joined in
 * order, echoed user text, a reply beyond every embed limit, slow commands (deferral), a command
 * that throws, a moderator-only command and a hidden one.
 */
import type { CommandDefinition } from '../../../src/commands/types.js';
import { reply } from '../../../src/replies/reply.js';

function command(partial: Partial<CommandDefinition> & Pick<CommandDefinition, 'name' | 'run'>): CommandDefinition {
  return { description: `Test command ${partial.name}`, options: [], usage: `/${partial.name}`, examples: [`/${partial.name}`], ...partial };
}

/** Resolves when `ms` have passed. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TestCommandOptions {
  /** How long /slow and /slowfail take. */
  slowMs?: number;
}

/** The commands, each a small specification of one adapter behaviour. */
export function testCommands(options: TestCommandOptions = {}): CommandDefinition[] {
  return [
    command({
      name: 'echo',
      description: 'Repeats your words (to test escaping)',
      options: [
        { name: 'words', description: 'Anything', required: true },
        { name: 'more', description: 'More words', required: false },
      ],
      usage: '/echo <words>',
      examples: ['/echo hello'],
      run: (input) =>
        reply({
          kind: 'answer',
          title: `You said: ${input.text}`,
          summary: input.text,
          sections: [{ label: input.text, lines: [{ text: input.text, cites: [] }] }],
        }),
    }),
    command({
      name: 'long',
      description: 'A reply far beyond every embed limit',
      run: () =>
        reply({
          kind: 'answer',
          title: `A very long title ${'that goes on '.repeat(30)}`,
          summary: `${'The summary sentence is long. '.repeat(200)}`,
          summaryCites: [1],
          sections: [
            { label: 'One huge line', lines: [{ text: `${'This sentence is one of many in a giant paragraph. '.repeat(200)}`, cites: [1] }] },
            { label: 'Forty lines', lines: Array.from({ length: 40 }, (_, i) => ({ text: `Fact number ${i + 1}: ${'detail '.repeat(20)}`, cites: [(i % 3) + 1] })) },
          ],
          quotes: Array.from({ length: 30 }, (_, i) => ({ text: `Quote ${i + 1} ${'words '.repeat(30)}`, speaker: `Speaker ${i + 1}`, cites: [2] })),
          citations: [
            { outlet: 'Reuters', headline: 'First', date: '2021-08-22', url: 'https://example.org/1' },
            { outlet: 'BBC', headline: 'Second', date: '2021-08-23', url: 'https://example.org/2' },
            { outlet: 'AP', headline: 'Third', date: '2021-08-24' },
          ],
          actions: [{ label: 'More quotes', command: '/quote massoud' }],
        }),
    }),
    command({
      name: 'slow',
      description: 'Takes a while to answer',
      run: async () => {
        await sleep(options.slowMs ?? 2000);
        return reply({ kind: 'answer', title: 'Finally, the answer.' });
      },
    }),
    command({
      name: 'slowfail',
      description: 'Takes a while, then fails with a usage hint',
      run: async () => {
        await sleep(options.slowMs ?? 2000);
        return reply({ kind: 'usage', title: 'That needs a name.', private: true });
      },
    }),
    command({
      name: 'boom',
      description: 'Always fails',
      run: () => {
        throw new Error('database exploded at /srv/secret/path');
      },
    }),
    command({
      name: 'modonly',
      description: 'Only moderators may run it in servers',
      options: [{ name: 'time', description: 'When, e.g. 08:00', required: false }],
      usage: '/modonly [time]',
      examples: ['/modonly 08:00'],
      moderatorOnly: true,
      run: (input) => reply({ kind: 'notice', title: `Done${input.text === '' ? '' : ` at ${input.text}`}.` }),
    }),
    command({
      name: 'secret',
      description: 'A hidden command only buttons use',
      hidden: true,
      run: () => reply({ kind: 'notice', title: 'Hidden command ran.' }),
    }),
  ];
}
