/**
 * /timeline [topic]: the story's dated events, oldest first, each with its date at the
 * precision the sources give ("1980s", "1996–2001", "week of 16 Aug 2021") and its sources.
 * With a topic (a person, place or organisation), only the events that mention it.
 */
import type { Entity, KnowledgeBase, StoryEvent } from '../knowledge/model.js';
import { formatDateRef } from '../replies/format.js';
import { reply, type Reply, type ReplyAction } from '../replies/reply.js';
import type { KnowledgeSearch } from '../search/types.js';
import { nextPageActions, pageOf, parseArguments } from './arguments.js';
import { CitationNumbers, corroborationNote } from './citations.js';
import type { KnowledgeCommandDeps } from './entity-commands.js';
import { echo } from './input.js';
import { entryGone, knowledgeLookup } from './kb-lookup.js';
import type { CommandDefinition } from './types.js';

/** Events shown per page. */
export const EVENTS_PER_PAGE = 8;

/** What a command's topic argument came to. */
export type StoryTopic =
  | { kind: 'all' }
  | { kind: 'entity'; entity: Entity; others: Entity[] }
  | { kind: 'gone' }
  | { kind: 'none'; query: string; suggestions: Entity[] };

/**
 * Resolve the optional topic of /timeline or /claims: nothing (the whole story), `id:<entity>`
 * from a button, or a name resolved by the search.
 *
 * @example
 * resolveStoryTopic(kb, search, 'massoud') // → { kind: 'entity', entity: ahmadMassoud, others: [ahmadShahMassoud] }
 */
export function resolveStoryTopic(kb: KnowledgeBase, search: KnowledgeSearch, id: string | undefined, query: string): StoryTopic {
  if (id !== undefined) {
    const entity = knowledgeLookup(kb).entity(id);
    return entity === undefined ? { kind: 'gone' } : { kind: 'entity', entity, others: [] };
  }
  if (query === '') return { kind: 'all' };
  const resolution = search.resolveEntity(query);
  if (resolution.kind === 'found') return { kind: 'entity', entity: resolution.hit.entity, others: resolution.others.map((h) => h.entity) };
  if (resolution.kind === 'ambiguous') {
    const [first, ...rest] = resolution.hits;
    if (first !== undefined) return { kind: 'entity', entity: first.entity, others: rest.map((h) => h.entity) };
  }
  return { kind: 'none', query, suggestions: resolution.kind === 'none' ? resolution.suggestions.map((h) => h.entity) : [] };
}

/** Buttons for the look-alikes of a topic ("the other Massoud"), within the callback-data limit. */
export function otherTopicActions(command: string, others: Entity[]): ReplyAction[] {
  return others
    .slice(0, 2)
    .map((e) => ({ label: `${command === '/timeline' ? 'Timeline' : 'Claims'}: ${e.label}`, command: `${command} id:${e.id}` }));
}

/** The reply for a topic that matched nothing: the closest names as suggestions. */
export function topicNotFound(command: string, what: string, query: string, suggestions: Entity[]): Reply {
  return reply({
    kind: 'not-found',
    title: `No ${what} about “${echo(query, 60)}”.`,
    summary: suggestions.length > 0 ? 'Did you mean one of these?' : `Try ${command} without a topic for the whole story.`,
    suggestions: suggestions.slice(0, 5).map((e) => ({ label: e.label, command: `${command} id:${e.id}` })),
  });
}

function timelinePage(kb: KnowledgeBase, title: string, events: StoryEvent[], page: number, moreCommand: string, extra: ReplyAction[]): Reply {
  const refs = new CitationNumbers(kb);
  const current = pageOf(events, EVENTS_PER_PAGE, page);
  const actions = nextPageActions(current, 'More events', moreCommand);
  return reply({
    kind: 'answer',
    title,
    summary: `${events.length} dated event${events.length === 1 ? '' : 's'}, oldest first${current.pages > 1 ? ` (page ${current.page} of ${current.pages})` : ''}.`,
    sections: [
      {
        label: 'Events',
        lines: current.items.map((e) => {
          const note = corroborationNote(e.citations);
          return { text: `${formatDateRef(e.date)} — ${e.text}`, cites: refs.cite(e.citations), ...(note === undefined ? {} : { note }) };
        }),
      },
    ],
    citations: refs.list(),
    actions: [...actions, ...extra],
  });
}

/** Events oldest first (the knowledge base keeps them so; sorted again in case a stage did not). */
function chronological(events: StoryEvent[]): StoryEvent[] {
  return [...events].sort((a, b) => a.date.start.localeCompare(b.date.start) || b.date.end.localeCompare(a.date.end));
}

/**
 * The /timeline command.
 *
 * @example
 * const timeline = timelineCommand({ knowledge });
 * await timeline.run({ text: 'saleh' }, context); // Saleh's dated events, oldest first
 */
export function timelineCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'timeline',
    description: 'Dated events of the story in order, each with its sources',
    options: [{ name: 'topic', description: 'Only events about this person, place or group (optional)', required: false, autocomplete: ['person', 'place', 'organisation'] }],
    usage: '/timeline [person, place or group]',
    examples: ['/timeline', '/timeline saleh', '/timeline panjshir'],
    run(input) {
      const { kb, search } = deps.knowledge();
      const { id, query, page } = parseArguments(input.text);
      const topic = resolveStoryTopic(kb, search, id, query);
      switch (topic.kind) {
        case 'gone':
          return entryGone('timeline');
        case 'none':
          return topicNotFound('/timeline', 'events', topic.query, topic.suggestions);
        case 'all': {
          if (kb.events.length === 0) return reply({ kind: 'notice', title: 'No dated events yet.', summary: 'The articles give no dates the bot could resolve.' });
          return timelinePage(kb, `Timeline: ${kb.story.title}`, chronological(kb.events), page, '/timeline', []);
        }
        case 'entity': {
          const events = chronological(knowledgeLookup(kb).view(topic.entity.id).events);
          const others = otherTopicActions('/timeline', topic.others);
          if (events.length === 0) {
            return reply({
              kind: 'not-found',
              title: `No dated events about ${topic.entity.label}.`,
              summary: 'The whole timeline may still help.',
              suggestions: [{ label: 'Whole timeline', command: '/timeline' }, ...others],
            });
          }
          return timelinePage(kb, `Timeline: ${topic.entity.label}`, events, page, `/timeline id:${topic.entity.id}`, others);
        }
      }
    },
  };
}
