// The whole-story version of src/knowledge/conflicts.ts from before it kept state between builds:
// the reference build's own copy (test/knowledge/reference-build.ts). Not product code.
/**
 * The conflicts stage: statements of the sources that disagree. Both sides are kept, each with
 * its exact sentence, and the facts on either side are flagged with the conflict's id.
 *
 * Three general rules, none tied to the seed wording:
 * - **agent**: one victim, different agents of killed/murdered/assassinated ("killed by the
 *   Taliban" in a caption, "murdered by al-Qaeda" in the body);
 * - **title**: one person given a current title by one sentence and a "former" one by another
 *   ("first vice president" vs "former vice president");
 * - **extent**: one claim told with different extent qualifiers ("surrounded" vs "surrounded
 *   on three sides").
 */
import { citationOf, mentionsBySource, shortHash } from '../../../src/knowledge/analysis-text.js';
import { tidyWhitespace } from '../../../src/knowledge/text.js';
import { extractClaims } from './claims.js';
import { eventKinds, kindMatches, mainKind } from '../../../src/knowledge/events.js';
import type { Citation, Claim, Conflict, Entity, EntityId, Fact } from '../../../src/knowledge/model.js';
import type { AnalysisInput, Mention, Sentence } from '../../../src/knowledge/sentence.js';

/** What {@link findConflicts} returns: the conflicts, and for each fact the conflicts it is a side of. */
export interface ConflictResult {
  conflicts: Conflict[];
  factConflicts: Map<string, string[]>;
}

interface Side {
  /** What this side holds, e.g. "al-Qaeda" or "former vice president". */
  value: string;
  sentence: Sentence;
}

const KILLED_BY = /\b(?:was\s+|were\s+|been\s+)?(?:killed|murdered|assassinated|slain|executed)\s+by\s+((?:the\s+)?(?:al-|el-)?[\p{Lu}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*)*)/gu;
const ROLE = '(?:vice[ -]president|president|prime minister|minister|spokesman|spokeswoman|commander|leader|governor|chief|head|ambassador)';
/** "Amrullah Saleh, the Afghan first vice president" — the title right after the name. */
const TITLE_AFTER = new RegExp(`^,\\s+(?:the|a|an)\\s+((?:[\\p{L}-]+\\s+){0,3}?${ROLE})\\b`, 'iu');
/** "Former Afghan vice president Amrullah Saleh" — the title right before the name. */
const TITLE_BEFORE = new RegExp(`((?:[\\p{L}-]+\\s+){0,3}?${ROLE})\\s+$`, 'iu');
const FORMER = /\b(?:former|ex-|then-|erstwhile|ousted)\b/iu;
const EXTENT = /\b(?:on (?:two|three|four|all) sides|from (?:two|three|all) (?:sides|directions)|partially|partly|completely|fully|entirely)\b/iu;

/**
 * Find statements of the sources that disagree, and which facts they touch.
 *
 * @param claims the story's claims when already extracted (the extent rule reads them)
 * @example
 * const { conflicts, factConflicts } = findConflicts(input);
 * conflicts[0].topic; // "Who killed Ahmad Shah Massoud"
 */
export function findConflicts(input: AnalysisInput, claims: Claim[] = extractClaims(input)): ConflictResult {
  const labels = new Map<EntityId, Entity>(input.entities.map((e) => [e.id, e]));
  const mentions = mentionsBySource(input.mentions);
  const conflicts: Conflict[] = [
    ...agentConflicts(input.sentences, mentions, labels),
    ...titleConflicts(input, mentions, labels),
    ...extentConflicts(input, claims),
  ];
  return { conflicts, factConflicts: linkFacts(conflicts, input) };
}

function mentionsIn(sentence: Sentence, bySource: Map<string, Mention[]>): Mention[] {
  return (bySource.get(sentence.sourceId) ?? [])
    .filter((m) => m.start >= sentence.start && m.end <= sentence.end)
    .sort((a, b) => a.start - b.start);
}

