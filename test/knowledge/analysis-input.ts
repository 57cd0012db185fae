/**
 * Test helper: the {@link AnalysisInput} of a story folder, built with the ingest pipeline's own
 * article loading, cleaning, sentence splitting and mention finding, over the seed registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadArticles } from '../../src/knowledge/articles.js';
import { cleanArticle } from '../../src/knowledge/clean.js';
import type { Entity, Source } from '../../src/knowledge/model.js';
import type { AnalysisInput, Mention, Sentence } from '../../src/knowledge/sentence.js';
import { splitSentences } from '../../src/knowledge/sentences.js';
import { findMentions } from '../../src/knowledge/mentions.js';

export const SEED_STORY = join(import.meta.dirname, '../../data/stories/panjshir');
export const FIXTURE_STORY = join(import.meta.dirname, '../fixtures/analysis');
export const G1 = '000_80426d2fa619d4a8';
export const JOURNAL = '003_150d7347964c21d9';

interface RegistryEntry {
  id: string;
  type: Entity['type'];
  label: string;
  aliases?: string[];
  links?: Array<{ relation: Entity['links'][number]['relation']; target: string }>;
}

function registryEntities(storyDir: string): Entity[] {
  const data = parse(readFileSync(join(SEED_STORY, 'registry.yaml'), 'utf8')) as { entities: RegistryEntry[] };
  void storyDir;
  return data.entities.map((e) => ({
    id: e.id,
    type: e.type,
    label: e.label,
    aliases: e.aliases ?? [],
    description: '',
    descriptionCitation: { sourceId: '', start: 0, end: 0, text: '' },
    links: (e.links ?? []).map((l) => ({ relation: l.relation, target: l.target, citation: { sourceId: '', start: 0, end: 0, text: '' } })),
    mentions: [],
  }));
}

/** Sources, sentences and mentions of every article in `storyDir/articles`. */
export function analysisInputFor(storyDir: string): AnalysisInput {
  const entities = registryEntities(storyDir);
  const sources: Source[] = [];
  const sentences: Sentence[] = [];
  const mentions: Mention[] = [];
  for (const article of loadArticles(storyDir)) {
    const cleaned = cleanArticle(article.id, article.raw, { headline: article.meta.headline });
    const source: Source = {
      id: article.id,
      outlet: article.meta.outlet,
      headline: article.meta.headline,
      published: article.meta.published,
      language: article.meta.language,
      raw: article.raw,
      body: cleaned.body.map((p) => ({ sourceId: article.id, start: p.start, end: p.end, text: p.text })),
      removed: cleaned.removed,
    };
    const own = cleaned.body.flatMap((p, i) => splitSentences(article.id, p, i));
    sources.push(source);
    sentences.push(...own);
  }
  mentions.push(...findMentions(sentences, entities));
  return { sources, sentences, mentions, entities, facts: [], quotes: [] };
}
