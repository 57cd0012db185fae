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
import { citationOf, mentionsBySource, shortHash } from './analysis-text.js';
import { tidyWhitespace } from './text.js';
import { extractClaims } from './claims.js';
import { eventKinds, kindMatches, mainKind } from './events.js';
import type { Citation, Claim, Conflict, Entity, EntityId, Fact, Source } from './model.js';
import type { AnalysisInput, Mention, Sentence } from './sentence.js';

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
  const kept = new KeptConflicts(input.entities);
  kept.add(input.sources, input.sentences, input.mentions);
  return kept.result(claims, input.facts);
}

/**
 * The conflicts stage's state, kept so that a story growing at its end (every added report
 * sorts after the others) is extended in place: what each sentence says of killings, titles and
 * deaths is read once, the sides stay grouped by victim and by person, and a group or claim that
 * did not change keeps its conflict. {@link KeptConflicts.result} gives exactly what
 * {@link findConflicts} gives over all the reports added so far.
 */
export class KeptConflicts {
  private readonly labels: Map<EntityId, Entity>;
  private readonly published = new Map<string, string>();
  private readonly byVictim = new Map<EntityId, Side[]>();
  /** Title sides of every person, the dead included (left out when the conflicts are made). */
  private readonly byPerson = new Map<EntityId, Side[]>();
  private readonly dead = new Set<EntityId>();
  /** The first sentence at each report and offset (what a claim's citation names). */
  private readonly at = new Map<string, Sentence>();
  private readonly agentMade = new Map<EntityId, { sides: number; conflict: Conflict | undefined }>();
  private readonly titleMade = new Map<EntityId, { sides: number; conflicts: Conflict[] }>();
  private readonly extentMade = new WeakMap<Claim, Conflict | undefined>();

  constructor(entities: Entity[]) {
    this.labels = new Map(entities.map((e) => [e.id, e]));
  }

  /** Read more reports (each sorting after every report read so far): sources, their sentences and mentions in order. */
  add(sources: readonly Source[], sentences: readonly Sentence[], mentions: Mention[]): void {
    for (const s of sources) this.published.set(s.id, s.published);
    const bySource = mentionsBySource(mentions);
    const entities = this.labels;
    for (const sentence of sentences) {
      const key = `${sentence.sourceId}|${sentence.start}`;
      if (!this.at.has(key)) this.at.set(key, sentence);
      const own = mentionsIn(sentence, bySource);
      for (const side of agentSides(sentence, own, entities)) push(this.byVictim, side.victim, side.side);
      for (const id of deadIn(sentence, own, entities)) this.dead.add(id);
      for (const side of titleSides(sentence, own, entities)) push(this.byPerson, side.person, side.side);
    }
  }

  /** The conflicts of every report read so far, and for each of `facts` (or the facts cited from each report) the conflicts it is a side of. */
  result(claims: readonly Claim[], facts: readonly Fact[] | FactsOfReport): ConflictResult {
    const conflicts: Conflict[] = [...this.agentConflicts(), ...this.titleConflicts(), ...this.extentConflicts(claims)];
    return { conflicts, factConflicts: linkFacts(conflicts, facts) };
  }

  private agentConflicts(): Conflict[] {
    const out: Conflict[] = [];
    for (const [victim, sides] of this.byVictim) {
      let made = this.agentMade.get(victim);
      if (made?.sides !== sides.length) {
        const conflict = new Set(sides.map((s) => key(s.value))).size > 1 ? agentConflict(victim, sides, this.labels) : undefined;
        this.agentMade.set(victim, (made = { sides: sides.length, conflict }));
      }
      if (made.conflict) out.push(made.conflict);
    }
    return out;
  }

  private titleConflicts(): Conflict[] {
    const out: Conflict[] = [];
    for (const [person, sides] of this.byPerson) {
      if (this.dead.has(person)) continue;
      let made = this.titleMade.get(person);
      if (made?.sides !== sides.length) this.titleMade.set(person, (made = { sides: sides.length, conflicts: personTitleConflicts(person, sides, this.published, this.labels) }));
      out.push(...made.conflicts);
    }
    return out;
  }

