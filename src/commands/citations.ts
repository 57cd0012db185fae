/**
 * Numbered source references for one reply: each distinct source gets a number on first use.
 */
import type { Citation, KnowledgeBase, Source } from '../knowledge/model.js';
import type { ReplyCitation } from '../replies/reply.js';

const sourceMaps = new WeakMap<KnowledgeBase, Map<string, Source>>();

/** The knowledge base's sources by id (built once per knowledge base). */
export function sourcesById(kb: KnowledgeBase): Map<string, Source> {
  let map = sourceMaps.get(kb);
  if (map === undefined) {
    map = new Map(kb.sources.map((s) => [s.id, s]));
    sourceMaps.set(kb, map);
  }
  return map;
}

/**
 * Collects the sources a reply cites and numbers them 1, 2, … in order of first use.
 *
 * @example
 * const refs = new CitationNumbers(kb);
 * const line = { text: fact.text, cites: refs.cite(fact.citations) };
 * reply({ kind: 'answer', title, sections, citations: refs.list() });
 */
export class CitationNumbers {
  private readonly numbers = new Map<string, number>();
  private readonly entries: ReplyCitation[] = [];
  private readonly sources: Map<string, Source>;

  constructor(kb: KnowledgeBase) {
    this.sources = sourcesById(kb);
  }

  /** The numbers of the distinct sources behind these citations, ascending. */
  cite(citations: readonly Citation[]): number[] {
    const result = new Set<number>();
    for (const citation of citations) {
      let n = this.numbers.get(citation.sourceId);
      if (n === undefined) {
        const source = this.sources.get(citation.sourceId);
        if (source === undefined) continue;
        this.entries.push({
          outlet: source.outlet,
          headline: source.headline,
          date: source.published,
          ...(source.url === undefined ? {} : { url: source.url }),
          sourceId: source.id,
          span: { start: citation.start, end: citation.end },
        });
        n = this.entries.length;
        this.numbers.set(citation.sourceId, n);
      }
      result.add(n);
    }
    return [...result].sort((a, b) => a - b);
  }

  /** The outlet of a source, for notes such as "spelt … by TheJournal.ie". */
  outlet(sourceId: string): string {
    return this.sources.get(sourceId)?.outlet ?? sourceId;
  }

  list(): ReplyCitation[] {
    return [...this.entries];
  }
}

/** "reported by 2 sources" when more than one outlet carries it. */
export function corroborationNote(citations: readonly Citation[]): string | undefined {
  const outlets = new Set(citations.map((c) => c.sourceId)).size;
  return outlets > 1 ? `reported by ${outlets} sources` : undefined;
}
