/**
 * What a digest says: what entered the knowledge base in a time window — new sources and the
 * quotes, claims, events and facts they brought — most important first, each with its sources.
 *
 * "Entered" is measured by when this database first saw each source (`sources_seen`), not by
 * publication date: an article about last week that was added today is news to the chat today.
 * An item is new when at least one of its citations comes from a source first seen in the window.
 */
import { CitationNumbers, corroborationNote } from '../commands/citations.js';
import type { Citation, Claim, Fact, KnowledgeBase, Quote, Source, StoryEvent } from '../knowledge/model.js';
import { reply, type Reply, type ReplyLine, type ReplyQuote, type ReplySection } from '../replies/reply.js';
import { formatDateRef, formatDay } from '../replies/format.js';
import { formatInZone } from './zoned-time.js';

export interface DigestLimits {
  /** At most this many items of each kind (sources, quotes, claims, events, facts). */
  perKind: number;
}

export const DEFAULT_DIGEST_LIMITS: DigestLimits = { perKind: 5 };

export interface DigestRequest {
  /** Knowledge entered after this time counts as new; `undefined` asks for an overview of everything. */
  since?: Date;
  /** Knowledge entered up to this time (inclusive) counts; the next digest starts here. */
  until: Date;
  /** When each source was first seen by this database. */
  seen: ReadonlyMap<string, Date>;
  /** Narrow to one entity. */
  topic?: { entityId: string; label: string };
  /** Time zone for dates shown in the digest. */
  timeZone: string;
  limits?: DigestLimits;
  /** Offer a "more" action (`/digest`) when a kind was cut short. */
  moreCommand?: string;
}

export interface DigestContent {
  /** `null` when nothing is new (the caller applies the subscription's quiet setting). */
  reply: Reply | null;
  /** How many new items (sources included) the window holds, before limits. */
  itemCount: number;
}

interface Counted {
  sources: number;
  quotes: number;
  claims: number;
  events: number;
  facts: number;
}

/** Distinct sources behind a list of citations: corroboration. */
const outlets = (citations: readonly Citation[]) => new Set(citations.map((c) => c.sourceId)).size;

/** Newest-dated first; undated last. */
function byDateDesc(a?: { start: string }, b?: { start: string }): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : 1) : -1;
  return b.start.localeCompare(a.start);
}

/**
 * Build the digest of a window. Pure: the same knowledge, ledger and window give the same reply.
 *
 * @example
 * const { reply } = buildDigest(snapshot.kb, { since, until: now, seen: store.sourcesSeen(), timeZone: 'Asia/Kabul' });
 */
export function buildDigest(kb: KnowledgeBase, request: DigestRequest): DigestContent {
  const limit = (request.limits ?? DEFAULT_DIGEST_LIMITS).perKind;
  const since = request.since?.getTime();
  const until = request.until.getTime();
  const topicId = request.topic?.entityId;

  const isNewSource = (id: string): boolean => {
    const seenAt = request.seen.get(id)?.getTime();
    if (seenAt === undefined || seenAt > until) return false;
    return since === undefined || seenAt > since;
  };
  const newSourceIds = new Set(kb.sources.filter((s) => isNewSource(s.id)).map((s) => s.id));
  const isNew = (citations: readonly Citation[]) => citations.some((c) => newSourceIds.has(c.sourceId));
  const onTopic = (entities: readonly string[]) => topicId === undefined || entities.includes(topicId);

  const topicEntity = topicId === undefined ? undefined : kb.entities.find((e) => e.id === topicId);
  const sources = kb.sources
    .filter((s) => newSourceIds.has(s.id))
    .filter((s) => topicEntity === undefined || topicEntity.mentions.some((m) => m.sourceId === s.id))
    .sort((a, b) => b.published.localeCompare(a.published) || a.id.localeCompare(b.id));
  const quotes = kb.quotes
    .filter((q) => isNew(q.citations) && onTopic(q.speakerId === null ? q.entities : [q.speakerId, ...q.entities]))
    .sort((a, b) => outlets(b.citations) - outlets(a.citations) || Number(a.partial) - Number(b.partial) || byDateDesc(a.date, b.date));
  const claims = kb.claims
    .filter((c) => isNew(allClaimCitations(c)) && onTopic(c.entities))
    .sort((a, b) => outlets(b.citations) - outlets(a.citations) || byDateDesc(a.date, b.date));
  const events = kb.events
    .filter((e) => isNew(e.citations) && onTopic(e.entities))
    .sort((a, b) => outlets(b.citations) - outlets(a.citations) || byDateDesc(a.date, b.date));
  const facts = kb.facts
    .filter((f) => isNew(f.citations) && onTopic(f.entities))
    .sort((a, b) => rankOrder(a) - rankOrder(b) || outlets(b.citations) - outlets(a.citations) || byDateDesc(a.date, b.date));

  const counted: Counted = { sources: sources.length, quotes: quotes.length, claims: claims.length, events: events.length, facts: facts.length };
  const itemCount = sources.length + quotes.length + claims.length + events.length + facts.length;
  if (itemCount === 0) return { reply: null, itemCount };

  const refs = new CitationNumbers(kb);
  const speakerName = (q: Quote): string =>
    (q.speakerId === null ? undefined : kb.entities.find((e) => e.id === q.speakerId)?.label) ?? q.speakerText ?? 'Unattributed';

  const replyQuotes: ReplyQuote[] = quotes.slice(0, limit).map((q) => ({
    text: q.text,
    speaker: speakerName(q),
    ...(q.date === undefined ? {} : { date: formatDateRef(q.date) }),
    ...(q.context !== undefined ? { how: q.context } : q.mode !== undefined && q.mode !== 'said' ? { how: q.mode } : {}),
    cites: refs.cite(q.citations),
    ...noteOf(corroborationNote(q.citations)),
  }));

  const sections: ReplySection[] = [];
  const addSection = (label: string, lines: ReplyLine[]) => {
    if (lines.length > 0) sections.push({ label, lines });
  };
  addSection('Claims', claims.slice(0, limit).map((c) => claimLine(c, refs)));
  addSection('Events', events.slice(0, limit).map((e) => eventLine(e, refs)));
  addSection('Facts', facts.slice(0, limit).map((f) => factLine(f, refs)));
  addSection('New sources', sources.slice(0, limit).map((s) => sourceLine(s, refs)));

  const truncated = (Object.values(counted) as number[]).some((n) => n > limit);
  const title = `${request.since === undefined ? 'Overview' : 'Digest'}: ${kb.story.title}${request.topic === undefined ? '' : ` — ${request.topic.label}`}`;
  const window = request.since === undefined ? 'So far' : `Since ${formatInZone(request.since, request.timeZone)}`;
  return {
    itemCount,
    reply: reply({
      kind: 'answer',
      title,
      summary: `${window}: ${summarise(counted)}.`,
      sections,
      quotes: replyQuotes,
      citations: refs.list(),
      actions: truncated && request.moreCommand !== undefined ? [{ label: 'More', command: request.moreCommand }] : [],
    }),
  };
}

