/**
 * The name index behind `/who`, `/where` and autocomplete.
 *
 * fuse.js scores a query well but scans every name; this index finds a small candidate set
 * first and lets fuse.js score only that:
 * 1. a normalised-name map (exact match, O(1)) and a skeleton map (transliteration variant);
 * 2. a token index (word and word-skeleton → names), which also covers descriptions;
 * 3. a trigram index over each name and its skeleton, whose overlap picks the typo'd ones.
 * The best {@link CANDIDATE_LIMIT} by token hits and trigram overlap are scored by rules
 * (exact, variant, all-words-covered) and by fuse.js; an entity's score is its best name's.
 */
import Fuse from 'fuse.js';
import type { Entity, EntityType, LinkRelation } from '../knowledge/model.js';
import type { EntityHit } from '../search/types.js';
import { boundedEditDistance, typoAllowance } from './edit-distance.js';
import { isArticleToken, normaliseText, queryText, skeletonKey, skeletonToken, STOPWORDS, trigrams } from './normalise.js';
import { fuseChunks, predictFuseScore } from './fuse-screen.js';
import { TopK } from './top-k.js';

/**
 * How a name belongs to its entity. Descriptions only match on whole words, and weakly; a
 * `linked-role` ("Taliban spokesman", made from a spokesman-for link) only when the query names
 * the role word too, so "massoud" does not find Massoud's adviser.
 */
export type NameKind = 'label' | 'alias' | 'role' | 'linked-role' | 'description';

interface NameEntry {
  entity: number;
  kind: NameKind;
  text: string;
  norm: string;
  skel: string;
  tokens: string[];
  skelTokens: string[];
  /** Words that are not stopwords: what "all words covered" counts against. */
  contentTokens: number;
  gramCount: number;
  /** A word the query must contain for this name to count (the role word of a linked role). */
  requires?: string;
}

/** A scored name: the entity index, the name entry, and the score (0 best). */
export interface ScoredName {
  entity: number;
  entry: number;
  score: number;
  exact: boolean;
}

/** Names picked by trigram and word overlap per query, at most. */
const CANDIDATE_LIMIT = 150;
/** Of those, the names fuse.js scores (the ones the rules could not), at most. */
const FUSE_CANDIDATE_LIMIT = 50;
/** Names scanned for an autocomplete prefix, at most. */
const RULE_CANDIDATE_LIMIT = 3000;
/** Names holding every query word that the rules score, most mentioned first, at most. */
const COVERED_LIMIT = 300;
/** A gram in more than this share of names (and at least COMMON_GRAM_MIN) is "common". */
const COMMON_GRAM_SHARE = 0.01;
const COMMON_GRAM_MIN = 300;
/** At least this many grams are counted, however common. */
const MIN_GRAMS = 4;
const MAX_QUERY_TOKENS = 12;
const SKELETON_GRAM_PREFIX = '\u0001';
const SKELETON_TOKEN_PREFIX = '~';

/** Score of a one-word alias that is also a word of the label (a surname): as good as a word match. */
const SURNAME_ALIAS_SCORE = 0.1;
const SKELETON_EXACT_SCORE = 0.03;
const ROLE_EXACT_SCORE = 0.02;
const COVERAGE_BASE_SCORE = 0.1;
/** Added in proportion to the name's words the query left out: a full name beats a surname. */
const UNCOVERED_WEIGHT = 0.15;
const DESCRIPTION_PENALTY = 0.2;
/** fuse.js finds substrings perfect; this floor keeps "a fuzzy hit" below "all words matched". */
const FUSE_FLOOR = 0.2;
const FUSE_THRESHOLD = 0.45;
/** Fuzzy hits past SUGGEST_FUZZY_LIMIT (look-alikes, completions) are only wanted for a "did you mean" list. */
const WEAK_HITS_WANTED = 5;
/** Queries shorter than this are matched on whole words and names only, not fuzzily. */
const MIN_FUZZY_QUERY_LENGTH = 4;
/** Trigram/word overlap that makes a name worth suggesting even when nothing else matched. */
const WEAK_OVERLAP = 0.35;
/** Weak fuzzy completions fuse.js scores at most (the last tier: filler for an otherwise short list). */
const WEAK_COMPLETIONS = 10;
/** Fuzzy completions worse than this are noise. */
const SUGGEST_FUZZY_LIMIT = 0.45;
/** The fuse.js score that maps to SUGGEST_FUZZY_LIMIT: anything worse is neither answer nor look-alike. */
const FUSE_STRONG_THRESHOLD = (SUGGEST_FUZZY_LIMIT - FUSE_FLOOR) / (1 - FUSE_FLOOR);

/** Role phrases implied by a typed link ("spokesman for" the Taliban → "Taliban spokesman"). */
const ROLE_TEMPLATES: Partial<Record<LinkRelation, { word: string; templates: string[] }>> = {
  'spokesman-for': { word: 'spokesman', templates: ['{} spokesman', 'spokesman for {}'] },
  leads: { word: 'leader', templates: ['{} leader', 'leader of {}'] },
  'adviser-to': { word: 'adviser', templates: ['adviser to {}'] },
  founded: { word: 'founder', templates: ['founder of {}'] },
  'member-of': { word: 'member', templates: ['{} member'] },
};

