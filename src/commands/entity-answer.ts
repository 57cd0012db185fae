/**
 * The answer about one entity, shared by /who, /where and inline mode: description, links,
 * key facts, quotes, claims, events and conflicting reports, every line cited.
 */
import type { Entity, EntityLink, Fact, KnowledgeBase, LinkRelation, Quote } from '../knowledge/model.js';
import { formatDateRef } from '../replies/format.js';
import { reply, type Reply, type ReplyAction, type ReplyLine, type ReplyQuote, type ReplySection } from '../replies/reply.js';
import type { EntityHit } from '../search/types.js';
import { CitationNumbers, corroborationNote } from './citations.js';
import { knowledgeLookup } from './kb-lookup.js';

const OUTGOING: Record<LinkRelation, string> = {
  'son-of': 'Son of',
  'father-of': 'Father of',
  'capital-of': 'Capital of',
  'district-of': 'District of',
  in: 'In',
  borders: 'Borders',
  leads: 'Leads',
  'member-of': 'Member of',
  'spokesman-for': 'Spokesman for',
  'adviser-to': 'Adviser to',
  founded: 'Founded',
};

const INCOMING: Record<LinkRelation, string> = {
  'son-of': 'Father of',
  'father-of': 'Son of',
  'capital-of': 'Capital:',
  'district-of': 'District:',
  in: 'Contains',
  borders: 'Borders',
  leads: 'Led by',
  'member-of': 'Member:',
  'spokesman-for': 'Spokesman:',
  'adviser-to': 'Adviser:',
  founded: 'Founded by',
};

/** How many items of each kind an entity answer shows before offering "more". */
export const ENTITY_ANSWER_LIMITS = { facts: 5, quotes: 2, events: 5, claims: 3, conflicts: 3 } as const;

const NATIVE_SCRIPT = /[\u0600-\u06FF]/;

/** The note on the one kind of line no article supports: names in Dari or Pashto script from the registry. */
export const NATIVE_SPELLING_NOTE = 'from the story’s name list, not an article';

/** Facts ordered for an entity's answer: body before captions, corroborated first, then shorter. */
export function rankFacts(facts: readonly Fact[]): Fact[] {
  return [...facts].sort(
    (a, b) =>
      (a.rank === 'body' ? 0 : 1) - (b.rank === 'body' ? 0 : 1) ||
      b.citations.length - a.citations.length ||
      a.text.length - b.text.length,
  );
}

/** Words of a sentence that say where a place lies or who a person is. */
const DEFINING = /\b(?:capital|kilomet(?:re|er)s?|km|miles?|north(?:east|west)?|south(?:east|west)?|borders?|lies|located|leader of|son of|spokes(?:man|person) (?:of|for)|founded)\b/iu;

/**
 * Facts ordered for one entity's answer: facts about it (it is named within the sentence's
 * first words, not in passing) before passing mentions; among those, defining facts (where
 * a place lies, who a person is) first, then the newest developments, then corroborated and
 * shorter ones. Captions stay below the report.
 */
export function rankFactsFor(entity: Entity, facts: readonly Fact[]): Fact[] {
  const names = [entity.label, ...entity.aliases].map((n) => n.toLowerCase()).filter((n) => n.length > 1);
  const about = (f: Fact): boolean => {
    const opening = f.text.toLowerCase().split(/\s+/u).slice(0, 8).join(' ');
    return names.some((n) => opening.includes(n));
  };
  const score = (f: Fact): number => (about(f) ? 2 : 0) + (about(f) && DEFINING.test(f.text) ? 1 : 0);
  return [...facts].sort(
    (a, b) =>
      (a.rank === 'body' ? 0 : 1) - (b.rank === 'body' ? 0 : 1) ||
      score(b) - score(a) ||
      (b.date?.start ?? '').localeCompare(a.date?.start ?? '') ||
      b.citations.length - a.citations.length ||
      a.text.length - b.text.length,
  );
}

/**
 * Quotes ordered for display: whole sentences before fragments, corroborated first. A quote
 * that appears in several forms is shown once: a fragment of a longer quote of the same
 * speaker ('totally baseless' inside the full statement) is left out.
 */
