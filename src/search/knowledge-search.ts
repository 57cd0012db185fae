/**
 * `createKnowledgeSearch`: the {@link KnowledgeSearch} the commands use, built over one
 * knowledge base from an entity name index and two text indexes (facts, quotes).
 */
import type { Entity, Fact, KnowledgeBase, Quote } from '../knowledge/model.js';
import type {
  EntityHit,
  EntityResolution,
  FactHit,
  KnowledgeSearch,
  QuoteHit,
  ResolveOptions,
  SuggestOptions,
  TextSearchOptions,
} from './types.js';
import { EntityIndex, type MatchFocus } from './entity-index.js';
import { TextIndex } from './text-index.js';

/** A name scoring worse than this fits nothing: `none` with suggestions. */
const FOUND_THRESHOLD = 0.35;
/** Hits within this of the best are "about equally good": `ambiguous`. */
const AMBIGUITY_MARGIN = 0.05;
/** Added to the score of an entity whose type the caller did not prefer. */
const PREFERENCE_PENALTY = 0.2;
/** Look-alikes offered beside a found entity score at most this. */
const OTHERS_THRESHOLD = 0.45;
const MAX_OTHERS = 5;
const MAX_AMBIGUOUS = 5;
const MAX_SUGGESTIONS = 5;
/** Fuzzy names fuse.js scores per lookup: the answer, its look-alikes, room for role names skipped among them. */
const FUZZY_SHOWN = 8;
const DEFAULT_SUGGEST_LIMIT = 25;
const DEFAULT_TEXT_LIMIT = 10;
/** Photo captions often repeat a body sentence in fewer words; the report's own sentence wins. */
const CAPTION_WEIGHT = 0.9;
const MAX_TEXT_LIMIT = 100;

/** Items of one new article (or a registry edit) to make searchable without a rebuild. */
export interface KnowledgeAddition {
  entities?: Entity[];
  facts?: Fact[];
  quotes?: Quote[];
}

/** Sizes of the indexes, for logs and the benchmark. */
export interface SearchIndexStats {
  entities: number;
  names: number;
  facts: number;
  quotes: number;
  factVocabulary: number;
  factPostingBytes: number;
}

/** A {@link KnowledgeSearch} that can also take new items in place. */
export interface IndexedKnowledgeSearch extends KnowledgeSearch {
  /**
   * Makes new or changed entities, facts and quotes searchable. Facts and quotes are added to
   * the indexes in place (milliseconds); entities rebuild the name index (fast: names are few).
   * An item whose id is already known replaces the old one.
   */
  add(addition: KnowledgeAddition): void;
  /** Hides facts and quotes that are no longer in the knowledge base (merged into another item). */
  remove(ids: { facts?: readonly string[]; quotes?: readonly string[] }): void;
  /** Documents indexed since the search was built, hidden ones included (to know when a rebuild pays). */
  churn(): number;
  stats(): SearchIndexStats;
}

/**
 * Builds the search over a knowledge base.
 *
 * @example
 * const search = createKnowledgeSearch(kb);
 * search.resolveEntity('masood', { prefer: ['person', 'organisation'] });
 * // → { kind: 'ambiguous', hits: [Ahmad Massoud, Ahmad Shah Massoud] }
 * search.suggestEntities('panj', { types: ['place'] }); // → [Panjshir, …]
 * search.searchFacts('bazarak capital', { limit: 5 });
 */
export function createKnowledgeSearch(kb: KnowledgeBase): IndexedKnowledgeSearch {
  return new IndexedSearch(kb);
}

/** A growable list of documents (facts or quotes) with its text index and id lookup. */
class DocumentStore<T extends { id: string }> {
  readonly items: T[];
  readonly index: TextIndex;
  private readonly byId = new Map<string, number>();

  constructor(
    items: readonly T[],
    private readonly textOf: (item: T) => string,
  ) {
    this.items = [...items];
    this.items.forEach((item, i) => this.byId.set(item.id, i));
    this.index = new TextIndex(this.items.length, (i) => textOf(this.items[i] as T));
  }