/** Mutable scratch arrays reused by every query (queries run one at a time on the event loop). */
interface Scratch {
  tokenHits: Uint8Array;
  gramHits: Uint16Array;
  stamp: Uint32Array;
  /** Names with a word or gram hit this query: `touched[0 .. touchedCount)`. */
  touched: Uint32Array;
  touchedCount: number;
  stampValue: number;
  top: TopK;
  covered: TopK;
  wordLists: Array<readonly number[]>;
  descriptionLists: Array<readonly number[]>;
  gramLists: Array<Uint32Array | number[]>;
  rule: Uint32Array;
}

/**
 * What a caller of {@link EntityIndex.match} will show, so fuse.js scores only the fuzzy names
 * that can get there: the `keep` best by score (plus `penalty` for a type outside `prefer`),
 * any within `tieMargin` of the best answer, and weak ones only when there is no answer.
 */
export interface MatchFocus {
  prefer?: readonly EntityType[];
  penalty: number;
  keep: number;
  tieMargin: number;
  /** Worse than this (with the penalty) the caller has no answer and shows "did you mean". */
  answerThreshold: number;
  /** How many the "did you mean" list shows (best by score alone). */
  keepByScore: number;
}

/**
 * A query's candidate names, in the scratch and refilled by the next query: `rule[0 ..
 * ruleCount)` the rules score (exact and variant names, names holding every word, the overlap
 * set); `overlap` (sorted, best first) the names by trigram and word overlap, which fuse.js
 * may score.
 */
interface Candidates {
  rule: Uint32Array;
  ruleCount: number;
  overlap: TopK;
  overlapCount: number;
}

const EMPTY: readonly number[] = [];
const FLAG_DESCRIPTION = 1;
const FLAG_REQUIRES = 2;

/** The candidate index over every entity's names. Immutable once built. */
export class EntityIndex {
  private readonly entityList: Entity[];
  private readonly entries: NameEntry[] = [];
  private readonly exact = new Map<string, number[]>();
  private readonly skeletons = new Map<string, number[]>();
  /** Word and word-skeleton → names (labels, aliases, roles). */
  private readonly tokens = new Map<string, number[]>();
  /** Word and word-skeleton → descriptions, kept apart: they only ever match on every word. */
  private readonly descriptionTokens = new Map<string, number[]>();
  /** Gram → names; typed arrays after the build, plain arrays once an addition touched them. */
  private readonly grams = new Map<string, Uint32Array | number[]>();
  /** Name entries (not descriptions) sorted by normal form, for prefix search. */
  private readonly sortedNames: number[];
  /** Distinct name words, sorted, for word-prefix search. */
  private readonly sortedTokens: string[];
  private readonly idToIndex = new Map<string, number>();
  private readonly labelEntries = new Map<number, number>();
  private scratch: Scratch;
  /**
   * Per name entry, what the candidate loops read, in typed arrays: they visit thousands of
   * names per query at 50,000 entities, and a typed array is far cheaper to walk than objects.
   */
  private entryFlags = new Uint8Array(0);
  /** Last word of a label or alias → its entities, most mentioned first: namesakes without a scan. */
  private readonly surnames = new Map<string, number[]>();
  private entryGramCount = new Uint16Array(0);
  /** Order among names holding every query word: most mentioned, then fewest words. */
  private entryCoveredKey = new Float64Array(0);

  constructor(entities: readonly Entity[]) {
    this.entityList = [...entities];
    entities.forEach((entity, index) => this.idToIndex.set(entity.id, index));
    const gramLists = new Map<string, number[]>();
    entities.forEach((entity, index) => {
      for (const [kind, text, requires] of this.namesOf(entity)) this.addEntry(index, kind, text, gramLists, requires);
    });
    for (const [gram, list] of gramLists) this.grams.set(gram, Uint32Array.from(list));
    const named = [];
    for (let i = 0; i < this.entries.length; i++) if ((this.entries[i] as NameEntry).kind !== 'description') named.push(i);
    named.sort((a, b) => compareStrings((this.entries[a] as NameEntry).norm, (this.entries[b] as NameEntry).norm));
    this.sortedNames = named;
    const words = new Set<string>();
    for (const i of named) for (const t of (this.entries[i] as NameEntry).tokens) words.add(t);
    this.sortedTokens = [...words].sort(compareStrings);
    this.scratch = newScratch(this.entries.length);
    this.buildEntryArrays();
    for (let entry = 0; entry < this.entries.length; entry++) this.addSurname(entry);
  }

