/**
 * The evaluation: the seed story with every corpus report added (as `npm run ingest` would),
 * built by the real pipeline, and scored report by report against the readers' expectations.
 */
import { join } from 'node:path';
import { loadArticles } from '../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../src/knowledge/build.js';
import { loadStoryMeta } from '../src/knowledge/load.js';
import type { KnowledgeBase } from '../src/knowledge/model.js';
import { loadRegistry } from '../src/knowledge/registry.js';
import { loadCorpus, type CorpusReport } from './corpus.js';
import { addScores, EMPTY_SCORE, scoreCorpus, type ReportScore, type Score } from './score.js';

export const SEED_STORY_DIR = join(import.meta.dirname, '../data/stories/panjshir');

export interface Evaluation {
  kb: KnowledgeBase;
  reports: ReportScore[];
  total: Score;
}

/** Builds the seed story plus `reports` (in the given order) with the real pipeline. */
export function buildWithCorpus(reports: readonly CorpusReport[], storyDir = SEED_STORY_DIR): KnowledgeBase {
  return buildKnowledgeBase({
    story: loadStoryMeta(storyDir),
    registry: loadRegistry(join(storyDir, 'registry.yaml')),
    articles: [...loadArticles(storyDir), ...reports.map((r) => r.article)],
  });
}

/**
 * Runs the evaluation over the corpus.
 *
 * @example
 * const { total } = evaluate(); total.quotesWrong // 0
 */
export function evaluate(reports: readonly CorpusReport[] = loadCorpus()): Evaluation {
  const kb = buildWithCorpus(reports);
  const scored = scoreCorpus(kb, reports);
  const total = scored.reports.reduce((sum, r) => addScores(sum, r.score), EMPTY_SCORE);
  return { kb, reports: scored.reports, total: { ...total, wrongMerges: scored.wrongMerges } };
}
