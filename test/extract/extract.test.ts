/**
 * Article extraction on pages built like real newsroom pages (test/fakes/news-site.ts): the
 * report and nothing of the furniture, the metadata from JSON-LD or Open Graph, and a clear
 * refusal of what is not an article.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract.js';
import { languageCode } from '../../src/extract/metadata.js';
import { afpBesiegedReport, cookieWallPage, indexPage, kabulDispatchReport, newsPage, paywallPage } from '../fakes/news-site.js';

describe('a news page', () => {
  const report = { ...kabulDispatchReport(), canonical: 'https://kabul-dispatch.example/asia/masood-vows', modified: '2021-08-25T09:00:00Z' };
  const result = extractArticle(newsPage(report));

  it('gives the report, paragraph by paragraph, in order', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.paragraphs).toEqual(report.paragraphs);
  });

  it('leaves out the cookie banner, navigation, adverts, share bar, related links, newsletter box and footer', () => {
    if (!result.ok) throw new Error('not extracted');
    const text = result.paragraphs.join('\n');
    for (const furniture of ['cookies', 'Accept all', 'Business', 'Advertisement', 'Share on', 'Related', 'Who is the resistance leader?', 'morning briefing', 'Most read', 'All rights reserved', 'gtag']) {
      expect(text).not.toContain(furniture);
    }
  });

  it('reads headline, outlet, dates, language, author and canonical URL from JSON-LD', () => {
    if (!result.ok) throw new Error('not extracted');
    expect(result.metadata).toMatchObject({
      headline: report.headline,
      outlet: 'Kabul Dispatch',
      published: '2021-08-25T07:30:00Z',
      modified: '2021-08-25T09:00:00Z',
      language: 'en',
      author: 'Staff reporter',
      canonicalUrl: 'https://kabul-dispatch.example/asia/masood-vows',
      isArticle: true,
    });
  });

  it('reads the same from Open Graph and article: meta tags when a page has no JSON-LD', () => {
    const og = extractArticle(newsPage({ ...afpBesiegedReport(), metadata: 'open-graph', modified: '2021-08-23T10:00:00Z' }));
    expect(og.ok && og.metadata).toMatchObject({ outlet: 'TheJournal.ie', headline: afpBesiegedReport().headline, published: '2021-08-23T09:15:00Z', modified: '2021-08-23T10:00:00Z' });
  });

  it('falls back to <time datetime> and <html lang> when the page has neither', () => {
    const bare = extractArticle(newsPage({ ...afpBesiegedReport(), metadata: 'none', language: 'en-IE' }));
    expect(bare.ok && bare.metadata).toMatchObject({ published: '2021-08-23T09:15:00Z', language: 'en', headline: afpBesiegedReport().headline });
    expect(bare.ok && bare.metadata.outlet).toBeUndefined();
  });

  it('takes the language code from a tag', () => {
    expect(languageCode('pt-BR')).toBe('pt');
    expect(languageCode('x')).toBeUndefined();
  });
});

describe('not an article', () => {
  it('refuses a section front full of headlines', () => {
    const links = Array.from({ length: 40 }, (_, i) => ({ title: `Headline ${i}: Taliban, Panjshir and the region's week in review`, href: `/world/${i}` }));
    expect(extractArticle(indexPage('Kabul Dispatch', links))).toMatchObject({ ok: false, kind: 'not-an-article' });
  });

  it('refuses a paywall stub and says so', () => {
    expect(extractArticle(paywallPage(afpBesiegedReport()))).toMatchObject({ ok: false, kind: 'paywall', reason: expect.stringContaining('subscription') });
  });

  it('refuses a cookie wall served instead of the article', () => {
    expect(extractArticle(cookieWallPage('Kabul Dispatch'))).toMatchObject({ ok: false, kind: 'cookie-wall' });
  });

  it('refuses an empty page', () => {
    expect(extractArticle('<!doctype html><title>x</title>')).toMatchObject({ ok: false, kind: 'not-an-article' });
  });
});