  private buildEntryArrays(): void {
    const n = this.entries.length;
    this.entryFlags = new Uint8Array(n);
    this.entryGramCount = new Uint16Array(n);
    this.entryCoveredKey = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = this.entries[i] as NameEntry;
      this.entryFlags[i] = (e.kind === 'description' ? FLAG_DESCRIPTION : 0) | (e.requires !== undefined ? FLAG_REQUIRES : 0);
      this.entryGramCount[i] = Math.min(65535, e.gramCount);
      this.entryCoveredKey[i] = this.mentions(e.entity) - e.contentTokens / 100;
    }
  }

  /** Every indexed entity, in index order. */
  get entities(): readonly Entity[] {
    return this.entityList;
  }

  /**
   * Adds entities whose ids are new, in place (a new article's people and places); the caller
   * rebuilds the index instead when an existing entity changed.
   */
  addEntities(added: readonly Entity[]): void {
    const firstEntry = this.entries.length;
    const fresh = [...new Map(added.map((e) => [e.id, e] as const)).values()].filter((e) => !this.idToIndex.has(e.id));
    for (const entity of fresh) {
      this.idToIndex.set(entity.id, this.entityList.length);
      this.entityList.push(entity);
    }
    const gramLists = new Map<string, number[]>();
    for (const entity of fresh) {
      const index = this.idToIndex.get(entity.id) as number;
      for (const [kind, text, requires] of this.namesOf(entity)) this.addEntry(index, kind, text, gramLists, requires);
    }
    for (const [gram, list] of gramLists) {
      const existing = this.grams.get(gram);
      if (!existing) this.grams.set(gram, list);
      else if (Array.isArray(existing)) existing.push(...list);
      else this.grams.set(gram, [...existing, ...list]);
    }
    const words = new Set(this.sortedTokens);
    for (let entry = firstEntry; entry < this.entries.length; entry++) {
      const e = this.entries[entry] as NameEntry;
      if (e.kind === 'description') continue;
      insertSorted(this.sortedNames, entry, (a, b) => compareStrings((this.entries[a] as NameEntry).norm, (this.entries[b] as NameEntry).norm));
      for (const token of e.tokens) {
        if (words.has(token)) continue;
        words.add(token);
        insertSorted(this.sortedTokens, token, compareStrings);
      }
    }
    this.scratch = newScratch(this.entries.length);
    this.buildEntryArrays();
    for (let entry = firstEntry; entry < this.entries.length; entry++) this.addSurname(entry);
  }

  /** Number of indexed names (labels, aliases, roles, descriptions). */
  get size(): number {
    return this.entries.length;
  }

  entityIndexOf(id: string): number | undefined {
    return this.idToIndex.get(id);
  }

  /** The name entry of an entity's label. */
  labelEntry(entity: number): number | undefined {
    return this.labelEntries.get(entity);
  }

  /** What kind of name an entry is. */
  entryKind(entry: number): NameKind {
    return (this.entries[entry] as NameEntry).kind;
  }

  /**
   * Every entity that could match `query`, each with its best-scoring name, best first.
   * Scores: 0 exact name; 0.02–0.03 exact role / transliteration variant; 0.1–0.15 every word
   * of the query matches a word of the name; fuse.js's score (≥ 0.12) otherwise.
   */
  match(query: string, focus?: MatchFocus): ScoredName[] {
    const q = prepareQuery(query);
    if (!q) return [];
    return this.matchPrepared(q, undefined, focus);
  }

  /**
   * {@link match} for a prepared query. `weakKeep` keeps only the best so many fuzzy hits past
   * SUGGEST_FUZZY_LIMIT; `skipFuzzy` names entities whose fuzzy hits the caller will not use.
   */
  private matchPrepared(q: PreparedQuery, skipFuzzy?: (entity: number) => boolean, focus?: MatchFocus, weakKeep?: number): ScoredName[] {
    const candidates = this.candidates(q);
    const best = new Map<number, ScoredName>();
    const consider = (scored: ScoredName) => {
      const previous = best.get(scored.entity);
      if (!previous || scored.score < previous.score || (scored.score === previous.score && scored.exact && !previous.exact)) {
        best.set(scored.entity, scored);
      }
    };
    const s = this.scratch;
    s.stampValue++;
    const ruled = s.stampValue;
    for (let i = 0; i < candidates.ruleCount; i++) {
      const entry = candidates.rule[i] as number;
      const score = this.ruleScore(entry, q);
      if (score === undefined) continue;
      s.stamp[entry] = ruled;
      consider(score);
    }
    // fuse.js scores what the rules could not: typos inside words, merged or split words.
    const fuzzy: number[] = [];
    for (let i = 0; i < candidates.overlapCount; i++) {
      const entry = candidates.overlap.idAt(i);
      if (fuzzy.length >= FUSE_CANDIDATE_LIMIT) break;
      if (s.stamp[entry] !== ruled && (this.entries[entry] as NameEntry).kind !== 'linked-role') fuzzy.push(entry);
    }
    const claimed = new Set<number>();
    // fuse.js finds any short string inside some name: too short or stopword-only queries skip it.
    if (fuzzy.length > 0 && q.contentTokens.length > 0 && q.norm.length >= MIN_FUZZY_QUERY_LENGTH) {
      const pattern = q.norm.slice(0, 64);
      const chunks = fuseChunks(pattern);
      // Which names fuse.js will match, and how well, is known beforehand (fuse-screen.ts):
      // fuse.js scores first the names good enough to be an answer or a look-alike, and the
      // weaker ones only when the query has too few hits for a "did you mean" list. Either
      // way each name gets the score one fuse.js pass over all of them would give it.
      // An entity keeps only its best name, so fuse.js needs only the name of each entity that
      // would beat what the entity already has (the first of equals, as fuse.js orders them).
      const strong: number[] = [];
      const weak: number[] = [];
      const bestFuzzy = new Map<number, { entry: number; predicted: number }>();
      for (const entry of fuzzy) {
        const e = this.entries[entry] as NameEntry;
        if (skipFuzzy?.(e.entity)) continue;
        const predicted = predictFuseScore(chunks, e.norm, FUSE_THRESHOLD);
        if (predicted < 0) continue;
        const already = best.get(e.entity);
        if (already && already.score <= FUSE_FLOOR + (1 - FUSE_FLOOR) * predicted) continue;
        const previous = bestFuzzy.get(e.entity);
        if (!previous || predicted < previous.predicted) bestFuzzy.set(e.entity, { entry, predicted });
      }
      for (const entry of fuzzy) {
        const chosen = bestFuzzy.get((this.entries[entry] as NameEntry).entity);
        if (chosen?.entry === entry) (chosen.predicted <= FUSE_STRONG_THRESHOLD ? strong : weak).push(entry);
      }
      // Entities fuse.js would find but the caller will not show are left out, not demoted to
      // weak overlap hits below.
      for (const entry of strong) claimed.add((this.entries[entry] as NameEntry).entity);
      if (focus) this.keepFocused(strong, bestFuzzy, best, focus);
      const fuseHit = (entry: number, fuseScore: number) => {
        consider({ entity: (this.entries[entry] as NameEntry).entity, entry, score: FUSE_FLOOR + (1 - FUSE_FLOOR) * fuseScore, exact: false });
      };
      this.fuseScore(pattern, strong, fuseHit);
      // Weak hits fill a "did you mean" list: wanted when the query has few good hits and, for a
      // caller that says what it shows, only when no answer was found.
      if (weak.length > 0 && this.countWithin(best, SUGGEST_FUZZY_LIMIT) < WEAK_HITS_WANTED && (!focus || this.bestEffective(best, focus) > focus.answerThreshold)) {
        const weakLimit = focus ? focus.keep : weakKeep;
        if (weakLimit !== undefined && weak.length > weakLimit) {
          // A "did you mean" list is ordered by score: the best few weak names are enough.
          const predictedOf = (entry: number) => (bestFuzzy.get((this.entries[entry] as NameEntry).entity) as { predicted: number }).predicted;
          const order = weak.map((entry, i) => ({ entry, i, p: predictedOf(entry) })).sort((a, b) => a.p - b.p || a.i - b.i);
          const kept = new Set(order.slice(0, weakLimit).map((o) => o.entry));
          for (const entry of weak) claimed.add((this.entries[entry] as NameEntry).entity);
          this.fuseScore(pattern, weak.filter((entry) => kept.has(entry)), fuseHit);
        } else {
          this.fuseScore(pattern, weak, fuseHit);
        }
      }
    }
    // Names that share much of the query's letters but fit no rule and no fuzzy match stay
    // as weak hits (score ≥ 0.5): never an answer, but a "did you mean" for a near miss.
    for (let i = 0; i < candidates.overlapCount; i++) {
      const id = candidates.overlap.idAt(i);
      const key = candidates.overlap.keyAt(i);
      const e = this.entries[id] as NameEntry;
      if (key < WEAK_OVERLAP || best.has(e.entity) || claimed.has(e.entity) || e.kind === 'linked-role' || e.kind === 'description') continue;
      consider({ entity: e.entity, entry: id, score: 1 - 0.5 * Math.min(1, key), exact: false });
    }
    return [...best.values()].sort((a, b) => a.score - b.score || this.mentions(b.entity) - this.mentions(a.entity) || a.entity - b.entity);
  }

  /** Scores names against `pattern` with fuse.js; calls `hit` per match. */
  private fuseScore(pattern: string, entries: readonly number[], hit: (entry: number, score: number) => void): void {
    if (entries.length === 0) return;
    // A plain string list: fuse.js builds no key records for it, and scores it the same.
    const fuse = new Fuse(
      entries.map((entry) => (this.entries[entry] as NameEntry).norm),
      { includeScore: true, ignoreLocation: true, threshold: FUSE_THRESHOLD },
    );
    for (const result of fuse.search(pattern)) hit(entries[result.refIndex] as number, result.score ?? 1);
  }

  /**
   * Cuts `strong` (fuzzy names, in candidate order) to the ones that can reach what the caller
   * shows: the `keep` best by the caller's order, and every one tied with the best answer.
   */
  private keepFocused(strong: number[], predicted: ReadonlyMap<number, { predicted: number }>, best: ReadonlyMap<number, ScoredName>, focus: MatchFocus): void {
    if (strong.length <= focus.keep) return;
    const effective = (entity: number, score: number) => this.effective(entity, score, focus);
    let bestEffective = this.bestEffective(best, focus);
    const ranked = strong.map((entry, order) => {
      const entity = (this.entries[entry] as NameEntry).entity;
      const score = FUSE_FLOOR + (1 - FUSE_FLOOR) * (predicted.get(entity) as { predicted: number }).predicted;
      return { entry, order, score, eff: effective(entity, score) };
    });
    for (const r of ranked) bestEffective = Math.min(bestEffective, r.eff);
    const kept = new Set<number>();
    // Without an answer, "did you mean" lists the best by score alone.
    ranked.sort((a, b) => a.score - b.score || a.order - b.order);
    for (const r of ranked.slice(0, focus.keepByScore)) kept.add(r.entry);
    ranked.sort((a, b) => a.eff - b.eff || a.order - b.order);
    ranked.forEach((r, i) => {
      if (i < focus.keep || r.eff <= bestEffective + focus.tieMargin) kept.add(r.entry);
    });
    let write = 0;
    for (const entry of strong) if (kept.has(entry)) strong[write++] = entry;
    strong.length = write;
  }

  /** A score as the caller ranks it: plus the penalty for a type it does not prefer. */
  effective(entity: number, score: number, focus: MatchFocus): number {
    return score + (focus.prefer && focus.prefer.length > 0 && !focus.prefer.includes((this.entities[entity] as Entity).type) ? focus.penalty : 0);
  }

  private bestEffective(best: ReadonlyMap<number, ScoredName>, focus: MatchFocus): number {
    let min = Infinity;
    for (const scored of best.values()) min = Math.min(min, this.effective(scored.entity, scored.score, focus));
    return min;
  }

  private countWithin(best: ReadonlyMap<number, ScoredName>, limit: number): number {
    let count = 0;
    for (const scored of best.values()) if (scored.score <= limit) count++;
    return count;
  }

  /**
   * Autocomplete tiers for a partial name: 0 exact name, 1 name prefix, 2 word prefix or
   * contains, 3 fuzzy, 4 weak fuzzy (only filling places nothing better took); within tiers
   * 1–2 the closest completion and the most mentioned first, within 3–4 the best score.
   * Deduplicated by entity.
   */
  suggest(query: string, limit: number, types?: readonly EntityType[]): Array<ScoredName & { tier: number }> {
    const q = prepareQuery(query);
    if (!q || limit <= 0) return [];
    const accept = (entity: number) => !types || types.length === 0 || types.includes((this.entities[entity] as Entity).type);
    const chosen = new Map<number, ScoredName & { tier: number }>();
    const offer = (entry: number, offeredTier: number, score: number) => {
      let tier = offeredTier;
      const e = this.entries[entry] as NameEntry;
      if (!accept(e.entity)) return;
      if (tier < 3 && e.kind !== 'label' && e.kind !== 'alias') tier = 3;
      if (e.kind === 'description' || e.kind === 'linked-role') return;
      const previous = chosen.get(e.entity);
      if (previous && (previous.tier < tier || (previous.tier === tier && previous.score < score))) return;
      // Same tier and score: show the label rather than a variant spelling.
      if (previous && previous.tier === tier && previous.score === score && (e.kind !== 'label' || this.entryKind(previous.entry) === 'label')) return;
      chosen.set(e.entity, { entity: e.entity, entry, score, exact: tier === 0 && e.norm === q.norm, tier });
    };
    for (const entry of this.exact.get(q.norm) ?? []) offer(entry, 0, 0);
    for (const entry of this.skeletons.get(q.skel) ?? []) offer(entry, 0, SKELETON_EXACT_SCORE);
    this.scanNamePrefix(q.norm, (entry) => offer(entry, 1, 0.05));
    this.scanWordPrefix(q, (entry) => offer(entry, 2, 0.08));
    if (chosen.size < limit) {
      // Completions never show entities of other types, and a fuzzy hit never displaces a name
      // already offered as a completion (tier ≤ 2): fuse.js need not find those.
      const skip = (entity: number) => !accept(entity) || (chosen.get(entity)?.tier ?? 3) <= 2;
      for (const scored of this.matchPrepared(q, skip, undefined, Math.min(WEAK_COMPLETIONS, Math.max(0, limit - chosen.size)))) {
        const e = this.entries[scored.entry] as NameEntry;
        // A weak fuzzy hit (fuse.js's field norm makes a typo in a three-word name one) only
        // fills the places nothing better took: a last tier, rather than an empty list.
        if (scored.score > SUGGEST_FUZZY_LIMIT) offer(scored.entry, 4, scored.score);
        else offer(scored.entry, e.norm.includes(q.norm) ? 2 : 3, scored.score);
      }
    }
    // Sort keys computed once per choice, not per comparison (a common prefix offers thousands).
    const ranked = [...chosen.values()].map((c) => ({
      c,
      fuzzy: c.tier >= 3 ? c.score : 0,
      share: c.tier === 1 || c.tier === 2 ? this.completionShare(c.entry, q.norm) : 0,
      mentions: this.mentions(c.entity),
      length: (this.entries[c.entry] as NameEntry).norm.length,
    }));
    ranked.sort(
      (a, b) =>
        a.c.tier - b.c.tier ||
        a.fuzzy - b.fuzzy ||
        b.share - a.share ||
        b.mentions - a.mentions ||
        a.length - b.length ||
        a.c.entity - b.c.entity,
    );
    return ranked.slice(0, limit).map((r) => r.c);
  }

  /** How much of a name the typed text already covers, in tenths: closer completions first. */
  private completionShare(entry: number, typed: string): number {
    return Math.round((10 * typed.length) / Math.max(typed.length, (this.entries[entry] as NameEntry).norm.length));
  }

  /** Entities whose label shares its last word (the surname) with this entity's label, most mentioned first. */
  namesakes(entity: number, limit: number): number[] {
    const label = this.labelTokens(entity);
    const surname = label[label.length - 1];
    if (label.length < 2 || !surname) return [];
    const out: number[] = [];
    for (const other of this.surnames.get(surname) ?? EMPTY) {
      if (out.length >= limit) break;
      if (other !== entity) out.push(other);
    }
    return out;
  }

  /** Files a label's or alias's entity under the name's last word, keeping the list in namesake order. */
  private addSurname(entry: number): void {
    const e = this.entries[entry] as NameEntry;
    if (e.kind !== 'label' && e.kind !== 'alias') return;
    const last = e.tokens[e.tokens.length - 1] as string;
    let list = this.surnames.get(last);
    if (!list) this.surnames.set(last, (list = []));
    if (list.includes(e.entity)) return;
    insertSorted(list, e.entity, (a, b) => this.mentions(b) - this.mentions(a) || a - b);
  }

  /** How often the sources mention an entity: the relevance order among equals. */
  mentions(entity: number): number {
    return (this.entities[entity] as Entity).mentions.length;
  }

  /** Converts a scored name to the public hit shape. */
  toHit(scored: ScoredName): EntityHit {
    return {
      entity: this.entities[scored.entity] as Entity,
      score: Math.min(1, Math.max(0, scored.score)),
      matched: (this.entries[scored.entry] as NameEntry).text,
      exact: scored.exact,
    };
  }

  // ---- building ------------------------------------------------------------------------------

  private namesOf(entity: Entity): Array<[NameKind, string, string?]> {
    const names: Array<[NameKind, string, string?]> = [['label', entity.label]];
    for (const alias of entity.aliases) names.push(['alias', alias]);
    if (entity.role) names.push(['role', entity.role]);
    for (const link of entity.links) {
      const role = ROLE_TEMPLATES[link.relation];
      const targetIndex = this.idToIndex.get(link.target);
      if (!role || targetIndex === undefined) continue;
      const target = this.entities[targetIndex] as Entity;
      for (const targetName of [target.label, ...target.aliases]) {
        for (const template of role.templates) names.push(['linked-role', template.replace('{}', targetName), role.word]);
      }
    }
    if (entity.description) names.push(['description', entity.description]);
    return names;
  }

  private addEntry(entity: number, kind: NameKind, text: string, gramLists: Map<string, number[]>, requires?: string): void {
    const norm = normaliseText(text);
    if (norm === '') return;
    const id = this.entries.length;
    if (kind === 'label') this.labelEntries.set(entity, id);
    const tokens = norm.split(' ');
    const skel = skeletonKey(norm);
    const skelTokens = tokens.map(skeletonToken);
    let grams: string[] = [];
    if (kind !== 'description') {
      grams = trigrams(norm);
      if (skel !== norm) for (const g of trigrams(skel)) grams.push(SKELETON_GRAM_PREFIX + g);
      push(this.exact, norm, id);
      push(this.skeletons, skel, id);
      for (const gram of grams) push(gramLists, gram, id);
    }
    const contentTokens = tokens.filter((t) => !STOPWORDS.has(t) && !isArticleToken(t)).length || tokens.length;
    this.entries.push({ entity, kind, text, norm, skel, tokens, skelTokens, contentTokens, gramCount: grams.length, ...(requires ? { requires } : {}) });
    const keys = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      keys.add(tokens[i] as string);
      keys.add(SKELETON_TOKEN_PREFIX + (skelTokens[i] as string));
    }
    const wordMap = kind === 'description' ? this.descriptionTokens : this.tokens;
    for (const key of keys) push(wordMap, key, id);
  }

  // ---- querying ------------------------------------------------------------------------------

  private candidates(q: PreparedQuery): Candidates {
    const s = this.scratch;
    s.touchedCount = 0;
    const commonCap = Math.max(COMMON_GRAM_MIN, Math.floor(this.entries.length * COMMON_GRAM_SHARE));
    const wanted = q.contentTokens.length;
    // Word hits: each query word counts once per name, whether it matched as written or as
    // skeleton (the skeleton list of a word holds every name with the word as written too).
    const wordLists = this.wordLists(q, this.tokens, s.wordLists);
    for (let i = 0; i < wanted; i++) {
      // A one- or two-letter word's skeleton ("e" of "Pul-e" → any lone vowel) is in thousands
      // of names and tells nothing: such a word counts as written only.
      const short = (q.contentTokens[i] as string).length <= 2;
      const list = short ? (this.tokens.get(q.contentTokens[i] as string) ?? EMPTY) : (wordLists[i] as readonly number[]);
      for (let k = 0; k < list.length; k++) {
        const entry = list[k] as number;
        if (s.tokenHits[entry] === 0 && s.gramHits[entry] === 0) s.touched[s.touchedCount++] = entry;
        s.tokenHits[entry] = (s.tokenHits[entry] as number) + 1;
      }
    }
    // Grams that half the names share say little and cost most: the rarest grams are counted,
    // common ones only while fewer than MIN_GRAMS have been counted.
    const gramLists = s.gramLists;
    gramLists.length = 0;
    for (const gram of q.grams) {
      const list = this.grams.get(gram);
      if (list) gramLists.push(list);
    }
    gramLists.sort((a, b) => a.length - b.length);
    let usedGrams = 0;
    for (const list of gramLists) {
      if (list.length > commonCap && usedGrams >= MIN_GRAMS) break;
      usedGrams++;
      for (let k = 0; k < list.length; k++) {
        const entry = list[k] as number;
        if (s.tokenHits[entry] === 0 && s.gramHits[entry] === 0) s.touched[s.touchedCount++] = entry;
        s.gramHits[entry] = (s.gramHits[entry] as number) + 1;
      }
    }
    const top = s.top.reset();
    const flags = this.entryFlags;
    const gramCount = this.entryGramCount;
    const gramScale = usedGrams / Math.max(1, q.grams.length);
    const wordWeight = 0.5 / Math.max(1, wanted);
    for (let t = 0; t < s.touchedCount; t++) {
      const entry = s.touched[t] as number;
      const hits = s.tokenHits[entry] as number;
      const gramHits = s.gramHits[entry] as number;
      s.tokenHits[entry] = 0;
      s.gramHits[entry] = 0;
      const flag = flags[entry] as number;
      if (flag & FLAG_DESCRIPTION) continue;
      if (flag & FLAG_REQUIRES && !this.requirementMet(entry, q)) continue;
      // Dice overlap, the name's gram count scaled by the share of query grams counted.
      const dice = (2 * gramHits) / (usedGrams + (gramCount[entry] as number) * gramScale || 1);
      top.offer(entry, dice + hits * wordWeight);
    }
    const overlapCount = top.sortBestFirst();

    // Names and descriptions holding every query word (as written or as skeleton): walk the
    // shortest word list and check the other words on the name itself.
    const covered = s.covered.reset();
    this.offerCovered(q, wordLists, covered);
    this.offerCovered(q, this.wordLists(q, this.descriptionTokens, s.descriptionLists), covered);
    s.stampValue++;
    let ruleCount = 0;
    const addRule = (entry: number) => {
      if (s.stamp[entry] === s.stampValue) return;
      s.stamp[entry] = s.stampValue;
      s.rule[ruleCount++] = entry;
    };
    for (const entry of this.exact.get(q.norm) ?? EMPTY) addRule(entry);
    for (const entry of this.skeletons.get(q.skel) ?? EMPTY) addRule(entry);
    const coveredCount = covered.sortBestFirst();
    for (let i = 0; i < coveredCount; i++) addRule(covered.idAt(i));
    for (let i = 0; i < overlapCount; i++) addRule(top.idAt(i));
    return { rule: s.rule, ruleCount, overlap: top, overlapCount };
  }

  /** Per query word, the names holding it as written or as skeleton. */
  private wordLists(q: PreparedQuery, map: ReadonlyMap<string, readonly number[]>, into: Array<readonly number[]>): Array<readonly number[]> {
    into.length = 0;
    for (let i = 0; i < q.contentTokens.length; i++) {
      into.push(map.get(SKELETON_TOKEN_PREFIX + (q.contentSkeletons[i] as string)) ?? map.get(q.contentTokens[i] as string) ?? EMPTY);
    }
    return into;
  }

  /** Offers every name of the shortest word list that holds all the other query words too. */
  private offerCovered(q: PreparedQuery, wordLists: ReadonlyArray<readonly number[]>, covered: TopK): void {
    const wanted = wordLists.length;
    if (wanted === 0) return;
    let driver = 0;
    for (let i = 1; i < wanted; i++) if ((wordLists[i] as readonly number[]).length < (wordLists[driver] as readonly number[]).length) driver = i;
    const list = wordLists[driver] as readonly number[];
    const flags = this.entryFlags;
    const keys = this.entryCoveredKey;
    for (let k = 0; k < list.length; k++) {
      const entry = list[k] as number;
      if ((flags[entry] as number) & FLAG_REQUIRES && !this.requirementMet(entry, q)) continue;
      if (wanted > 1 && !this.holdsWords(this.entries[entry] as NameEntry, q, driver)) continue;
      covered.offer(entry, keys[entry] as number);
    }
  }

  /** A linked role ("Taliban spokesman") counts only when the query names the role word. */
  private requirementMet(entry: number, q: PreparedQuery): boolean {
    const requires = (this.entries[entry] as NameEntry).requires;
    return requires === undefined || q.tokens.includes(requires);
  }

  /** Whether a name has every query word but `skip` (as written or as skeleton). */
  private holdsWords(e: NameEntry, q: PreparedQuery, skip: number): boolean {
    for (let i = 0; i < q.contentTokens.length; i++) {
      if (i === skip) continue;
      const token = q.contentTokens[i] as string;
      const skel = q.contentSkeletons[i] as string;
      let found = false;
      for (let j = 0; j < e.tokens.length && !found; j++) found = e.tokens[j] === token || e.skelTokens[j] === skel;
      if (!found) return false;
    }
    return true;
  }

  /** Rule-based score of one name, or undefined when the rules do not apply (fuse.js decides). */
  private ruleScore(entryId: number, q: PreparedQuery): ScoredName | undefined {
    const e = this.entries[entryId] as NameEntry;
    const isName = e.kind === 'label' || e.kind === 'alias';
    if (e.requires !== undefined && !q.tokens.includes(e.requires)) return undefined;
    if (e.kind !== 'description') {
      if (e.norm === q.norm) {
        if (!isName) return { entity: e.entity, entry: entryId, score: ROLE_EXACT_SCORE, exact: false };
        const isSurnameAlias = e.kind === 'alias' && e.tokens.length === 1 && this.labelTokens(e.entity).length > 1 && this.labelTokens(e.entity).includes(e.norm);
        return { entity: e.entity, entry: entryId, score: isSurnameAlias ? SURNAME_ALIAS_SCORE : 0, exact: isName };
      }
      if (e.skel === q.skel && q.skel !== '') {
        return { entity: e.entity, entry: entryId, score: e.tokens.length === 1 && this.labelTokens(e.entity).length > 1 ? SURNAME_ALIAS_SCORE : SKELETON_EXACT_SCORE, exact: false };
      }
    }
    if (q.contentTokens.length === 0) return undefined;
    // Every query word must match a word of the name: as written, as skeleton, or within typo allowance.
    let quality = 0;
    // Name words already matched by an earlier query word, as bits (names of over 30 words: a set).
    let usedBits = 0;
    const usedSet = e.tokens.length > 30 ? new Set<number>() : undefined;
    for (let i = 0; i < q.contentTokens.length; i++) {
      const token = q.contentTokens[i] as string;
      const skel = q.contentSkeletons[i] as string;
      let best = 0;
      let bestAt = -1;
      for (let j = 0; j < e.tokens.length; j++) {
        if (usedSet ? usedSet.has(j) : usedBits & (1 << j)) continue;
        const candidate = e.tokens[j] as string;
        let value = 0;
        if (candidate === token) value = 1;
        else if (e.skelTokens[j] === skel) value = 0.95;
        else {
          const allowance = e.kind === 'description' ? 0 : typoAllowance(token.length);
          if (allowance > 0) {
            const d = boundedEditDistance(token, candidate, allowance);
            if (d <= allowance) value = 1 - 0.1 * d;
          }
        }
        if (value > best) {
          best = value;
          bestAt = j;
        }
      }
      if (best === 0) return undefined;
      if (usedSet) usedSet.add(bestAt);
      else usedBits |= 1 << bestAt;
      quality += best;
    }
    const averageQuality = quality / q.contentTokens.length;
    const uncovered = Math.max(0, e.contentTokens - q.contentTokens.length) / e.contentTokens;
    let score = COVERAGE_BASE_SCORE + UNCOVERED_WEIGHT * uncovered + 0.25 * (1 - averageQuality);
    if (e.kind === 'description') score += DESCRIPTION_PENALTY;
    return { entity: e.entity, entry: entryId, score, exact: false };
  }

  private labelTokens(entity: number): readonly string[] {
    const label = this.labelEntries.get(entity);
    return label === undefined ? [''] : (this.entries[label] as NameEntry).tokens;
  }

  private scanNamePrefix(prefix: string, visit: (entry: number) => void): void {
    const names = this.sortedNames;
    let lo = 0;
    let hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.entries[names[mid] as number] as NameEntry).norm < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo, seen = 0; i < names.length && seen < RULE_CANDIDATE_LIMIT; i++, seen++) {
      const entry = names[i] as number;
      if (!(this.entries[entry] as NameEntry).norm.startsWith(prefix)) break;
      visit(entry);
    }
  }

  /** Names with a word starting with the query's last word and containing its other words. */
  private scanWordPrefix(q: PreparedQuery, visit: (entry: number) => void): void {
    const last = q.tokens[q.tokens.length - 1];
    if (!last) return;
    const earlier = q.tokens.slice(0, -1);
    // With earlier words, the names holding the rarest of them are usually far fewer than the
    // names with a word starting with the last one ("jawad mustafa ah": every Ahmad).
    if (earlier.length > 0) {
      let driver: readonly number[] | undefined;
      for (const t of earlier) {
        const list = this.tokens.get(t) ?? EMPTY;
        if (!driver || list.length < driver.length) driver = list;
      }
      if (driver && driver.length <= RULE_CANDIDATE_LIMIT) {
        for (const entry of driver) {
          const e = this.entries[entry] as NameEntry;
          if (e.kind === 'description' || !earlier.every((t) => e.tokens.includes(t))) continue;
          if (e.tokens.some((t) => t.startsWith(last))) visit(entry);
        }
        return;
      }
    }
    const words = this.sortedTokens;
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((words[mid] as string) < last) lo = mid + 1;
      else hi = mid;
    }
    let visited = 0;
    for (let i = lo; i < words.length && (words[i] as string).startsWith(last) && visited < RULE_CANDIDATE_LIMIT; i++) {
      for (const entry of this.tokens.get(words[i] as string) ?? []) {
        const e = this.entries[entry] as NameEntry;
        if (e.kind === 'description') continue;
        if (earlier.every((t) => e.tokens.includes(t))) visit(entry);
        if (++visited >= RULE_CANDIDATE_LIMIT) return;
      }
    }
  }
}

