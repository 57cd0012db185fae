/**
 * The knowledge model: what the ingest pipeline produces and every later stage reads.
 *
 * Borrowed from Wikidata (entities with stable ids, aliases, descriptions, links) and
 * schema.org's ClaimReview (claims with a claimant and a verification status). The one rule
 * that makes the bot trustworthy is provenance: every fact, quote, description, link, event
 * and claim carries {@link Citation}s that point at the exact characters of a source article.
 */

/** Stable identifier of an entity, independent of its name (e.g. `ahmad-massoud`). */
export type EntityId = string;

/** Identifier of a source article: its file name without extension (e.g. `000_80426d2fa619d4a8`). */
export type SourceId = string;

export type EntityType = 'person' | 'place' | 'organisation';

/**
 * A pointer at the exact supporting text of a source article.
 *
 * `start`/`end` are offsets (UTF-16 code units, as JavaScript strings count them) into the
 * source's raw file text, and `text === source.raw.slice(start, end)` always holds: the
 * provenance test re-reads every citation from the article file and checks exactly that.
 */
export interface Citation {
  sourceId: SourceId;
  start: number;
  end: number;
  text: string;
}

/** A date as the article gives it, resolved against the publication date, precision kept. */
export interface DateRef {
  /** The words of the article that gave the date, e.g. "on Sunday (22)", "in the 1980s". */
  text: string;
  precision: 'day' | 'week' | 'month' | 'year' | 'decade' | 'span';
  /** First day covered, ISO `YYYY-MM-DD`. */
  start: string;
  /** Last day covered (inclusive), ISO `YYYY-MM-DD`; equals `start` for a day. */
  end: string;
}

/** An article the knowledge base was built from. */
export interface Source {
  id: SourceId;
  outlet: string;
  headline: string;
  /** Publication date, ISO `YYYY-MM-DD`: relative dates in the text resolve against it. */
  published: string;
  /** Language of the text we hold (ISO 639-1). */
  language: string;
  /** Language of the original publication when the text is a translation. */
  originalLanguage?: string;
  url?: string;
  /** Outlets that ran this same report (syndication), the first one included, when known. */
  appearances?: Array<{ outlet: string; url: string }>;
  /** The article file's text exactly as scraped; every citation indexes into it. */
  raw: string;
  /** Paragraphs of the report that survived cleaning, as spans of `raw`. */
  body: Citation[];
  /** Paragraphs removed as page furniture, with the reason, so an editor can review cleaning. */
  removed: Array<Citation & { reason: string }>;
}

export type LinkRelation =
  | 'son-of'
  | 'father-of'
  | 'capital-of'
  | 'district-of'
  | 'in'
  | 'borders'
  | 'leads'
  | 'member-of'
  | 'spokesman-for'
  | 'adviser-to'
  | 'founded';

/** A typed link between two entities ("son of", "capital of"), with its supporting sentence. */
export interface EntityLink {
  relation: LinkRelation;
  target: EntityId;
  citation: Citation;
}

/** A person, place or organisation named by the curated registry. */
export interface Entity {
  id: EntityId;
  type: EntityType;
  label: string;
  /** Spelling variants, transliterations, nicknames, titles, native-script names. */
  aliases: string[];
  /** A short role, e.g. "Taliban spokesman"; searchable ("taliban spokesman" finds him). */
  role?: string;
  /** One line that tells the entity apart from look-alikes. */
  description: string;
  /** The sentence that supports the description. */
  descriptionCitation: Citation;
  links: EntityLink[];
  /** Every place the entity is mentioned in the sources (also the spelling each outlet used). */
  mentions: Citation[];
  /**
   * `true` for a speaker the registry does not know yet, named by the articles themselves
   * ("Amir Khan Muttaqi (not yet in the registry)"): quotes keep a name an editor can check.
   */
  provisional?: boolean;
}

/** A statement about one or more entities, extracted from the sources. */
export interface Fact {
  id: string;
  /** The statement as the first source words it (a sentence or caption, whitespace-tidied). */
  text: string;
  entities: EntityId[];
  date?: DateRef;
  /** One citation per source that states it; each keeps that source's own wording. */
  citations: Citation[];
  /** `caption` facts come from photo captions and rank below the report's body. */
  rank: 'body' | 'caption';
  /** Ids of conflicts this fact is a side of. */
  conflicts: string[];
}

/** How a quote was delivered. */
export type QuoteMode = 'said' | 'tweeted' | 'interview' | 'wrote' | 'statement';

/** Verbatim words of a speaker, with every source that reported them. */
export interface Quote {
  id: string;
  /**
   * The words as the first citation gives them, without the quotation marks: the fullest
   * wording, an original-language report's before a translation's (see quote-wording.ts).
   */
  text: string;
  /** The speaker entity, or `null` when no speaker could be attributed with confidence. */
  speakerId: EntityId | null;
  /** The attribution as written ("Zabihullah Mujahid, a Taliban spokesman"), if any. */
  speakerText?: string;
  mode?: QuoteMode;
  /** "In an interview with Reuters", "on Twitter": how it reached the outlet. */
  context?: string;
  date?: DateRef;
  /** `true` when the quote is a fragment inside a sentence (he would "under no circumstances bow"). */
  partial: boolean;
  entities: EntityId[];
  /** The quoted passage in each source (translations differ: each wording kept with its source). */
  citations: Citation[];
}

/** A dated event, ordered on the timeline by `date.start`. */
export interface StoryEvent {
  id: string;
  date: DateRef;
  text: string;
  entities: EntityId[];
  citations: Citation[];
}

export type VerificationStatus = 'unverified' | 'disputed' | 'unconfirmed' | 'confirmed';

/** Something a party asserts that others dispute or nobody could verify. */
export interface Claim {
  id: string;
  /** Who asserts it, as written ("pro-Taliban social media accounts"), and the entity if known. */
  claimant: { text: string; entityId?: EntityId };
  statement: string;
  citations: Citation[];
  counterClaims: Array<{
    claimant: { text: string; entityId?: EntityId };
    statement: string;
    citations: Citation[];
  }>;
  /** What the sources themselves say about verification ("impossible to independently verify"). */
  verification: { status: VerificationStatus; citations: Citation[] };
  entities: EntityId[];
  date?: DateRef;
}

/** Two or more statements that disagree; both are kept and shown side by side. */
export interface Conflict {
  id: string;
  /** What they disagree about, e.g. "Who killed Ahmad Shah Massoud". */
  topic: string;
  sides: Array<{ statement: string; citation: Citation; factId?: string }>;
  entities: EntityId[];
}

/** A capitalised name in the sources that no registry entity matches: a candidate to add. */
export interface EntityCandidate {
  name: string;
  count: number;
  citations: Citation[];
  /** Spellings folded into this candidate ("Muttaqi", "Muttaqqi"), the name first. */
  variants?: string[];
}

/** The whole knowledge of one story. Immutable once built; a reload builds a new one. */
export interface KnowledgeBase {
  story: { id: string; title: string; description?: string };
  sources: Source[];
  entities: Entity[];
  facts: Fact[];
  quotes: Quote[];
  events: StoryEvent[];
  claims: Claim[];
  conflicts: Conflict[];
  candidates: EntityCandidate[];
}