  upsert(item: T): void {
    const existing = this.byId.get(item.id);
    if (existing !== undefined) {
      const old = this.items[existing] as T;
      if (this.textOf(old) === this.textOf(item)) {
        this.items[existing] = item;
        return;
      }
      this.index.remove(existing);
    }
    const doc = this.index.add(this.textOf(item));
    this.items[doc] = item;
    this.byId.set(item.id, doc);
    this.added++;
  }

  /** Hide the item with this id from every later search. */
  remove(id: string): void {
    const doc = this.byId.get(id);
    if (doc === undefined) return;
    this.index.remove(doc);
    this.byId.delete(id);
  }

  /** Ids of the items searchable now. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** Documents indexed after construction. */
  added = 0;
}

class IndexedSearch implements IndexedKnowledgeSearch {
  private entityIndex: EntityIndex;
  private readonly facts: DocumentStore<Fact>;
  private readonly quotes: DocumentStore<Quote>;

  constructor(kb: KnowledgeBase) {
    this.entityIndex = new EntityIndex(kb.entities);
    this.facts = new DocumentStore(kb.facts, (fact) => fact.text);
    this.quotes = new DocumentStore(kb.quotes, (quote) => this.quoteText(quote));
  }

  resolveEntity(query: string, options: ResolveOptions = {}): EntityResolution {
    const index = this.entityIndex;
    // Fuzzy names past the answer, its ties and a few look-alikes are never shown.
    const focus: MatchFocus = {
      ...(options.prefer ? { prefer: options.prefer } : {}),
      penalty: PREFERENCE_PENALTY,
      keep: FUZZY_SHOWN,
      tieMargin: AMBIGUITY_MARGIN,
      answerThreshold: FOUND_THRESHOLD,
      keepByScore: MAX_SUGGESTIONS,
    };
    const matches = index.match(query, focus);
    if (matches.length === 0) return { kind: 'none', suggestions: [] };
    const ranked = matches
      .map((m) => ({ m, eff: index.effective(m.entity, m.score, focus) }))
      .sort((a, b) => a.eff - b.eff || index.mentions(b.m.entity) - index.mentions(a.m.entity) || a.m.entity - b.m.entity);
    const best = ranked[0];
    if (!best || best.eff > FOUND_THRESHOLD) {
      return { kind: 'none', suggestions: matches.slice(0, MAX_SUGGESTIONS).map((m) => index.toHit(m)) };
    }
    // An exact name only ties with other exact names (a full name with full names, a shared
    // surname alias with the same alias); a fuzzy best ties with anything about as good.
    const tied = ranked.filter((r) => {
      if (!best.m.exact) return r.eff <= best.eff + AMBIGUITY_MARGIN;
      return r.m.exact && (best.m.score === 0 ? r.eff === best.eff : r.eff <= best.eff + AMBIGUITY_MARGIN);
    });
    if (tied.length > 1) {
      const hits = tied
        .sort(
          (a, b) =>
            index.mentions(b.m.entity) - index.mentions(a.m.entity) ||
            Number(b.m.exact) - Number(a.m.exact) ||
            a.eff - b.eff ||
            a.m.entity - b.m.entity,
        )
        .slice(0, MAX_AMBIGUOUS)
        .map((r) => index.toHit(r.m));
      return { kind: 'ambiguous', hits };
    }
    // Look-alikes: other names the query fits (not entities whose role or description mentions it).
    const others: EntityHit[] = [];
    const seen = new Set<number>([best.m.entity]);
    for (const r of ranked.slice(1)) {
      if (others.length >= MAX_OTHERS || r.m.score > OTHERS_THRESHOLD) break;
      const kind = index.entryKind(r.m.entry);
      if (kind !== 'label' && kind !== 'alias') continue;
      seen.add(r.m.entity);
      others.push(index.toHit(r.m));
    }
    // "The other Massoud": namesakes are look-alikes even when the query named only one of them.
    for (const entity of index.namesakes(best.m.entity, MAX_OTHERS)) {
      if (others.length >= MAX_OTHERS || seen.has(entity)) continue;
      seen.add(entity);
      const label = index.labelEntry(entity);
      if (label !== undefined) others.push(index.toHit({ entity, entry: label, score: OTHERS_THRESHOLD, exact: false }));
    }
    return { kind: 'found', hit: index.toHit(best.m), others };
  }

