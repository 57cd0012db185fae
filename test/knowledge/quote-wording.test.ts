/**
 * A quote several outlets carry is one quote citing each; it shows the fullest wording, and
 * the original-language report's wording before a translation's (article metadata tells which).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/knowledge/articles.js';
import { loadArticles } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import type { Quote } from '../../src/knowledge/model.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import { G1_ID, JOURNAL_ID, quoteIn, SEED_STORY_DIR } from './seed.js';

const article = (id: string, raw: string, meta: Partial<Article['meta']> = {}): Article => ({
  id,
  file: `${id}.txt`,
  raw,
  meta: { outlet: id.toUpperCase(), headline: 'Pass held', published: '2021-09-03', language: 'en', ...meta },
});

function quoteCiting(articles: Article[], sourceId: string): Quote {
  const kb = buildKnowledgeBase({
    story: { id: 'panjshir', title: 'Panjshir' },
    registry: loadRegistry(join(SEED_STORY_DIR, 'registry.yaml')),
    articles: [...loadArticles(SEED_STORY_DIR), ...articles],
  });
  const q = kb.quotes.find((x) => x.citations.some((c) => c.sourceId === sourceId) && x.speakerId === 'zabihullah-mujahid' && x.citations.length > 1);
  if (!q) throw new Error('no merged quote');
  return q;
}

// The translated report is the longer one, so the build's canonical order reads it first.
const translated = (meta: Partial<Article['meta']>) =>
  article('tr', 'The spokesman spoke on Friday evening in a long address to the valley.\n\n“Our men are holding the northern pass firmly,” said Zabihullah Mujahid.', meta);
const original = article('or', '“Our fighters are holding the northern pass firmly,” Zabihullah Mujahid said.');

describe('which wording a quote carried by several outlets shows', () => {
  it('the wording of the report in its original language, not the translation; both outlets cited', () => {
    const q = quoteCiting([translated({ originalLanguage: 'pt' }), original], 'tr');
    expect(q.text).toBe('Our fighters are holding the northern pass firmly');
    expect(q.citations.map((c) => c.sourceId)).toEqual(['or', 'tr']);
  });

  it('with no translation among them, the first in the build’s order', () => {
    const q = quoteCiting([translated({}), original], 'tr');
    expect(q.text).toBe('Our men are holding the northern pass firmly');
    expect(q.citations.map((c) => c.sourceId)).toEqual(['tr', 'or']);
  });

  it('a whole quote before a fragment of it, even from a translation (the seed: G1 translated, TheJournal a fragment)', () => {
    const q = quoteIn(G1_ID, 'Our fighters are positioned near Panjshir');
    expect(q.text).toBe('Our fighters are positioned near Panjshir');
    expect(q.partial).toBe(false);
    expect(q.citations.map((c) => c.sourceId)).toEqual([G1_ID, JOURNAL_ID]);
  });
});
