/**
 * Quick answers for a free query without a command: Telegram inline mode (`@bot panjshir`)
 * lists them as results, each carrying the full reply that is sent when picked.
 */
import { reply, type Reply } from '../replies/reply.js';
import type { KnowledgeProvider } from '../search/types.js';
import { CitationNumbers } from './citations.js';
import { entityAnswer, quoteForReply } from './entity-answer.js';
import { commandFor, nameFits } from './entity-commands.js';
import { cleanInput, echo, isTooLong } from './input.js';

export interface InlineAnswer {
  /** Stable id, 1–64 bytes (e.g. the entity id, or `q-<quote id>`). */
  id: string;
  title: string;
  /** One line under the title. */
  description: string;
  /** The message sent when the user picks it. */
  reply: Reply;
}

/** Inline results are capped by Telegram at 50. */
export const INLINE_LIMIT = 50;

/**
 * Quick answers for a free query: matching entities (each with its full answer), then quotes
 * whose words match.
 *
 * @example
 * inlineAnswers(knowledge, 'panjshir')[0].title // → 'Panjshir'
 */
export function inlineAnswers(knowledge: KnowledgeProvider, rawQuery: string, limit = INLINE_LIMIT): InlineAnswer[] {
  const query = cleanInput(rawQuery).text;
  if (query === '' || isTooLong(query)) return [];
  const { kb, search } = knowledge();
  const answers: InlineAnswer[] = [];
  // Completions match inside words ("ghani" in "Afghanistan"); a result must fit the words typed.
  const hits = search.suggestEntities(query, { limit: 25 }).filter((hit) => hit.exact || nameFits(query, hit.entity));
  for (const hit of hits.slice(0, Math.min(limit, 10))) {
    const command = commandFor(hit.entity);
    answers.push({
      id: `e-${hit.entity.id}`.slice(0, 64),
      title: hit.entity.role === undefined ? hit.entity.label : `${hit.entity.label} — ${hit.entity.role}`,
      description: hit.entity.description,
      reply: entityAnswer(kb, hit.entity, { command }),
    });
  }
  for (const { quote } of search.searchQuotes(query, { limit: limit - answers.length })) {
    const refs = new CitationNumbers(kb);
    const rendered = quoteForReply(kb, quote, refs);
    answers.push({
      id: `q-${quote.id}`.slice(0, 64),
      title: `“${echo(quote.text, 80)}”`,
      description: rendered.date === undefined ? rendered.speaker : `${rendered.speaker}, ${rendered.date}`,
      reply: reply({ kind: 'answer', title: `Quote: ${rendered.speaker}`, quotes: [rendered], citations: refs.list() }),
    });
  }
  return answers.slice(0, limit);
}
