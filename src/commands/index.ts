/**
 * The full command set over one story: what every platform registers and the router runs.
 */
import type { KnowledgeProvider } from '../search/types.js';
import { claimsCommand } from './claims.js';
import { whereCommand, whoCommand } from './entity-commands.js';
import { helpCommand } from './help.js';
import { quoteCommand } from './quote.js';
import { searchCommand } from './search.js';
import { sourcesCommand } from './sources.js';
import { timelineCommand } from './timeline.js';
import type { CommandDefinition } from './types.js';

export interface CommandSetDeps {
  knowledge: KnowledgeProvider;
  /** Commands that need more than knowledge (digest subscriptions), added by the app. */
  extra?: CommandDefinition[];
}

/**
 * Build every command, in the order menus show them.
 *
 * @example
 * const router = createRouter({ commands: createCommandSet({ knowledge }), logger });
 */
export function createCommandSet(deps: CommandSetDeps): CommandDefinition[] {
  const { knowledge } = deps;
  const commands: CommandDefinition[] = [
    whoCommand({ knowledge }),
    whereCommand({ knowledge }),
    quoteCommand({ knowledge }),
    timelineCommand({ knowledge }),
    claimsCommand({ knowledge }),
    searchCommand({ knowledge }),
    sourcesCommand({ knowledge }),
    ...(deps.extra ?? []),
  ];
  commands.push(helpCommand(() => commands, () => knowledge().kb.story.title));
  return commands;
}