  private extentConflicts(claims: readonly Claim[]): Conflict[] {
    const out: Conflict[] = [];
    for (const claim of claims) {
      if (!this.extentMade.has(claim)) this.extentMade.set(claim, extentConflict(claim, this.at));
      const conflict = this.extentMade.get(claim);
      if (conflict) out.push(conflict);
    }
    return out;
  }
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

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  map.set(k, [...(map.get(k) ?? []), v]);
}

/** Who killed whom, as one sentence tells it: the victim is the last person named before the verb. */
function agentSides(sentence: Sentence, own: Mention[], entities: Map<EntityId, Entity>): Array<{ victim: EntityId; side: Side }> {
  const out: Array<{ victim: EntityId; side: Side }> = [];
  for (const m of sentence.text.matchAll(KILLED_BY)) {
    const at = sentence.start + m.index;
    const victim = own.filter((x) => x.end <= at && entities.get(x.entityId)?.type === 'person').at(-1);
    if (!victim) continue;
    const agentStart = at + m[0].length - (m[1] ?? '').length;
    const agent = own.find((x) => x.start >= agentStart && x.start < at + m[0].length);
    out.push({ victim: victim.entityId, side: { value: agent?.entityId ?? m[1] ?? '', sentence } });
  }
  return out;
}

/** One victim's agents disagree. */
function agentConflict(victim: EntityId, sides: Side[], entities: Map<EntityId, Entity>): Conflict {
  return conflictOf('agent', `Who killed ${entities.get(victim)?.label ?? victim}`, victim, sides, sides.map((s) => s.value).filter((v) => entities.has(v)));
}

/**
 * A person called "former X" by one report and plain "X" by another of the same time or later.
 * A title changes with time: "vice president" in a report of 18 August and "former vice
 * president" in one of 6 September tell history, not a disagreement. So only a current title
 * published on or after a "former" one contradicts it, each report is one side (its first
 * sentence that gives the title), and a person the story reports dead holds no office to
 * disagree about ("former commander" of a man killed in 2001).
 */
function titleSides(sentence: Sentence, own: Mention[], entities: Map<EntityId, Entity>): Array<{ person: EntityId; side: Side }> {
  const out: Array<{ person: EntityId; side: Side }> = [];
  for (const mention of own) {
    if (entities.get(mention.entityId)?.type !== 'person') continue;
    const rest = sentence.text.slice(mention.end - sentence.start);
    const after = TITLE_AFTER.exec(rest);
    const before = TITLE_BEFORE.exec(sentence.text.slice(0, mention.start - sentence.start));
    let title = tidyWhitespace(after?.[1] ?? before?.[1] ?? '');
    // "the first vice president of the ousted government" held the office in a government gone.
    if (after && OF_A_FORMER_GOVERNMENT.test(rest.slice(after[0].length))) title = `former ${title}`;
    if (title) out.push({ person: mention.entityId, side: { value: title, sentence } });
  }
  return out;
}

/** The office a title names, and whether it is a former one: worked out once per wording (titles repeat). */
const offices = new Map<string, { office: string; former: boolean }>();
function titleOf(title: string): { office: string; former: boolean } {
  let known = offices.get(title);
  if (known === undefined) {
    known = { office: (/vice[ -]president/iu.exec(title)?.[0] ?? new RegExp(ROLE, 'iu').exec(title)?.[0] ?? title).toLowerCase().replace('-', ' '), former: FORMER.test(title) };
    if (offices.size < 10_000) offices.set(title, known);
  }
  return known;
}
const officeOf = (title: string): string => titleOf(title).office;
const isFormer = (title: string): boolean => titleOf(title).former;

