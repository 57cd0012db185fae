/**
 * /search <words>: the best-matching facts across the story, each cited.
 */
import { reply } from '../replies/reply.js';
import { parseArguments, withPage } from './arguments.js';
import { CitationNumbers, corroborationNote } from './citations.js';
import { commandFor, nameFits, type KnowledgeCommandDeps } from './entity-commands.js';
import { echo } from './input.js';
import type { CommandDefinition } from './types.js';

/** Facts shown per page. */
export const FACTS_PER_PAGE = 6;

/** The /search command. */
export function searchCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'search',
    description: 'The facts that best match your words, across every source',
    options: [{ name: 'words', description: 'What to look for, e.g. districts baghlan', required: true }],
    usage: '/search <words>',
    examples: ['/search districts baghlan', '/search negotiations', '/search soviet'],
    run(input) {
      const { kb, search } = deps.knowledge();
      const { query, page: asked } = parseArguments(input.text);
      let page = asked;
      if (query === '') return reply({ kind: 'usage', title: 'Usage: /search <words>', summary: 'For example: /search districts baghlan', private: true });
      const hits = search.searchFacts(query, { limit: FACTS_PER_PAGE * page + 1 });
      if (hits.length === 0) {
        const names = search.suggestEntities(query, { limit: 10 }).filter((n) => nameFits(query, n.entity)).slice(0, 3);
        return reply({
          kind: 'not-found',
          title: `Nothing in the story matches “${echo(query, 60)}”.`,
          summary: names.length > 0 ? `Did you mean ${names.map((n) => n.entity.label).join(', ')}?` : 'Try fewer or different words, or /sources to see what the bot knows.',
          suggestions: names.map((n) => ({ label: n.entity.label, command: `/${commandFor(n.entity)} id:${n.entity.id}` })),
        });
      }
      // A page past the end (an old button, a typed page:99) shows the last page, not "nothing matches".
      const lastPage = Math.max(1, Math.ceil(hits.length / FACTS_PER_PAGE));
      if (page > lastPage) page = lastPage;
      const shown = hits.slice(FACTS_PER_PAGE * (page - 1), FACTS_PER_PAGE * page);
      const refs = new CitationNumbers(kb);
      const more = hits.length > FACTS_PER_PAGE * page;
      // The exact query: a shortened one would page through different results. Too long for a
      // platform's button, it is kept server-side under a key by the adapter.
      const command = withPage(`/search ${query}`, page + 1);
      return reply({
        kind: 'answer',
        title: `Facts matching “${echo(query, 60)}”`,
        sections: [
          {
            label: page > 1 ? `Results, page ${page}` : 'Results',
            lines: shown.map(({ fact }) => {
              const notes = [corroborationNote(fact.citations), fact.conflicts.length > 0 ? 'disputed' : undefined, fact.rank === 'caption' ? 'from a photo caption' : undefined].filter(
                (n): n is string => n !== undefined,
              );
              return { text: fact.text, cites: refs.cite(fact.citations), ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
            }),
          },
        ],
        citations: refs.list(),
        actions: more ? [{ label: 'More results', command }] : [],
      });
    },
  };
}
