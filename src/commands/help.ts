/**
 * /help: what the bot can do, with examples, from the same definitions every platform uses.
 */
import { reply } from '../replies/reply.js';
import type { CommandDefinition } from './types.js';

/** The /help command over a list of definitions (given lazily, as /help is one of them). */
export function helpCommand(definitions: () => readonly CommandDefinition[], storyTitle: () => string): CommandDefinition {
  return {
    name: 'help',
    description: 'What the bot can do, with examples',
    options: [],
    usage: '/help',
    examples: ['/help'],
    run() {
      const visible = definitions().filter((d) => !d.hidden);
      return reply({
        kind: 'answer',
        title: 'Dossier — facts, quotes and sources of the story',
        summary: `Story: ${storyTitle()}. Every answer names its sources. In a private chat you can also just ask, e.g. “who is massoud?”.`,
        sections: [
          {
            label: 'Commands',
            lines: visible.map((d) => ({ text: `${d.usage} — ${d.description}${d.examples[0] !== undefined && d.examples[0] !== d.usage ? ` (e.g. ${d.examples[0]})` : ''}`, cites: [] })),
          },
        ],
        // Examples to try, not corrections: actions, so no platform heads them "Did you mean".
        actions: [
          { label: '/who massoud', command: '/who massoud' },
          { label: '/where panjshir', command: '/where panjshir' },
          { label: '/sources', command: '/sources' },
        ],
      });
    },
  };
}