/** One (living) person's titles: a current one against an earlier "former" one of the same office. */
function personTitleConflicts(person: EntityId, sides: Side[], published: ReadonlyMap<string, string>, entities: Map<EntityId, Entity>): Conflict[] {
  const conflicts: Conflict[] = [];
  // Only a current title against a "former" one of the same office is a contradiction.
  const byOffice = new Map<string, Side[]>();
  for (const s of sides) {
    const list = byOffice.get(officeOf(s.value));
    if (list) list.push(s);
    else byOffice.set(officeOf(s.value), [s]);
  }
  for (const [officeName, same] of byOffice) {
    const firstPerSource = (list: Side[]): Side[] => {
      const seen = new Set<string>();
      return list.filter((s) => !seen.has(s.sentence.sourceId) && seen.add(s.sentence.sourceId));
    };
    const day = (s: Side): string => published.get(s.sentence.sourceId) ?? '';
    const former = firstPerSource(same.filter((s) => isFormer(s.value)));
    const current = firstPerSource(same.filter((s) => !isFormer(s.value)));
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
  return conflicts;
}

/** "… of the ousted government": a title held in a government that is gone. */
const OF_A_FORMER_GOVERNMENT = /^\s+(?:of|in|from)\s+(?:the\s+)?(?:ousted|former|previous|toppled|collapsed|deposed|fallen)\b/iu;

/** People a sentence reports dead: the victim of a killing, or called "the late" / "the slain". */
function deadIn(sentence: Sentence, own: Mention[], entities: Map<EntityId, Entity>): EntityId[] {
  const dead: EntityId[] = [];
  for (const m of own) {
    if (entities.get(m.entityId)?.type !== 'person') continue;
    const before = sentence.text.slice(Math.max(0, m.start - sentence.start - 40), m.start - sentence.start);
    const after = sentence.text.slice(m.end - sentence.start, m.end - sentence.start + 40);
    if (/\b(?:late|slain|assassinated|murdered)\s+(?:[\p{L}-]+\s+){0,4}$/iu.test(before)) dead.push(m.entityId);
    if (/^,?\s+(?:who\s+)?(?:was|had been)\s+(?:killed|murdered|assassinated|slain)\b/iu.test(after)) dead.push(m.entityId);
  }
  return dead;
}

/** One claim told with different extents ("surrounded" vs "surrounded on three sides"); `at` gives a citation's sentence by report and offset. */
function extentConflict(claim: Claim, at: ReadonlyMap<string, Sentence>): Conflict | undefined {
  const kind = mainKind(eventKinds(claim.statement));
  if (!kind) return undefined;
  const sides: Side[] = [];
  for (const c of claim.citations) {
    const sentence = at.get(`${c.sourceId}|${c.start}`);
    if (sentence) sides.push({ value: extentOf(sentence.text, kind) ?? 'without qualification', sentence });
  }
  const values = new Set(sides.map((s) => key(s.value)));
  if (values.size < 2) return undefined;
  // One side per wording: the first sentence that gives each extent.
  const distinct = sides.filter((s, i) => sides.findIndex((o) => key(o.value) === key(s.value)) === i);
  const subject = claim.claimant.entityId ?? claim.claimant.text;
  return conflictOf('extent', `How far: ${claim.claimant.text} — ${shorten(claim.statement, 60)}`, subject, distinct, claim.entities);
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
function linkFacts(conflicts: Conflict[], facts: readonly Fact[] | FactsOfReport): Map<string, string[]> {
  const factsOf = typeof facts === 'function' ? facts : factsByReport(facts);
  const factConflicts = new Map<string, string[]>();
  const touches = (a: Citation, b: Citation): boolean => a.sourceId === b.sourceId && a.start < b.end && b.start < a.end;
  for (const conflict of conflicts) {
    for (const side of conflict.sides) {
      for (const { fact, citations } of factsOf(side.citation.sourceId)) {
        if (!citations.some((c) => touches(c, side.citation))) continue;
        side.factId ??= fact.id;
        const ids = factConflicts.get(fact.id) ?? [];
        if (!ids.includes(conflict.id)) factConflicts.set(fact.id, [...ids, conflict.id]);
      }
    }
  }
  return factConflicts;
}

/**
 * The facts cited from a report, in the order of the facts, each with its citations of that
 * report: only such a fact can touch a side of that report (a fact corroborated by thousands of
 * reports is not read whole for every side).
 */
export type FactsOfReport = (sourceId: string) => ReadonlyArray<{ fact: Fact; citations: readonly Citation[] }>;

function factsByReport(facts: readonly Fact[]): FactsOfReport {
  const bySource = new Map<string, Array<{ fact: Fact; citations: Citation[] }>>();
  for (const fact of facts) {
    const own = new Map<string, Citation[]>();
    for (const c of fact.citations) (own.get(c.sourceId) ?? own.set(c.sourceId, []).get(c.sourceId)!).push(c);
    for (const [id, citations] of own) (bySource.get(id) ?? bySource.set(id, []).get(id)!).push({ fact, citations });
  }
  return (id) => bySource.get(id) ?? [];
}