export function rankQuotes(quotes: readonly Quote[]): Quote[] {
  const sorted = [...quotes].sort(
    (a, b) => Number(a.partial) - Number(b.partial) || b.citations.length - a.citations.length || b.text.length - a.text.length,
  );
  const words = (q: Quote): string => ` ${q.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const kept: Quote[] = [];
  for (const quote of sorted) {
    const mine = words(quote);
    if (kept.some((k) => k.speakerId === quote.speakerId && k !== quote && words(k).includes(mine))) continue;
    kept.push(quote);
  }
  return kept;
}

/** A quote in the reply model, with the other sources' wordings noted. */
export function quoteForReply(kb: KnowledgeBase, quote: Quote, refs: CitationNumbers): ReplyQuote {
  const lookup = knowledgeLookup(kb);
  const speaker = quote.speakerId === null ? undefined : lookup.entity(quote.speakerId);
  const [first, ...rest] = quote.citations;
  const otherWordings = rest
    .filter((c) => normalise(c.text) !== normalise(first?.text ?? ''))
    .map((c) => `${refs.outlet(c.sourceId)}: “${c.text.trim()}”`);
  const noteParts = [corroborationNote(quote.citations), ...otherWordings].filter((p): p is string => p !== undefined);
  return {
    text: quote.text,
    speaker: speaker?.label ?? (quote.speakerText === undefined ? 'Unattributed' : `${quote.speakerText} (unattributed)`),
    ...(quote.date === undefined ? {} : { date: formatDateRef(quote.date) }),
    ...(quote.context === undefined ? (quote.mode === undefined || quote.mode === 'said' ? {} : { how: quote.mode }) : { how: quote.context }),
    cites: refs.cite(quote.citations),
    ...(noteParts.length === 0 ? {} : { note: noteParts.join('; ') }),
  };
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function linkLines(kb: KnowledgeBase, entity: Entity, refs: CitationNumbers): ReplyLine[] {
  const lookup = knowledgeLookup(kb);
  const lines: ReplyLine[] = [];
  const seen = new Set<string>();
  const add = (text: string, link: EntityLink) => {
    if (seen.has(text)) return;
    seen.add(text);
    lines.push({ text, cites: refs.cite([link.citation]) });
  };
  for (const link of entity.links) {
    const target = lookup.entity(link.target);
    if (target !== undefined) add(`${OUTGOING[link.relation]} ${target.label}`, link);
  }
  for (const { from, link } of lookup.view(entity.id).incoming) {
    add(`${INCOMING[link.relation]} ${from.label}`, link);
  }
  return lines;
}

/**
 * Other names the sources used for the entity (spellings, titles, nicknames), with the outlets
 * that used them. Only mentions that are one of the entity's registered names count: "Massoud’s
 * father" points at a person but is no name of his.
 */
function spellingLine(entity: Entity, refs: CitationNumbers): ReplyLine | undefined {
  const label = normalise(entity.label);
  const names = new Set(entity.aliases.map(normalise));
  const bySpelling = new Map<string, { text: string; citations: Entity['mentions'] }>();
  for (const mention of entity.mentions) {
    const text = mention.text.replace(/[’']s$/, '').trim();
    const key = normalise(text);
    // A bare surname, the label itself ("The Taliban" for Taliban) or a descriptive mention is no other name.
    if (key === label || key.replace(/^the /, '') === label || !key.includes(' ') || !names.has(key)) continue;
    const entry = bySpelling.get(key) ?? { text, citations: [] };
    entry.citations.push(mention);
    bySpelling.set(key, entry);
  }
  if (bySpelling.size === 0) return undefined;
  const spellings = [...bySpelling.values()].map((s) => {
    const outlets = [...new Set(s.citations.map((c) => refs.outlet(c.sourceId)))].join(', ');
    return `${s.text} (${outlets})`;
  });
  return {
    text: `Also called ${spellings.join('; ')}`,
    cites: refs.cite([...bySpelling.values()].flatMap((s) => s.citations.slice(0, 1))),
  };
}

function knownAsLine(entity: Entity): ReplyLine | undefined {
  const native = entity.aliases.filter((a) => NATIVE_SCRIPT.test(a));
  const parts: string[] = [];
  if (native.length > 0) parts.push(`Native spelling: ${native.join(', ')}`);
  // No article is in Dari or Pashto: the native spelling comes from the story's curated registry, and says so.
  return parts.length === 0 ? undefined : { text: parts.join(' · '), cites: [], note: NATIVE_SPELLING_NOTE };
}

export interface EntityAnswerOptions {
  /** Look-alikes to offer as buttons ("the other Massoud"). */
  others?: EntityHit[];
  /** Said when the query was ambiguous, e.g. "“massoud” fits 2 people". */
  ambiguityNote?: string;
  /** Others that the query fits as well as this one: each is introduced in the answer too. */
  namesakes?: Entity[];
  /** The command that asks for an entity by id: `who` or `where`. */
  command: 'who' | 'where';
}

/**
 * Build the full answer about one entity.
 *
 * @example
 * entityAnswer(kb, entity, { command: 'who', others: resolution.others });
 */
export function entityAnswer(kb: KnowledgeBase, entity: Entity, options: EntityAnswerOptions): Reply {
  const refs = new CitationNumbers(kb);
  const view = knowledgeLookup(kb).view(entity.id);
  const descriptionCites = refs.cite([entity.descriptionCitation]);
  const sections: ReplySection[] = [];
  if (options.namesakes !== undefined && options.namesakes.length > 0) {
    sections.push({
      label: options.namesakes.length === 1 ? 'The other one' : 'The others',
      lines: options.namesakes.map((other) => ({
        text: `${other.label} — ${other.description}`,
        cites: refs.cite([other.descriptionCitation]),
        note: `/${other.type === 'place' ? 'where' : 'who'} ${other.label}`,
      })),
    });
  }

  const identity = [spellingLine(entity, refs), knownAsLine(entity)].filter((l): l is ReplyLine => l !== undefined);
  const links = linkLines(kb, entity, refs);
  if (links.length > 0 || identity.length > 0) {
    sections.push({ label: entity.type === 'place' ? 'Where it lies' : 'Who they are', lines: [...links, ...identity] });
  }

  const descriptionSpan = entity.descriptionCitation;
  const facts = rankFactsFor(entity, view.facts)
    .filter((f) => !f.citations.some((c) => c.sourceId === descriptionSpan.sourceId && c.start === descriptionSpan.start))
    .slice(0, ENTITY_ANSWER_LIMITS.facts);
  if (facts.length > 0) {
    sections.push({
      label: 'Key facts',
      lines: facts.map((fact) => {
        const notes = [corroborationNote(fact.citations), fact.conflicts.length > 0 ? 'disputed: see conflicting reports' : undefined, fact.rank === 'caption' ? 'from a photo caption' : undefined];
        const note = notes.filter((n): n is string => n !== undefined).join('; ');
        return { text: fact.text, cites: refs.cite(fact.citations), ...(note === '' ? {} : { note }) };
      }),
    });
  }

  if (view.events.length > 0) {
    // The latest events, told oldest first: as the story grows the answer follows it.
    const events = [...view.events].sort((a, b) => a.date.start.localeCompare(b.date.start)).slice(-ENTITY_ANSWER_LIMITS.events);
    sections.push({
      label: entity.type === 'place' ? 'What happened here' : 'Timeline',
      lines: events.map((e) => ({ text: `${formatDateRef(e.date)} — ${e.text}`, cites: refs.cite(e.citations), ...(corroborationNote(e.citations) === undefined ? {} : { note: corroborationNote(e.citations) }) })),
    });
  }

  if (view.claims.length > 0) {
    sections.push({
      label: 'Claims (not established facts)',
      lines: view.claims.slice(0, ENTITY_ANSWER_LIMITS.claims).flatMap((claim) => [
        { text: `${claim.claimant.text}: ${claim.statement}`, cites: refs.cite(claim.citations), note: claim.verification.status },
        ...claim.counterClaims.map((counter) => ({ text: `Disputed by ${counter.claimant.text}: ${counter.statement}`, cites: refs.cite(counter.citations) })),
      ]),
    });
  }

  // Every conflict a shown fact points to ("disputed: see conflicting reports") is shown, even
  // when it is not filed under this entity or is past the section's limit: a pointer must lead
  // somewhere in the same reply.
  const shownConflicts = view.conflicts.slice(0, ENTITY_ANSWER_LIMITS.conflicts);
  const pointedTo = new Set(facts.flatMap((fact) => fact.conflicts));
  for (const conflict of kb.conflicts) if (pointedTo.has(conflict.id) && !shownConflicts.includes(conflict)) shownConflicts.push(conflict);
  if (shownConflicts.length > 0) {
    sections.push({
      label: 'Conflicting reports',
      lines: shownConflicts.flatMap((conflict) => [
        { text: conflict.topic, cites: refs.cite(conflict.sides.map((side) => side.citation)), note: 'conflicting reports' },
        ...conflict.sides.map((side) => ({ text: `${refs.outlet(side.citation.sourceId)}: ${side.statement}`, cites: refs.cite([side.citation]) })),
      ]),
    });
  }

  const said = rankQuotes(view.said);
  const quotes = said.slice(0, ENTITY_ANSWER_LIMITS.quotes).map((q) => quoteForReply(kb, q, refs));

  const actions: ReplyAction[] = [];
  if (said.length > quotes.length) actions.push({ label: `More quotes (${said.length})`, command: `/quote id:${entity.id}` });
  for (const other of options.others ?? []) {
    actions.push({ label: `Not this one? ${other.entity.label}`, command: `/${other.entity.type === 'place' ? 'where' : 'who'} id:${other.entity.id}` });
  }

  const title = entity.role === undefined ? entity.label : `${entity.label} — ${entity.role}`;
  // The note comes first so that the description's citation marks stay right after it.
  const summaryText = options.ambiguityNote === undefined ? entity.description : `${options.ambiguityNote}\n${entity.description}`;
  return reply({
    kind: 'answer',
    title,
    summary: summaryText,
    summaryCites: descriptionCites,
    sections,
    quotes,
    citations: refs.list(),
    actions,
  });
}
