import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatDay } from '../../src/replies/format.js';
import { SEED_STORY, ask, kb } from './seed-router.js';

interface ArticleMeta {
  outlet: string;
  headline: string;
  published: string;
  language: string;
  originalLanguage?: string;
}

/** The story's articles as their meta files on disk describe them. */
const articles = readdirSync(join(SEED_STORY, 'articles'))
  .filter((f) => f.endsWith('.meta.yaml'))
  .map((f) => ({ id: f.replace(/\.meta\.yaml$/, ''), meta: parse(readFileSync(join(SEED_STORY, 'articles', f), 'utf8')) as ArticleMeta }));

describe('/sources', () => {
  it('lists every article of the story folder with outlet, headline and date', async () => {
    expect(articles.length).toBeGreaterThanOrEqual(2);
    const r = await ask('/sources');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe(`Sources: ${kb.story.title}`);
    expect(r.summary).toBe(`${articles.length} articles.`);
    const lines = r.sections.flatMap((s) => s.lines);
    expect(lines).toHaveLength(articles.length);
    for (const { meta } of articles) {
      const line = lines.find((l) => l.text.startsWith(`${meta.outlet} — `));
      expect(line?.text, meta.outlet).toContain(meta.headline);
      expect(line?.text).toContain(formatDay(String(meta.published)));
    }
  });

  it('lists each article once: its line links to it, and no second list repeats the articles', async () => {
    const r = await ask('/sources');
    const lines = r.sections.flatMap((s) => s.lines);
    expect(r.citations).toEqual([]);
    for (const line of lines) {
      const source = kb.sources.find((s) => line.text.startsWith(`${s.outlet} — ${s.headline}`));
      expect(source, line.text).toBeDefined();
      expect(line.url).toBe(source?.url);
      expect(line.cites).toEqual([]);
    }
    expect(new Set(lines.map((l) => l.text)).size).toBe(kb.sources.length);
  });

  it('says when the text the bot holds is a translation', async () => {
    const r = await ask('/sources');
    const lines = r.sections.flatMap((s) => s.lines);
    for (const { meta } of articles) {
      const line = lines.find((l) => l.text.startsWith(`${meta.outlet} — `))!;
      if (meta.originalLanguage !== undefined && meta.originalLanguage !== meta.language) expect(line.text).toContain(`translated from ${meta.originalLanguage}`);
      else expect(line.text).not.toContain('translated');
    }
  });

  it('counts the facts and quotes each article supports', async () => {
    const r = await ask('/sources');
    for (const line of r.sections.flatMap((s) => s.lines)) {
      const source = kb.sources.find((s) => line.text.startsWith(`${s.outlet} — `))!;
      const facts = kb.facts.filter((f) => f.citations.some((c) => c.sourceId === source.id)).length;
      const quotes = kb.quotes.filter((q) => q.citations.some((c) => c.sourceId === source.id)).length;
      expect(line.note).toBe(`${facts} facts, ${quotes} quotes`);
      expect(facts).toBeGreaterThan(0);
    }
  });

  it('lists the newest first', async () => {
    const r = await ask('/sources');
    const dates = r.sections.flatMap((s) => s.lines).map((l) => kb.sources.find((s) => l.text.startsWith(`${s.outlet} — `))!.published);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('ignores any argument and answers the same in plain words', async () => {
    const plain = await ask('/sources');
    expect(await ask('/sources please <b>now</b> @everyone')).toEqual(plain);
    expect(await ask('which sources?')).toEqual(plain);
  });
});
