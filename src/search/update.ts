/**
 * Keeping the search in step with a rebuilt knowledge base without rebuilding it: facts and
 * quotes that are new or changed are indexed in place, those that left (merged into another by
 * corroboration) are hidden, and only when entities' names change — or when in-place changes
 * have piled up — is the search built afresh. An added article is searchable in milliseconds.
 */
import type { Entity, KnowledgeBase } from '../knowledge/model.js';
import { createKnowledgeSearch, type IndexedKnowledgeSearch } from './knowledge-search.js';

/** Past this share of documents indexed in place, a fresh build restores compact indexes. */
const REBUILD_SHARE = 0.5;

/** What of an entity the search indexes (its names and links), not where it is mentioned. */
function searchedPart(entity: Entity): string {
  return JSON.stringify([entity.type, entity.label, entity.aliases, entity.role, entity.description, entity.links.map((l) => [l.relation, l.target])]);
}

/**
 * The search over `next`, made from `search` (the search over `previous`) when that is cheaper.
 * `search` may be changed in place; use only the returned search from now on.
 *
 * @example
 * snapshot.search = updateKnowledgeSearch(snapshot.search, snapshot.kb, kb);
 */
export function updateKnowledgeSearch(search: IndexedKnowledgeSearch, previous: KnowledgeBase, next: KnowledgeBase): IndexedKnowledgeSearch {
  const before = new Map(previous.entities.map((e) => [e.id, searchedPart(e)]));
  // A quote is indexed with its speaker's names: entities that come, go or are renamed mean a
  // fresh build (they are rare: a new provisional speaker). Facts and quotes are the bulk.
  const renamed = next.entities.length !== previous.entities.length || next.entities.some((e) => before.get(e.id) !== searchedPart(e));
  const size = next.facts.length + next.quotes.length;
  if (renamed || search.churn() > REBUILD_SHARE * size) return createKnowledgeSearch(next);
  const factIds = new Set(next.facts.map((f) => f.id));
  const quoteIds = new Set(next.quotes.map((q) => q.id));
  search.remove({ facts: previous.facts.filter((f) => !factIds.has(f.id)).map((f) => f.id), quotes: previous.quotes.filter((q) => !quoteIds.has(q.id)).map((q) => q.id) });
  // The name index ranks by how often each entity is mentioned: new counts rebuild it (names are few).
  const counts = new Map(previous.entities.map((e) => [e.id, e.mentions.length]));
  const recounted = next.entities.some((e) => counts.get(e.id) !== e.mentions.length);
  // Unchanged text only replaces the item (its citations may have grown); new text is indexed.
  search.add({ facts: next.facts, quotes: next.quotes, ...(recounted ? { entities: next.entities } : {}) });
  return search;
}
