/**
 * The units the ingest stages pass between them: sentences of the cleaned report and the
 * entity mentions found in them. Both are spans of a source's raw text.
 */
import type { Entity, EntityId, Fact, Quote, Source, SourceId } from './model.js';

/** A sentence (or photo caption) of a source's cleaned body. */
export interface Sentence {
  sourceId: SourceId;
  /** Offsets into the source's raw text; `text === raw.slice(start, end)`. */
  start: number;
  end: number;
  text: string;
  /** Index of the body paragraph it belongs to (0-based, in reading order). */
  paragraph: number;
  /** `true` for photo captions (facts of lower rank). */
  caption: boolean;
}

/** A place where a registry entity is named (or referred to) in a source. */
export interface Mention {
  entityId: EntityId;
  sourceId: SourceId;
  start: number;
  end: number;
  /** The words as written, e.g. "Ahmed Shah Massoud". */
  text: string;
}

/**
 * What the story-analysis stages (dates, events, claims, conflicts) read: the sentences and
 * mentions of every source, and the items extracted so far.
 */
export interface AnalysisInput {
  sources: Source[];
  sentences: Sentence[];
  mentions: Mention[];
  entities: Entity[];
  facts: Fact[];
  quotes: Quote[];
}
