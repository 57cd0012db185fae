/**
 * The contract between the knowledge base's search indexes and the commands.
 *
 * Scores follow fuse.js: 0 is a perfect match, 1 no match at all.
 */
import type { Entity, EntityType, Fact, KnowledgeBase, Quote } from '../knowledge/model.js';

/** One entity that a query matched. */
export interface EntityHit {
  entity: Entity;
  /** 0 = perfect, 1 = no match (fuse.js convention). */
  score: number;
  /** The label, alias or role text the query matched best. */
  matched: string;
  /** `true` when the normalised query equals a normalised label or alias. */
  exact: boolean;
}

/**
 * What a name query resolves to.
 * - `found`: one entity clearly fits; `others` are look-alikes worth offering ("the other Massoud").
 * - `ambiguous`: several entities fit about equally, most relevant first.
 * - `none`: nothing fits well enough; `suggestions` are the closest names ("did you mean").
 */
export type EntityResolution =
  | { kind: 'found'; hit: EntityHit; others: EntityHit[] }
  | { kind: 'ambiguous'; hits: EntityHit[] }
  | { kind: 'none'; suggestions: EntityHit[] };

export interface ResolveOptions {
  /** Entity types to prefer: a preferred type wins over a slightly better match of another type. */
  prefer?: EntityType[];
}

export interface SuggestOptions {
  /** Only entities of these types. */
  types?: EntityType[];
  /** At most this many (default 25, Discord's autocomplete cap). */
  limit?: number;
}

export interface FactHit {
  fact: Fact;
  score: number;
}

export interface QuoteHit {
  quote: Quote;
  score: number;
}

export interface TextSearchOptions {
  limit?: number;
  /** Only items that mention this entity. */
  entityId?: string;
}

/** Search over one knowledge base; built by the search module, used read-only by commands. */
export interface KnowledgeSearch {
  /** Resolve a name, nickname, role or transliteration to an entity (for `/who`, `/where`). */
  resolveEntity(query: string, options?: ResolveOptions): EntityResolution;
  /** Ranked completions for a partial name: exact alias, alias prefix/contains, then fuzzy. */
  suggestEntities(query: string, options?: SuggestOptions): EntityHit[];
  /** The facts that best match free words (for `/search`). */
  searchFacts(query: string, options?: TextSearchOptions): FactHit[];
  /** Quotes whose words match (for `/quote <topic>`). */
  searchQuotes(query: string, options?: TextSearchOptions): QuoteHit[];
}

/** The knowledge base the bot answers from right now, with its search; replaced whole on reload. */
export interface KnowledgeSnapshot {
  kb: KnowledgeBase;
  search: KnowledgeSearch;
  /** Changes whenever the articles or registry change (a content hash). */
  version: string;
  loadedAt: Date;
}

/** Gives the current snapshot; commands call it on every request so a reload is seen at once. */
export type KnowledgeProvider = () => KnowledgeSnapshot;