  suggestEntities(query: string, options: SuggestOptions = {}): EntityHit[] {
    const limit = Math.max(0, Math.min(DEFAULT_SUGGEST_LIMIT, Math.floor(options.limit ?? DEFAULT_SUGGEST_LIMIT)));
    return this.entityIndex.suggest(query, limit, options.types).map((s) => this.entityIndex.toHit(s));
  }

  searchFacts(query: string, options: TextSearchOptions = {}): FactHit[] {
    const items = this.facts.items;
    const entityId = options.entityId;
    return this.facts.index
      .search(query, {
        limit: clampLimit(options.limit),
        accept: entityId ? (doc) => (items[doc] as Fact).entities.includes(entityId) : undefined,
        weight: (doc) => ((items[doc] as Fact).rank === 'caption' ? CAPTION_WEIGHT : 1),
        weightBound: Math.max(1, CAPTION_WEIGHT),
        tieBreak: (doc) => ((items[doc] as Fact).rank === 'caption' ? 1 : 0),
      })
      .map(({ doc, score }) => ({ fact: items[doc] as Fact, score }));
  }

  searchQuotes(query: string, options: TextSearchOptions = {}): QuoteHit[] {
    const items = this.quotes.items;
    const entityId = options.entityId;
    return this.quotes.index
      .search(query, {
        limit: clampLimit(options.limit),
        accept: entityId
          ? (doc) => {
              const quote = items[doc] as Quote;
              return quote.speakerId === entityId || quote.entities.includes(entityId);
            }
          : undefined,
        tieBreak: (doc) => ((items[doc] as Quote).partial ? 1 : 0),
      })
      .map(({ doc, score }) => ({ quote: items[doc] as Quote, score }));
  }

  add(addition: KnowledgeAddition): void {
    const added = addition.entities ?? [];
    if (added.some((e) => this.entityIndex.entityIndexOf(e.id) !== undefined)) {
      // A changed entity may change others' names (linked roles): rebuild the name index.
      const byId = new Map(this.entityIndex.entities.map((e) => [e.id, e] as const));
      for (const entity of added) byId.set(entity.id, entity);
      this.entityIndex = new EntityIndex([...byId.values()]);
    } else if (added.length > 0) {
      this.entityIndex.addEntities(added);
    }
    for (const fact of addition.facts ?? []) this.facts.upsert(fact);
    for (const quote of addition.quotes ?? []) this.quotes.upsert(quote);
  }

  remove(ids: { facts?: readonly string[]; quotes?: readonly string[] }): void {
    for (const id of ids.facts ?? []) this.facts.remove(id);
    for (const id of ids.quotes ?? []) this.quotes.remove(id);
  }

  churn(): number {
    return this.facts.added + this.quotes.added;
  }

  stats(): SearchIndexStats {
    return {
      entities: this.entityIndex.entities.length,
      names: this.entityIndex.size,
      facts: this.facts.items.length,
      quotes: this.quotes.items.length,
      factVocabulary: this.facts.index.vocabularySize,
      factPostingBytes: this.facts.index.postingBytes,
    };
  }

  /** A quote is found by its words and by who said it. */
  private quoteText(quote: Quote): string {
    const index = quote.speakerId ? this.entityIndex.entityIndexOf(quote.speakerId) : undefined;
    const speaker = index !== undefined ? (this.entityIndex.entities[index] as Entity) : undefined;
    return [quote.text, speaker?.label ?? '', ...(speaker?.aliases ?? []), quote.speakerText ?? ''].join(' \n ');
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_TEXT_LIMIT;
  return Math.max(0, Math.min(MAX_TEXT_LIMIT, Math.floor(limit)));
}
