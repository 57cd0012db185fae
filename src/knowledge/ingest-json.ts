/**
 * What one article added to a story's knowledge base, as plain JSON: the machine-readable
 * twin of the human review report (`ingest-report.ts`). `npm run ingest -- … --json` prints
 * it, and the feed ingester describes each article it adds with the same function.
 */
import type { KnowledgeTrace } from './build.js';
import type { Citation, DateRef, EntityType, KnowledgeBase, Quote, SourceId, VerificationStatus } from './model.js';

/** A quote as this article words it. */
export interface DescribedQuote {
  /** The quoted words as they appear in this article (whitespace tidied). */
  text: string;
  /** Display name of the speaker; an unnamed speaker's description; `null` when unknown. */
  speaker: string | null;
  /** The speaker entity (a registry id, or a provisional one), `null` when none. */
  speakerId: string | null;
  /** `true` when the speaker is not yet in the registry (a provisional entity). */
  provisional: boolean;
  partial: boolean;
  /** First day of the quote's date (ISO), or `null` when undated. */
  date: string | null;
  mode: string | null;
  context: string | null;
  /** Outlets of other sources that carry the same quote. */
  alsoIn: string[];
}

export interface DescribedEntity {
  id: string;
  label: string;
  type: EntityType;
  provisional: boolean;
  /** The spellings this article used, with how often. */
  mentions: Array<{ text: string; count: number }>;
}

export interface DescribedCandidate {
  name: string;
  /** Occurrences in this article. */
  count: number;
  /** Spellings folded into this candidate (all sources). */
  variants: string[];
}

export interface DescribedEvent {
  date: string;
  end: string;
  precision: DateRef['precision'];
  text: string;
  /** Other outlets that report the same event. */
  alsoIn: string[];
}

export interface DescribedClaim {
  claimant: string;
  claimantId: string | null;
  statement: string;
  status: VerificationStatus;
  /** `claim` when this article makes the claim, `counter-claim` when it carries the denial. */
  role: 'claim' | 'counter-claim' | 'both';
  counterClaims: Array<{ claimant: string; statement: string }>;
}

/** What one article added to the knowledge base. */
export interface ArticleDescription {
  source: {
    id: SourceId;
    outlet: string;
    headline: string;
    published: string;
    language: string;
    originalLanguage: string | null;
    url: string | null;
  };
  quotes: DescribedQuote[];
  entities: DescribedEntity[];
  candidates: DescribedCandidate[];
  events: DescribedEvent[];
  claims: DescribedClaim[];
  /** Lines cleaning removed as page furniture, with the reason. */
  furniture: Array<{ text: string; reason: string }>;
  /** How many facts cite this article. */
  facts: number;
}

const cites = (citations: readonly Citation[], sourceId: SourceId): boolean => citations.some((c) => c.sourceId === sourceId);
const tidy = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/** The name to show for a quote's speaker: the entity's label, else the attribution as written. */
export function speakerDisplayName(kb: KnowledgeBase, quote: Quote): string | null {
  if (quote.speakerId !== null) {
    const entity = kb.entities.find((e) => e.id === quote.speakerId);
    if (entity) return entity.label;
  }
  return quote.speakerText ?? null;
}

/**
 * Describes what the article `sourceId` added to the knowledge base of `trace`.
 *
 * @throws Error when `sourceId` is not a source of the knowledge base
 * @example
 * const { trace, sourceId } = ingestArticle(options);
 * console.log(JSON.stringify(describeArticle(trace, sourceId), null, 2));
 */
export function describeArticle(trace: Pick<KnowledgeTrace, 'kb'>, sourceId: SourceId): ArticleDescription {
  const { kb } = trace;
  const source = kb.sources.find((s) => s.id === sourceId);
  if (!source) throw new Error(`Source ${sourceId} is not in the knowledge base.`);
  const outletOf = new Map(kb.sources.map((s) => [s.id, s.outlet]));
  const others = (citations: readonly Citation[]): string[] => [
    ...new Set(citations.filter((c) => c.sourceId !== sourceId).map((c) => outletOf.get(c.sourceId) ?? c.sourceId)),
  ];

  const ownCitation = (q: Quote): Citation | undefined => q.citations.find((c) => c.sourceId === sourceId);
  const quotes = kb.quotes
    .filter((q) => cites(q.citations, sourceId))
    .sort((a, b) => (ownCitation(a)?.start ?? 0) - (ownCitation(b)?.start ?? 0))
    .map((q): DescribedQuote => {
      const own = ownCitation(q);
      const entity = q.speakerId === null ? undefined : kb.entities.find((e) => e.id === q.speakerId);
      return {
        text: tidy(own?.text ?? q.text),
        speaker: speakerDisplayName(kb, q),
        speakerId: q.speakerId,
        provisional: entity?.provisional === true,
        partial: q.partial,
        date: q.date?.start ?? null,
        mode: q.mode ?? null,
        context: q.context ?? null,
        alsoIn: others(q.citations),
      };
    });

  const entities = kb.entities
    .filter((e) => cites(e.mentions, sourceId))
    .map((e): DescribedEntity => {
      const spellings = new Map<string, number>();
      for (const m of e.mentions) if (m.sourceId === sourceId) spellings.set(tidy(m.text), (spellings.get(tidy(m.text)) ?? 0) + 1);
      return {
        id: e.id,
        label: e.label,
        type: e.type,
        provisional: e.provisional === true,
        mentions: [...spellings].map(([text, count]) => ({ text, count })),
      };
    });

  const candidates = kb.candidates
    .filter((c) => cites(c.citations, sourceId))
    .map((c) => ({
      name: c.name,
      count: c.citations.filter((x) => x.sourceId === sourceId).length,
      variants: c.variants ?? [c.name],
    }));

  const events = kb.events
    .filter((e) => cites(e.citations, sourceId))
    .map((e) => ({ date: e.date.start, end: e.date.end, precision: e.date.precision, text: e.text, alsoIn: others(e.citations) }));

  const claims = kb.claims.flatMap((c): DescribedClaim[] => {
    const own = cites(c.citations, sourceId);
    const counter = c.counterClaims.some((cc) => cites(cc.citations, sourceId));
    if (!own && !counter) return [];
    return [
      {
        claimant: c.claimant.text,
        claimantId: c.claimant.entityId ?? null,
        statement: c.statement,
        status: c.verification.status,
        role: own && counter ? 'both' : own ? 'claim' : 'counter-claim',
        counterClaims: c.counterClaims.map((cc) => ({ claimant: cc.claimant.text, statement: cc.statement })),
      },
    ];
  });

  return {
    source: {
      id: source.id,
      outlet: source.outlet,
      headline: source.headline,
      published: source.published,
      language: source.language,
      originalLanguage: source.originalLanguage ?? null,
      url: source.url ?? null,
    },
    quotes,
    entities,
    candidates,
    events,
    claims,
    furniture: source.removed.map((r) => ({ text: r.text, reason: r.reason })),
    facts: kb.facts.filter((f) => cites(f.citations, sourceId)).length,
  };
}