/** Folded value for comparing sides: "the Taliban" and "Taliban" are one agent. */
function key(value: string): string {
  return value.toLowerCase().replace(/^the\s+/u, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function conflictOf(kind: string, topic: string, entity: EntityId, sides: Side[], extra: EntityId[] = []): Conflict {
  return {
    id: `conflict-${kind}-${shortHash(`${entity}|${sides.map((s) => `${s.sentence.sourceId}:${s.sentence.start}`).join(',')}`)}`,
    topic,
    sides: sides.map((s) => ({ statement: tidyWhitespace(s.sentence.text), citation: citationOf(s.sentence) })),
    entities: [...new Set([entity, ...extra])],
  };
}

/** Group sides by subject; a subject whose sides hold two or more values is a conflict. */
function disagreements(bySubject: Map<EntityId, Side[]>): Array<[EntityId, Side[]]> {
  return [...bySubject].filter(([, sides]) => new Set(sides.map((s) => key(s.value))).size > 1);
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  map.set(k, [...(map.get(k) ?? []), v]);
}

/** Who killed whom: the victim is the last person named before the verb. */
function agentConflicts(sentences: Sentence[], bySource: Map<string, Mention[]>, entities: Map<EntityId, Entity>): Conflict[] {
  const byVictim = new Map<EntityId, Side[]>();
  for (const sentence of sentences) {
    for (const m of sentence.text.matchAll(KILLED_BY)) {
      const at = sentence.start + m.index;
      const own = mentionsIn(sentence, bySource);
      const victim = own.filter((x) => x.end <= at && entities.get(x.entityId)?.type === 'person').at(-1);
      if (!victim) continue;
      const agentStart = at + m[0].length - (m[1] ?? '').length;
      const agent = own.find((x) => x.start >= agentStart && x.start < at + m[0].length);
      push(byVictim, victim.entityId, { value: agent?.entityId ?? m[1] ?? '', sentence });
    }
  }
  return disagreements(byVictim).map(([victim, sides]) =>
    conflictOf('agent', `Who killed ${entities.get(victim)?.label ?? victim}`, victim, sides, sides.map((s) => s.value).filter((v) => entities.has(v))),
  );
}

/**
 * A person called "former X" by one report and plain "X" by another of the same time or later.
 * A title changes with time: "vice president" in a report of 18 August and "former vice
 * president" in one of 6 September tell history, not a disagreement. So only a current title
 * published on or after a "former" one contradicts it, each report is one side (its first
 * sentence that gives the title), and a person the story reports dead holds no office to
 * disagree about ("former commander" of a man killed in 2001).
 */
function titleConflicts(input: AnalysisInput, bySource: Map<string, Mention[]>, entities: Map<EntityId, Entity>): Conflict[] {
  const published = new Map(input.sources.map((s) => [s.id, s.published]));
  const dead = deadPeople(input.sentences, bySource, entities);
  const byPerson = new Map<EntityId, Side[]>();
  for (const sentence of input.sentences) {
    for (const mention of mentionsIn(sentence, bySource)) {
      if (entities.get(mention.entityId)?.type !== 'person' || dead.has(mention.entityId)) continue;
      const rest = sentence.text.slice(mention.end - sentence.start);
      const after = TITLE_AFTER.exec(rest);
      const before = TITLE_BEFORE.exec(sentence.text.slice(0, mention.start - sentence.start));
      let title = tidyWhitespace(after?.[1] ?? before?.[1] ?? '');
      // "the first vice president of the ousted government" held the office in a government gone.
      if (after && OF_A_FORMER_GOVERNMENT.test(rest.slice(after[0].length))) title = `former ${title}`;
      if (title) push(byPerson, mention.entityId, { value: title, sentence });
    }
  }
  const conflicts: Conflict[] = [];
  for (const [person, sides] of byPerson) {
    // Only a current title against a "former" one of the same office is a contradiction.
    const office = (t: string): string => (/vice[ -]president/iu.exec(t)?.[0] ?? new RegExp(ROLE, 'iu').exec(t)?.[0] ?? t).toLowerCase().replace('-', ' ');
    const byOffice = new Map<string, Side[]>();
    for (const s of sides) push(byOffice, office(s.value), s);
    for (const [officeName, same] of byOffice) {
      const firstPerSource = (list: Side[]): Side[] => {
        const seen = new Set<string>();
        return list.filter((s) => !seen.has(s.sentence.sourceId) && seen.add(s.sentence.sourceId));
      };
      const day = (s: Side): string => published.get(s.sentence.sourceId) ?? '';
      const former = firstPerSource(same.filter((s) => FORMER.test(s.value)));
      const current = firstPerSource(same.filter((s) => !FORMER.test(s.value)));
      // "Some former title on or before this day" is "the earliest former title on or before it":
      // one pass for the earliest and latest days instead of comparing every pair.
      const earliestFormer = former.reduce<string | undefined>((min, f) => (min === undefined || day(f) < min ? day(f) : min), undefined);
      const latestCurrent = current.reduce<string | undefined>((max, c) => (max === undefined || day(c) > max ? day(c) : max), undefined);
      const contradicted = earliestFormer === undefined ? [] : current.filter((c) => earliestFormer <= day(c));
      const contradicting = latestCurrent === undefined ? [] : former.filter((f) => day(f) <= latestCurrent);
      if (contradicted.length === 0 || contradicting.length === 0) continue;
      const label = entities.get(person)?.label ?? person;
      conflicts.push(conflictOf('title', `${label}: current or former ${officeName}?`, person, [...contradicted, ...contradicting]));
    }
  }
  return conflicts;
}

/** "… of the ousted government": a title held in a government that is gone. */
const OF_A_FORMER_GOVERNMENT = /^\s+(?:of|in|from)\s+(?:the\s+)?(?:ousted|former|previous|toppled|collapsed|deposed|fallen)\b/iu;

/** People the story reports dead: the victim of a killing, or called "the late" / "the slain". */
function deadPeople(sentences: Sentence[], bySource: Map<string, Mention[]>, entities: Map<EntityId, Entity>): Set<EntityId> {
  const dead = new Set<EntityId>();
  for (const sentence of sentences) {
    const own = mentionsIn(sentence, bySource).filter((m) => entities.get(m.entityId)?.type === 'person');
    for (const m of own) {
      const before = sentence.text.slice(Math.max(0, m.start - sentence.start - 40), m.start - sentence.start);
      const after = sentence.text.slice(m.end - sentence.start, m.end - sentence.start + 40);
      if (/\b(?:late|slain|assassinated|murdered)\s+(?:[\p{L}-]+\s+){0,4}$/iu.test(before)) dead.add(m.entityId);
      if (/^,?\s+(?:who\s+)?(?:was|had been)\s+(?:killed|murdered|assassinated|slain)\b/iu.test(after)) dead.add(m.entityId);
    }
  }
  return dead;
}

/** One claim told with different extents ("surrounded" vs "surrounded on three sides"). */
function extentConflicts(input: AnalysisInput, claims: Claim[]): Conflict[] {
  const conflicts: Conflict[] = [];
  // A citation's sentence by report and offset (the first such sentence, as a scan would find).
  const at = new Map<string, Sentence>();
  for (const s of input.sentences) if (!at.has(`${s.sourceId}|${s.start}`)) at.set(`${s.sourceId}|${s.start}`, s);
  for (const claim of claims) {
    const sentences = claim.citations.map((c) => at.get(`${c.sourceId}|${c.start}`));
    const kind = mainKind(eventKinds(claim.statement));
    if (!kind) continue;
    const sides: Side[] = [];
    for (const sentence of sentences) {
      if (sentence) sides.push({ value: extentOf(sentence.text, kind) ?? 'without qualification', sentence });
    }
    const values = new Set(sides.map((s) => key(s.value)));
    if (values.size < 2) continue;
    // One side per wording: the first sentence that gives each extent.
    const distinct = sides.filter((s, i) => sides.findIndex((o) => key(o.value) === key(s.value)) === i);
    const subject = claim.claimant.entityId ?? claim.claimant.text;
    conflicts.push(
      conflictOf('extent', `How far: ${claim.claimant.text} — ${shorten(claim.statement, 60)}`, subject, distinct, claim.entities),
    );
  }
  return conflicts;
}

/** The extent qualifier that follows a wording of `kind` ("surrounded on three sides"), if any. */
function extentOf(text: string, kind: string): string | undefined {
  for (const m of kindMatches(text, kind)) {
    const after = text.slice(m.index + m.length, m.index + m.length + 40);
    const before = text.slice(Math.max(0, m.index - 15), m.index);
    const found = EXTENT.exec(after) ?? EXTENT.exec(before);
    if (found) return found[0];
  }
  return undefined;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : max)}…`;
}

/** Facts whose citations are a side's sentence (or overlap it) are that conflict's facts. */
function linkFacts(conflicts: Conflict[], input: AnalysisInput): Map<string, string[]> {
  const factConflicts = new Map<string, string[]>();
  const touches = (a: Citation, b: Citation): boolean => a.sourceId === b.sourceId && a.start < b.end && b.start < a.end;
  // Only a fact cited from the side's report can touch it: facts by report, in their order.
  const bySource = new Map<string, Fact[]>();
  for (const fact of input.facts) {
    for (const id of new Set(fact.citations.map((c) => c.sourceId))) (bySource.get(id) ?? bySource.set(id, []).get(id)!).push(fact);
  }
  for (const conflict of conflicts) {
    for (const side of conflict.sides) {
      for (const fact of bySource.get(side.citation.sourceId) ?? []) {
        if (!fact.citations.some((c) => touches(c, side.citation))) continue;
        side.factId ??= fact.id;
        const ids = factConflicts.get(fact.id) ?? [];
        if (!ids.includes(conflict.id)) factConflicts.set(fact.id, [...ids, conflict.id]);
      }
    }
  }
  return factConflicts;
}
