import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleError, isIsoDate, loadArticles, parseArticleMeta } from '../../src/knowledge/articles.js';
import { SEED_STORY_DIR } from './seed.js';

function storyWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-articles-'));
  mkdirSync(join(dir, 'articles'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'articles', name), text);
  return dir;
}

describe('article loading', () => {
  it('loads the seed articles with their metadata, the id being the file stem', () => {
    const articles = loadArticles(SEED_STORY_DIR);
    expect(articles.map((a) => a.id)).toEqual(['000_80426d2fa619d4a8', '003_150d7347964c21d9']);
    expect(articles[1]?.meta).toMatchObject({ outlet: 'TheJournal.ie', published: '2021-08-23', language: 'en', agency: 'AFP' });
  });

  it('names the file when the metadata file is missing', () => {
    const dir = storyWith({ '001_x.txt': 'Text.' });
    expect(() => loadArticles(dir)).toThrow(/001_x\.meta\.yaml: metadata file is missing/u);
  });

  it('names the file and field when metadata is bad', () => {
    const dir = storyWith({
      '001_x.txt': 'Text.',
      '001_x.meta.yaml': 'outlet: AFP\nheadline: H\npublished: 2021-02-30\nlanguage: english\n',
    });
    expect(() => loadArticles(dir)).toThrow(ArticleError);
    expect(() => loadArticles(dir)).toThrow(/001_x\.meta\.yaml: invalid article metadata: field "published": must be a real date.*field "language": must be a two-letter/u);
  });

  it('reports a missing field as missing, and broken YAML as such', () => {
    expect(() => parseArticleMeta({ headline: 'H', published: '2021-08-23', language: 'en' }, 'm.yaml')).toThrow(/field "outlet": is missing/u);
    const dir = storyWith({ '001_x.txt': 'Text.', '001_x.meta.yaml': 'outlet: [unclosed\n' });
    expect(() => loadArticles(dir)).toThrow(/not valid YAML/u);
  });

  it('validates dates strictly', () => {
    expect(isIsoDate('2021-08-23')).toBe(true);
    expect(isIsoDate('2021-8-23')).toBe(false);
    expect(isIsoDate('2021-02-29')).toBe(false);
  });
});
