/**
 * /who and /where: resolve a name (typos, accents, transliterations, roles, nicknames) to an
 * entity and answer about it; offer look-alikes on ambiguity and "did you mean" on a miss.
 */
import type { EntityType } from '../knowledge/model.js';
import { reply, type Reply } from '../replies/reply.js';
import type { KnowledgeProvider } from '../search/types.js';
import { parseArguments } from './arguments.js';
import { entityAnswer } from './entity-answer.js';
import { echo } from './input.js';
import { knowledgeLookup } from './kb-lookup.js';
import type { CommandDefinition } from './types.js';

export interface KnowledgeCommandDeps {
  knowledge: KnowledgeProvider;
}

const KIND_WORDS: Record<'who' | 'where', string> = { who: 'person or organisation', where: 'place' };
const PREFER: Record<'who' | 'where', EntityType[]> = { who: ['person', 'organisation'], where: ['place'] };

function describeMatches(count: number, command: 'who' | 'where'): string {
  return command === 'who' ? `${count} people or organisations` : `${count} places`;
}

/** Answer a /who or /where query; shared so both behave the same way. */
export function answerEntityQuery(deps: KnowledgeCommandDeps, command: 'who' | 'where', text: string): Reply {
  const { kb, search } = deps.knowledge();
  const { id, query } = parseArguments(text);
  if (id !== undefined) {
    const entity = knowledgeLookup(kb).entity(id);
    if (entity !== undefined) return entityAnswer(kb, entity, { command });
    return reply({ kind: 'not-found', title: 'That entry is no longer in the knowledge base.', summary: `Try /${command} with a name.`, private: true });
  }
  const resolution = search.resolveEntity(query, { prefer: PREFER[command] });
  switch (resolution.kind) {
    case 'found':
      return entityAnswer(kb, resolution.hit.entity, { command, others: resolution.others.slice(0, 3) });
    case 'ambiguous': {
      const [best, ...rest] = resolution.hits;
      if (best === undefined) break;
      const alternatives = rest.slice(0, 3);
      const note = `“${echo(query, 40)}” fits ${describeMatches(resolution.hits.length, command)}; this is the most mentioned. For another, press a button below or ask ${alternatives
        .map((h) => `/${command} ${h.entity.label}`)
        .join(' or ')}.`;
      return entityAnswer(kb, best.entity, { command, others: alternatives, ambiguityNote: note });
    }
    case 'none':
      break;
  }
  const suggestions = resolution.kind === 'none' ? resolution.suggestions : [];
  return reply({
    kind: 'not-found',
    title: `No ${KIND_WORDS[command]} matches “${echo(query, 60)}”.`,
    summary:
      suggestions.length > 0
        ? `Did you mean ${suggestions.slice(0, 5).map((s) => s.entity.label).join(', ')}?`
        : `Try /search ${echo(query, 40)} to look through every fact.`,
    suggestions: suggestions.slice(0, 5).map((s) => ({
      label: s.entity.label,
      command: `/${s.entity.type === 'place' ? 'where' : 'who'} id:${s.entity.id}`,
    })),
  });
}

/** The /who command. */
export function whoCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'who',
    description: 'Who is a person or organisation in the story: role, facts, quotes, sources',
    options: [{ name: 'name', description: 'A name, nickname or role, e.g. massoud, taliban spokesman', required: true, autocomplete: ['person', 'organisation'] }],
    usage: '/who <name>',
    examples: ['/who massoud', '/who amrullah saleh', '/who taliban spokesman'],
    run: (input) => answerEntityQuery(deps, 'who', input.text),
  };
}

/** The /where command. */
export function whereCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'where',
    description: 'Where a place is: what it is, where it lies, what happened there, sources',
    options: [{ name: 'place', description: 'A place name, e.g. panjshir, bazarak', required: true, autocomplete: ['place'] }],
    usage: '/where <place>',
    examples: ['/where panjshir', '/where bazarak', '/where baghlan'],
    run: (input) => answerEntityQuery(deps, 'where', input.text),
  };
}
