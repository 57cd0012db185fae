/**
 * What the web pages read, indexed once per knowledge base (a reload builds a new one): sources
 * by id and newest first, every span each source has cited and by what, which other outlets
 * carried the same report, entities by prominence, events in date order.
 *
 * Built on first use and cached with the knowledge base, so a page costs a lookup and the
 * rendering of what it shows, never a scan of a 10,000-article story.
 */
import type { Citation, Claim, Entity, EntityType, KnowledgeBase, Source, StoryEvent } from '../knowledge/model.js';
import { partOf, sourceParts, type SourcePart } from './pages/source-parts.js';

/** What a cited span supports, shown on the article page beside the highlighted text. */
export interface CitedItem {
  kind: 'fact' | 'quote' | 'event' | 'claim' | 'counter-claim' | 'verification' | 'description' | 'link' | 'conflict';
  /** The item's own words (the statement, the quote, the event). */
  text: string;
  /** The entity page it belongs to, when there is one. */
  entityId?: string;
}

/** One span of an article that the knowledge base cites, with everything that cites it. */
export interface CitedSpan {
  start: number;
  end: number;
  items: CitedItem[];
}

/** An outlet that carried the same report: how many items both sources are cited for. */
export interface Carrier {
  source: Source;
  shared: number;
}

export interface DossierIndex {
  readonly kb: KnowledgeBase;
  source(id: string): Source | undefined;
  entity(id: string): Entity | undefined;
  /** Newest first (then outlet, then id), for the sources list and "what is new". */
  readonly sourcesNewestFirst: readonly Source[];
  /** Cited spans of a source, by start (then longest first), merged when identical. */
  spans(sourceId: string): readonly CitedSpan[];
  /** The parts a source's page is cut into (one for an ordinary article), computed on first use. */
  parts(sourceId: string): readonly SourcePart[];
  /** The 1-based part of a source's page that holds `offset` (1 for an unknown source). */
  partOf(sourceId: string, offset: number): number;
  /** Other sources cited for the same facts, quotes, events or claims, most shared first. */
  carriers(sourceId: string): readonly Carrier[];
  /** Entities of a type, most mentioned first. */
  entitiesOfType(type: EntityType): readonly Entity[];
  /** Events oldest first (by first day, then last day). */
  readonly eventsByDate: readonly StoryEvent[];
  /** Claims, disputed ones first. */
  readonly claims: readonly Claim[];
}

const cache = new WeakMap<KnowledgeBase, DossierIndex>();

/**
 * The index of a knowledge base, built on first use.
 *
 * @example
 * const index = dossierIndex(kb);
 * index.spans('000_80426d2fa619d4a8')[0] // → { start: 181, end: 402, items: [{ kind: 'fact', … }] }
 */
export function dossierIndex(kb: KnowledgeBase): DossierIndex {
  const cached = cache.get(kb);
  if (cached !== undefined) return cached;
  const built = buildIndex(kb);
  cache.set(kb, built);
  return built;
}

