/**
 * Test helper for /timeline and /claims: the seed story's knowledge base with the analysis
 * stages run over the pipeline's sentences and mentions, and a name resolver over labels and
 * aliases (exact, folded) standing in for the search module's.
 */
import { extractClaims } from '../../src/knowledge/claims.js';
import { findConflicts } from '../../src/knowledge/conflicts.js';
import { extractEvents } from '../../src/knowledge/events.js';
import type { Entity, KnowledgeBase } from '../../src/knowledge/model.js';
import type { CommandContext } from '../../src/commands/types.js';
import type { EntityHit, KnowledgeProvider, KnowledgeSearch } from '../../src/search/types.js';
import { analysisInputFor } from '../knowledge/analysis-input.js';

export function storyKnowledgeBase(storyDir: string): KnowledgeBase {
  const input = analysisInputFor(storyDir);
  return {
    story: { id: 'panjshir', title: 'Panjshir Valley resistance' },
    sources: input.sources,
    entities: input.entities,
    facts: [],
    quotes: [],
    events: extractEvents(input),
    claims: extractClaims(input),
    conflicts: findConflicts(input).conflicts,
    candidates: [],
  };
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

function hit(entity: Entity, matched: string, exact: boolean): EntityHit {
  return { entity, score: exact ? 0 : 0.3, matched, exact };
}

/** Exact label/alias matches; several equal matches are ambiguous; else prefix suggestions. */
export function namesSearch(kb: KnowledgeBase): KnowledgeSearch {
  return {
    resolveEntity(query) {
      const q = fold(query);
      const exact = kb.entities.filter((e) => [e.label, ...e.aliases].some((n) => fold(n) === q));
      if (exact.length === 1) return { kind: 'found', hit: hit(exact[0]!, exact[0]!.label, true), others: [] };
      if (exact.length > 1) return { kind: 'ambiguous', hits: exact.map((e) => hit(e, e.label, true)) };
      const near = kb.entities.filter((e) => q.length >= 3 && [e.label, ...e.aliases].some((n) => fold(n).startsWith(q.slice(0, 3))));
      return { kind: 'none', suggestions: near.slice(0, 5).map((e) => hit(e, e.label, false)) };
    },
    suggestEntities: () => [],
    searchFacts: () => [],
    searchQuotes: () => [],
  };
}

export function providerFor(kb: KnowledgeBase): KnowledgeProvider {
  const search = namesSearch(kb);
  return () => ({ kb, search, version: 'test', loadedAt: new Date(0) });
}

export const CONTEXT: CommandContext = {
  chat: { platform: 'console', id: 'c1', type: 'private' },
  user: { id: 'u1', isModerator: false },
  now: new Date('2021-08-24T08:00:00Z'),
};
