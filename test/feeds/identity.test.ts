/**
 * Recognising one article under several URLs and one report on several sites.
 */
import { describe, expect, it } from 'vitest';
import { normaliseUrl, similarity, sketch, SYNDICATION_THRESHOLD } from '../../src/feeds/identity.js';
import { afpBesiegedReport, kabulDispatchReport } from '../fakes/news-site.js';

describe('URL variants', () => {
  it.each([
    ['https://www.example.org/world/story?utm_source=rss&utm_medium=feed', 'example.org/world/story'],
    ['https://m.example.org/world/story/', 'example.org/world/story'],
    ['https://amp.example.org/world/story', 'example.org/world/story'],
    ['https://example.org/world/story/amp', 'example.org/world/story'],
    ['https://example.org/amp/world/story', 'example.org/world/story'],
    ['https://example.org/world/story.amp.html', 'example.org/world/story.html'],
    ['http://example.org/world/story#comments', 'example.org/world/story'],
    ['https://example.org/world/story?outputType=amp&fbclid=x', 'example.org/world/story'],
    ['https://example.org/article?id=7&page=2', 'example.org/article?id=7&page=2'],
    ['https://example.org/article?page=2&id=7', 'example.org/article?id=7&page=2'],
  ])('%s → %s', (url, key) => {
    expect(normaliseUrl(url)).toBe(key);
  });

  it('keeps parameters that select the page, and the port', () => {
    expect(normaliseUrl('http://127.0.0.1:8080/a?id=1')).toBe('127.0.0.1:8080/a?id=1');
    expect(normaliseUrl('https://example.org/a?id=1')).not.toBe(normaliseUrl('https://example.org/a?id=2'));
  });
});

describe('syndication', () => {
  const afp = afpBesiegedReport().paragraphs;

  it('finds a wire report trimmed and credited differently by another outlet', () => {
    const copy = [...afp.slice(0, -2), 'AFP contributed to this report.'];
    expect(similarity(sketch(afp.join('\n')), sketch(copy.join('\n')))).toBeGreaterThanOrEqual(SYNDICATION_THRESHOLD);
  });

  it('tells apart two reports of the same events in their own words', () => {
    expect(similarity(sketch(afp.join('\n')), sketch(kabulDispatchReport().paragraphs.join('\n')))).toBeLessThan(0.1);
  });
});
