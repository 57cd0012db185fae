/**
 * /sources: the articles the bot knows, newest first.
 */
import type { Source } from '../knowledge/model.js';
import { formatDay } from '../replies/format.js';
import { reply } from '../replies/reply.js';
import type { KnowledgeCommandDeps } from './entity-commands.js';
import type { CommandDefinition } from './types.js';

/** `; also ran in X, Y` for a syndicated report (the outlets other than the source's own). */
function alsoRanIn(source: Source): string {
  const others = [...new Set((source.appearances ?? []).map((a) => a.outlet).filter((outlet) => outlet !== source.outlet))];
  return others.length === 0 ? '' : `; also ran in ${others.join(', ')}`;
}

/** The /sources command. */
export function sourcesCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'sources',
    description: 'The articles the bot knows: outlet, headline, date',
    options: [],
    usage: '/sources',
    examples: ['/sources'],
    run() {
      const { kb } = deps.knowledge();
      const counts = new Map<string, { facts: number; quotes: number }>();
      const count = (sourceId: string, key: 'facts' | 'quotes') => {
        const entry = counts.get(sourceId) ?? { facts: 0, quotes: 0 };
        entry[key] += 1;
        counts.set(sourceId, entry);
      };
      for (const f of kb.facts) for (const id of new Set(f.citations.map((c) => c.sourceId))) count(id, 'facts');
      for (const q of kb.quotes) for (const id of new Set(q.citations.map((c) => c.sourceId))) count(id, 'quotes');
      const sources = [...kb.sources].sort((a, b) => b.published.localeCompare(a.published) || a.outlet.localeCompare(b.outlet));
      return reply({
        kind: 'answer',
        title: `Sources: ${kb.story.title}`,
        summary: `${sources.length} article${sources.length === 1 ? '' : 's'}.`,
        sections: [
          {
            label: 'Articles',
            lines: sources.map((s) => {
              const c = counts.get(s.id) ?? { facts: 0, quotes: 0 };
              const language = s.originalLanguage !== undefined && s.originalLanguage !== s.language ? `; translated from ${s.originalLanguage}` : '';
              // The list is the sources: each article once, linked itself rather than cited to a
              // second list of the same articles.
              return {
                text: `${s.outlet} — ${s.headline} (${formatDay(s.published)}${language})`,
                cites: [],
                // A syndicated report is one source, with every outlet that ran it.
                note: `${c.facts} facts, ${c.quotes} quotes${alsoRanIn(s)}`,
                ...(s.url === undefined ? {} : { url: s.url }),
              };
            }),
          },
        ],
      });
    },
  };
}
