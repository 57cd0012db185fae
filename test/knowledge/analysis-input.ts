/**
 * Test helper: the {@link AnalysisInput} of a story folder, built with the ingest pipeline's own
 * article loading, cleaning and sentence splitting, and a plain alias matcher for mentions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadArticles } from '../../src/knowledge/articles.js';
import { cleanArticle } from '../../src/knowledge/clean.js';
import type { Entity, Source } from '../../src/knowledge/model.js';
import type { AnalysisInput, Mention, Sentence } from '../../src/knowledge/sentence.js';
import { splitSentences } from '../../src/knowledge/sentences.js';

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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Longest alias first, no overlaps; an alias two entities share goes to the first listed. */
function findMentions(source: Source, sentences: Sentence[], entities: Entity[]): Mention[] {
  const names = entities
    .flatMap((e) => [e.label, ...e.aliases].map((name) => ({ id: e.id, name })))
    .sort((a, b) => b.name.length - a.name.length);
  const taken: Array<[number, number]> = [];
  const mentions: Mention[] = [];
  for (const s of sentences) {
    for (const { id, name } of names) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'gu');
      for (const m of s.text.matchAll(re)) {
        const start = s.start + m.index;
        const end = start + m[0].length;
        if (taken.some(([a, b]) => start < b && a < end)) continue;
        taken.push([start, end]);
        mentions.push({ entityId: id, sourceId: source.id, start, end, text: m[0] });
      }
    }
  }
  return mentions;
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
    mentions.push(...findMentions(source, own, entities));
  }
  return { sources, sentences, mentions, entities, facts: [], quotes: [] };
}
