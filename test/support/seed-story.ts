/**
 * The seed story as the running bot sees it, for every test that asks it questions: the real
 * `loadStory` build and the real search, made once per test file (both are pure).
 */
import { join } from 'node:path';
import { loadStory } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/model.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import type { KnowledgeProvider, KnowledgeSnapshot } from '../../src/search/types.js';

/** The seed story's folder. */
export const SEED_STORY = join(import.meta.dirname, '../../data/stories/panjshir');

let snapshot: KnowledgeSnapshot | undefined;

/** The seed story's knowledge base with its search, built on first use. */
export function seedSnapshot(): KnowledgeSnapshot {
  if (snapshot === undefined) {
    const kb: KnowledgeBase = loadStory(SEED_STORY);
    snapshot = { kb, search: createKnowledgeSearch(kb), version: 'test', loadedAt: new Date(0) };
  }
  return snapshot;
}

/** The seed story as commands receive it. */
export const seedKnowledge: KnowledgeProvider = seedSnapshot;