interface PreparedQuery {
  norm: string;
  skel: string;
  tokens: string[];
  contentTokens: string[];
  contentSkeletons: string[];
  grams: string[];
}

function prepareQuery(query: string): PreparedQuery | undefined {
  const norm = normaliseText(queryText(query));
  if (norm === '') return undefined;
  const tokens = norm.split(' ').slice(0, MAX_QUERY_TOKENS);
  const meaningful = tokens.filter((t) => !STOPWORDS.has(t) && !isArticleToken(t));
  const contentTokens = [...new Set(meaningful)];
  const skel = skeletonKey(norm);
  const grams = trigrams(norm.slice(0, 64));
  if (skel !== norm) for (const g of trigrams(skel.slice(0, 64))) grams.push(SKELETON_GRAM_PREFIX + g);
  return { norm, skel, tokens, contentTokens, contentSkeletons: contentTokens.map(skeletonToken), grams };
}

function newScratch(size: number): Scratch {
  return {
    tokenHits: new Uint8Array(size),
    gramHits: new Uint16Array(size),
    stamp: new Uint32Array(size),
    touched: new Uint32Array(size),
    touchedCount: 0,
    stampValue: 0,
    top: new TopK(CANDIDATE_LIMIT),
    covered: new TopK(COVERED_LIMIT),
    wordLists: [],
    descriptionLists: [],
    gramLists: [],
    rule: new Uint32Array(size),
  };
}

function insertSorted<T>(list: T[], value: T, compare: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid] as T, value) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
