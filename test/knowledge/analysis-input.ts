/**
 * Test helper: the {@link AnalysisInput} of a story folder, read by the build's own reading
 * stages (cleaning, sentences, mentions) over the seed registry, with no facts or quotes.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadArticles } from '../../src/knowledge/articles.js';
import { readArticles } from '../../src/knowledge/build.js';
import type { Citation, Entity } from '../../src/knowledge/model.js';
import { loadRegistry, type RegistryEntity } from '../../src/knowledge/registry.js';
import type { AnalysisInput } from '../../src/knowledge/sentence.js';
import { SEED_STORY_DIR } from './seed.js';

export { G1_ID as G1, JOURNAL_ID as JOURNAL, SEED_STORY_DIR as SEED_STORY } from './seed.js';

/** A story folder of one article the rules were not written against, read with the seed registry. */
export const FIXTURE_STORY = join(import.meta.dirname, '../fixtures/analysis');

const NO_CITATION: Citation = { sourceId: '', start: 0, end: 0, text: '' };

/**
 * A registry entity as the analysis stages see it. Its evidence quotes the seed articles, so
 * it is not resolved: the fixture story does not have them.
 */
function analysisEntity(e: RegistryEntity): Entity {
  return {
    id: e.id,
    type: e.type,
    label: e.label,
    aliases: e.aliases,
    ...(e.role ? { role: e.role } : {}),
    description: '',
    descriptionCitation: NO_CITATION,
    links: e.links.map((l) => ({ relation: l.relation, target: l.target, citation: NO_CITATION })),
    mentions: [],
  };
}

/** Sources, sentences and mentions of every article in `storyDir/articles`, with the seed registry's entities. */
export function analysisInputFor(storyDir: string): AnalysisInput {
  const { entities } = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
  const read = readArticles(loadArticles(storyDir), entities);
  return { ...read, entities: entities.map(analysisEntity), facts: [], quotes: [] };
}

/** The first item that passes `test`; fails the test, saying what was wanted, when none does. */
export function findOne<T>(items: readonly T[], test: (item: T) => boolean, wanted: string): T {
  const found = items.find(test);
  expect(found, wanted).toBeDefined();
  return found as T;
}
