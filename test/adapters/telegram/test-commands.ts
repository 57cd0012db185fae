/**
 * Small command definitions, added to the real command set in the tests, for paths the story's
 * commands do not reach on their own: echoed user text, a reply far over 4096 characters, a
 * command that throws, a moderator-only command, a hidden one, and a button whose command is
 * longer than Telegram's 64-byte callback data.
 */
import type { CommandDefinition } from '../../../src/commands/types.js';
import { reply } from '../../../src/replies/reply.js';

function command(partial: Partial<CommandDefinition> & Pick<CommandDefinition, 'name' | 'run'>): CommandDefinition {
  return { description: `Test command ${partial.name}`, options: [], usage: `/${partial.name}`, examples: [`/${partial.name}`], ...partial };
}

/** A command line longer than 64 bytes, for the long-callback-data path. */
export const LONG_COMMAND = `/echo ${'very long button argument '.repeat(4).trim()}`;

export const TEST_COMMANDS: CommandDefinition[] = [
  command({
    name: 'echo',
    description: 'Repeat your text back (tests escaping)',
    options: [{ name: 'text', description: 'Any text', required: true }],
    run: (input) => reply({ kind: 'answer', title: `You said: ${input.text}`, summary: input.text, sections: [{ label: input.text, lines: [{ text: input.text, cites: [], note: input.text }] }] }),
  }),
  command({
    name: 'long',
    description: 'A reply far longer than one Telegram message',
    run: () =>
      reply({
        kind: 'answer',
        title: 'A long answer',
        summary: 'Every sentence here is a fact & a <test> of splitting. '.repeat(120),
        sections: [{ label: 'Facts', lines: Array.from({ length: 60 }, (_, i) => ({ text: `Fact ${i + 1}: ${'detail '.repeat(25)}`, cites: [1] })) }],
        citations: [{ outlet: 'Reuters', headline: 'Source', date: '2021-08-22', url: 'https://example.org/a?b=1&c=2' }],
        actions: [{ label: 'Again', command: '/long' }],
      }),
  }),
  command({
    name: 'boom',
    description: 'Fails with an unexpected error',
    run: () => {
      throw new Error('database exploded at /srv/secret/path.ts:42');
    },
  }),
  command({
    name: 'modonly',
    description: 'Only moderators may run it in groups',
    moderatorOnly: true,
    run: () => reply({ kind: 'notice', title: 'Moderator command done.' }),
  }),
  command({
    name: 'secret',
    description: 'A hidden command buttons use',
    hidden: true,
    run: () => reply({ kind: 'notice', title: 'Hidden command ran.' }),
  }),
  command({
    name: 'slow',
    description: 'Takes 300 ms to answer (graceful stop)',
    run: async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return reply({ kind: 'notice', title: 'Slow answer finished.' });
    },
  }),
  command({
    name: 'longbutton',
    description: 'Offers a button whose command is over 64 bytes',
    // Built past reply(), which drops such actions: the adapter must still cope with one.
    run: () => ({ ...reply({ kind: 'answer', title: 'Press the button' }), actions: [{ label: 'Long one', command: LONG_COMMAND }] }),
  }),
];