/**
 * The one line sent when nothing is new and the subscription asks to say so.
 *
 * @example
 * quietReply(since, 'Asia/Kabul') // → "No new developments since Mon 23 Aug 2021, 08:00 (Asia/Kabul)."
 */
export function quietReply(since: Date, timeZone: string, topic?: { label: string }): Reply {
  return reply({
    kind: 'notice',
    title: `No new developments${topic === undefined ? '' : ` about ${topic.label}`} since ${formatInZone(since, timeZone)}.`,
  });
}

function rankOrder(fact: Fact): number {
  return fact.rank === 'body' ? 0 : 1;
}

function noteOf(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note };
}

function allClaimCitations(claim: Claim): Citation[] {
  return [...claim.citations, ...claim.counterClaims.flatMap((c) => c.citations), ...claim.verification.citations];
}

function claimLine(claim: Claim, refs: CitationNumbers): ReplyLine {
  const disputed = claim.counterClaims.map((c) => `${c.claimant.text}: ${c.statement}`);
  const text = `Claimed by ${claim.claimant.text}: ${claim.statement}${disputed.length > 0 ? ` — disputed (${disputed.join('; ')})` : ''}`;
  return { text, cites: refs.cite(allClaimCitations(claim)), note: claim.verification.status };
}

function eventLine(event: StoryEvent, refs: CitationNumbers): ReplyLine {
  return { text: `${formatDateRef(event.date)}: ${event.text}`, cites: refs.cite(event.citations), ...noteOf(corroborationNote(event.citations)) };
}

function factLine(fact: Fact, refs: CitationNumbers): ReplyLine {
  const notes = [corroborationNote(fact.citations), fact.conflicts.length > 0 ? 'disputed' : undefined, fact.rank === 'caption' ? 'photo caption' : undefined];
  const note = notes.filter((n) => n !== undefined).join(', ');
  return { text: fact.text, cites: refs.cite(fact.citations), ...noteOf(note === '' ? undefined : note) };
}

function sourceLine(source: Source, refs: CitationNumbers): ReplyLine {
  const cites = refs.cite([{ sourceId: source.id, start: 0, end: 0, text: '' }]);
  return { text: `${source.outlet}: ${source.headline} (${formatDay(source.published)})`, cites };
}

function summarise(c: Counted): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => {
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
  };
  add(c.sources, 'new source', 'new sources');
  add(c.quotes, 'quote', 'quotes');
  add(c.claims, 'claim', 'claims');
  add(c.events, 'event', 'events');
  add(c.facts, 'fact', 'facts');
  return parts.join(', ');
}
