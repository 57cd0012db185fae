/**
 * /quote <person or topic>: what someone said, or quotes whose words match a topic. The same
 * quote reported by several outlets is one quote with several sources, each wording kept.
 */
import type { Entity, KnowledgeBase, Quote } from '../knowledge/model.js';
import { reply, type Reply, type ReplyAction } from '../replies/reply.js';
import { tokenize } from '../search/normalise.js';
import { nextPageActions, pageOf, parseArguments } from './arguments.js';
import { CitationNumbers } from './citations.js';
import { quoteForReply, rankQuotes } from './entity-answer.js';
import { resolveName, type KnowledgeCommandDeps } from './entity-commands.js';
import { echo } from './input.js';
import { knowledgeLookup } from './kb-lookup.js';
import type { CommandDefinition } from './types.js';

/** Quotes shown per page. */
export const QUOTES_PER_PAGE = 5;

function quotePage(kb: KnowledgeBase, title: string, quotes: Quote[], page: number, moreCommand: string, extra: ReplyAction[] = []): Reply {
  const refs = new CitationNumbers(kb);
  const current = pageOf(quotes, QUOTES_PER_PAGE, page);
  const actions = nextPageActions(current, 'More quotes', moreCommand);
  return reply({
    kind: 'answer',
    title,
    summary: `${quotes.length} quote${quotes.length === 1 ? '' : 's'}${current.pages > 1 ? `, page ${current.page} of ${current.pages}` : ''}.`,
    quotes: current.items.map((q) => quoteForReply(kb, q, refs)),
    citations: refs.list(),
    actions: [...actions, ...extra],
  });
}

function speakersWithQuotes(kb: KnowledgeBase): Entity[] {
  const lookup = knowledgeLookup(kb);
  const ids = new Map<string, number>();
  for (const q of kb.quotes) if (q.speakerId !== null) ids.set(q.speakerId, (ids.get(q.speakerId) ?? 0) + 1);
  return [...ids.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => lookup.entity(id))
    .filter((e): e is Entity => e !== undefined);
}

/** The reply for an entity the story never quotes and no quote mentions. */
function notQuoted(kb: KnowledgeBase, entity: Entity): Reply {
  const quoted = speakersWithQuotes(kb).slice(0, 5);
  return reply({
    kind: 'not-found',
    title: `${entity.label} is not quoted in the story.`,
    summary: quoted.length > 0 ? `People quoted in the story: ${quoted.map((e) => e.label).join(', ')}.` : 'No quotes are in the knowledge base yet.',
    suggestions: quoted.map((e) => ({ label: e.label, command: `/quote id:${e.id}` })),
  });
}

/** What an entity said or, when it said nothing, the quotes that mention it (what `/quote id:` shows). */
function entityQuotes(kb: KnowledgeBase, entity: Entity, page: number): Reply {
  const view = knowledgeLookup(kb).view(entity.id);
  if (view.said.length > 0) return quotePage(kb, `Quotes: ${entity.label}`, rankQuotes(view.said), page, `/quote id:${entity.id}`);
  if (view.about.length > 0) {
    const about = quotePage(kb, `Quotes about ${entity.label}`, rankQuotes(view.about), page, `/quote id:${entity.id}`);
    return { ...about, summary: `${entity.label} is not quoted in the story; these quotes mention ${entity.type === 'person' ? 'them' : 'it'}. ${about.summary ?? ''}`.trim() };
  }
  return notQuoted(kb, entity);
}

/** The /quote command. */
export function quoteCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'quote',
    description: 'What someone said, or quotes about a topic, with speaker, date and outlet',
    options: [{ name: 'who_or_what', description: 'A speaker (saleh, mujahid) or words from a quote (negotiations)', required: true, autocomplete: ['person', 'organisation'] }],
    usage: '/quote <person or topic>',
    examples: ['/quote saleh', '/quote mujahid', '/quote negotiations'],
    run(input) {
      const { kb, search } = deps.knowledge();
      const lookup = knowledgeLookup(kb);
      const { id, query, page } = parseArguments(input.text);

      if (id !== undefined) {
        const speaker = lookup.entity(id);
        if (speaker === undefined) return reply({ kind: 'not-found', title: 'That speaker is no longer in the knowledge base.', private: true });
        return entityQuotes(kb, speaker, page);
      }

      const resolution = resolveName(search, query, ['person', 'organisation']);
      if (resolution.kind === 'choices') {
        const shown = resolution.hits.slice(0, 5);
        // Words that fit several names' roles ("resistance") are more likely a topic: quotes saying them come first.
        const words = tokenize(query);
        const byWords = search
          .searchQuotes(query, { limit: 50 })
          .map((h) => h.quote)
          .filter((q) => tokenize(q.text).some((t) => words.includes(t)));
        if (byWords.length > 0) {
          const speakers = shown
            .filter((h) => lookup.view(h.entity.id).said.length > 0)
            .slice(0, 2)
            .map((h) => ({ label: `Quotes: ${h.entity.label}`, command: `/quote id:${h.entity.id}` }));
          return quotePage(kb, `Quotes matching “${echo(query, 40)}”`, byWords, page, `/quote ${query}`, speakers);
        }
        return reply({
          kind: 'not-found',
          title: `Whose quotes do you mean by “${echo(query, 60)}”?`,
          summary: `It fits ${shown.map((h) => h.entity.label).join(', ')}.`,
          suggestions: shown.map((h) => ({ label: h.entity.label, command: `/quote id:${h.entity.id}` })),
        });
      }
      // Namesakes first (the son and the father share "Massoud"): whichever of them was quoted.
      const named = resolution.kind === 'entity' ? [resolution.hit, ...resolution.namesakes] : [];
      const speaker = named.find((hit) => lookup.view(hit.entity.id).said.length > 0);
      if (speaker !== undefined) {
        const candidates = resolution.kind === 'entity' ? [...named, ...resolution.others] : [];
        const others: ReplyAction[] = candidates
          .filter((h) => h.entity.id !== speaker.entity.id && lookup.view(h.entity.id).said.length > 0)
          .slice(0, 2)
          .map((h) => ({ label: `Quotes: ${h.entity.label}`, command: `/quote id:${h.entity.id}` }));
        return quotePage(kb, `Quotes: ${speaker.entity.label}`, rankQuotes(lookup.view(speaker.entity.id).said), page, `/quote id:${speaker.entity.id}`, others);
      }

      // A named entity nobody quotes: quotes that mention it, never quotes that merely share a word.
      const entity = named[0]?.entity;
      if (entity !== undefined) return entityQuotes(kb, entity, page);

      const found = search.searchQuotes(query, { limit: 50 }).map((h) => h.quote);
      if (found.length > 0) return quotePage(kb, `Quotes matching “${echo(query, 40)}”`, found, page, `/quote ${query}`);

      const quoted = speakersWithQuotes(kb).slice(0, 5);
      return reply({
        kind: 'not-found',
        title: `No quotes by or about “${echo(query, 60)}”.`,
        summary: quoted.length > 0 ? `People quoted in the story: ${quoted.map((e) => e.label).join(', ')}.` : 'No quotes are in the knowledge base yet.',
        suggestions: quoted.map((e) => ({ label: e.label, command: `/quote id:${e.id}` })),
      });
    },
  };
}
