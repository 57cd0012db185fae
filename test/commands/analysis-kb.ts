/**
 * Test helper for /timeline and /claims: the seed story as the bot loads it (`loadStory`), with
 * the real search over it, and a chat to ask from.
 */
import type { CommandContext } from '../../src/commands/types.js';
import type { KnowledgeBase } from '../../src/knowledge/model.js';
import type { KnowledgeProvider } from '../../src/search/types.js';
import { seedKnowledge, seedSnapshot } from '../support/seed-story.js';

/** The seed story's knowledge base. */
export const kb: KnowledgeBase = seedSnapshot().kb;

/** The seed story with the real search, as commands receive it. */
export const knowledge: KnowledgeProvider = seedKnowledge;

export const CONTEXT: CommandContext = {
  chat: { platform: 'console', id: 'c1', type: 'private' },
  user: { id: 'u1', isModerator: false },
  now: new Date('2021-08-24T08:00:00Z'),
};