function buildIndex(kb: KnowledgeBase): DossierIndex {
  const sources = new Map(kb.sources.map((s) => [s.id, s]));
  const entities = new Map(kb.entities.map((e) => [e.id, e]));
  const spanMaps = new Map<string, Map<string, CitedSpan>>();
  const shared = new Map<string, Map<string, number>>();

  const cite = (citation: Citation, item: CitedItem) => {
    let spans = spanMaps.get(citation.sourceId);
    if (spans === undefined) spanMaps.set(citation.sourceId, (spans = new Map()));
    const key = `${citation.start}:${citation.end}`;
    const span = spans.get(key);
    if (span === undefined) spans.set(key, { start: citation.start, end: citation.end, items: [item] });
    else if (!span.items.some((i) => i.kind === item.kind && i.text === item.text)) span.items.push(item);
  };
  /** Every pair of distinct sources cited for one item carried the same report. */
  const carried = (citations: readonly Citation[]) => {
    const ids = [...new Set(citations.map((c) => c.sourceId))];
    if (ids.length < 2 || ids.length > 50) return;
    for (const a of ids) {
      let counts = shared.get(a);
      if (counts === undefined) shared.set(a, (counts = new Map()));
      for (const b of ids) if (a !== b) counts.set(b, (counts.get(b) ?? 0) + 1);
    }
  };
  const citeAll = (citations: readonly Citation[], item: CitedItem) => {
    for (const c of citations) cite(c, item);
    carried(citations);
  };
  const first = (ids: readonly string[]) => (ids[0] === undefined ? {} : { entityId: ids[0] });

  for (const entity of kb.entities) {
    cite(entity.descriptionCitation, { kind: 'description', text: entity.description, entityId: entity.id });
    for (const link of entity.links) cite(link.citation, { kind: 'link', text: `${entity.label}: ${link.relation.replace(/-/g, ' ')} ${entities.get(link.target)?.label ?? link.target}`, entityId: entity.id });
  }
  for (const fact of kb.facts) citeAll(fact.citations, { kind: 'fact', text: fact.text, ...first(fact.entities) });
  for (const quote of kb.quotes) citeAll(quote.citations, { kind: 'quote', text: quote.text, ...(quote.speakerId === null ? first(quote.entities) : { entityId: quote.speakerId }) });
  for (const event of kb.events) citeAll(event.citations, { kind: 'event', text: event.text, ...first(event.entities) });
  for (const claim of kb.claims) {
    citeAll(claim.citations, { kind: 'claim', text: claim.statement, ...first(claim.entities) });
    for (const counter of claim.counterClaims) citeAll(counter.citations, { kind: 'counter-claim', text: counter.statement, ...first(claim.entities) });
    for (const c of claim.verification.citations) cite(c, { kind: 'verification', text: claim.statement, ...first(claim.entities) });
  }
  for (const conflict of kb.conflicts) for (const side of conflict.sides) cite(side.citation, { kind: 'conflict', text: `${conflict.topic}: ${side.statement}`, ...first(conflict.entities) });

  const spans = new Map<string, CitedSpan[]>();
  for (const [id, map] of spanMaps) {
    const source = sources.get(id);
    // Only spans that really index the article's text can be highlighted.
    const valid = [...map.values()].filter((s) => source !== undefined && s.start >= 0 && s.end > s.start && s.end <= source.raw.length);
    spans.set(id, valid.sort((a, b) => a.start - b.start || b.end - a.end));
  }
  const carriers = new Map<string, Carrier[]>();
  for (const [id, counts] of shared) {
    carriers.set(
      id,
      [...counts]
        .map(([other, n]) => ({ source: sources.get(other), shared: n }))
        .filter((c): c is Carrier => c.source !== undefined)
        .sort((a, b) => b.shared - a.shared || a.source.outlet.localeCompare(b.source.outlet)),
    );
  }
  const byType = new Map<EntityType, Entity[]>();
  for (const entity of [...kb.entities].sort((a, b) => b.mentions.length - a.mentions.length || a.label.localeCompare(b.label))) {
    const list = byType.get(entity.type) ?? [];
    list.push(entity);
    byType.set(entity.type, list);
  }
  const partsBySource = new Map<string, SourcePart[]>();
  const parts = (id: string): SourcePart[] => {
    let cached = partsBySource.get(id);
    const source = sources.get(id);
    if (cached === undefined && source !== undefined) partsBySource.set(id, (cached = sourceParts(source, spans.get(id) ?? [])));
    return cached ?? [];
  };
  const statusOrder = { disputed: 0, unverified: 1, unconfirmed: 2, confirmed: 3 } as const;

  return {
    kb,
    source: (id) => sources.get(id),
    entity: (id) => entities.get(id),
    sourcesNewestFirst: [...kb.sources].sort((a, b) => b.published.localeCompare(a.published) || a.outlet.localeCompare(b.outlet) || a.id.localeCompare(b.id)),
    spans: (id) => spans.get(id) ?? [],
    parts,
    partOf: (id, offset) => {
      const list = parts(id);
      return list.length <= 1 ? 1 : partOf(list, offset);
    },
    carriers: (id) => carriers.get(id) ?? [],
    entitiesOfType: (type) => byType.get(type) ?? [],
    eventsByDate: [...kb.events].sort((a, b) => a.date.start.localeCompare(b.date.start) || a.date.end.localeCompare(b.date.end) || a.id.localeCompare(b.id)),
    claims: [...kb.claims].sort((a, b) => statusOrder[a.verification.status] - statusOrder[b.verification.status]),
  };
}
