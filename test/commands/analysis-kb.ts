/**
 * Test helper for /timeline and /claims: the seed story as the bot loads it (`loadStory`), with
 * the real search over it, and a chat to ask from.
 */
import type { CommandContext } from '../../src/commands/types.js';
import { loadStory } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/model.js';
import { createKnowledgeSearch } from '../../src/search/knowledge-search.js';
import type { KnowledgeProvider } from '../../src/search/types.js';
import { SEED_STORY } from '../knowledge/analysis-input.js';

/** The seed story's knowledge base, loaded once per test file. */
export const kb: KnowledgeBase = loadStory(SEED_STORY);

/** The seed story with the real search, as commands receive it. */
export const knowledge: KnowledgeProvider = (() => {
  const snapshot = { kb, search: createKnowledgeSearch(kb), version: 'test', loadedAt: new Date(0) };
  return () => snapshot;
})();

export const CONTEXT: CommandContext = {
  chat: { platform: 'console', id: 'c1', type: 'private' },
  user: { id: 'u1', isModerator: false },
  now: new Date('2021-08-24T08:00:00Z'),
};
