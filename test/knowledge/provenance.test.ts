/**
 * Provenance: every citation anywhere in the knowledge base points at the exact characters of
 * an article file, re-read from disk here. Generic over the whole KB (it walks every object
 * for citations), so events, claims and conflicts are covered as they are added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Citation, KnowledgeBase } from '../../src/knowledge/model.js';
import { fold } from '../../src/knowledge/text.js';
import { SEED_STORY_DIR, seed } from './seed.js';

const isCitation = (v: unknown): v is Citation =>
  typeof v === 'object' && v !== null && 'sourceId' in v && 'start' in v && 'end' in v && 'text' in v;

/** Every citation in the KB, with the path where it was found (for the failure message). */
function allCitations(kb: KnowledgeBase): Array<{ path: string; citation: Citation }> {
  const found: Array<{ path: string; citation: Citation }> = [];
  const walk = (value: unknown, path: string): void => {
    if (isCitation(value)) found.push({ path, citation: value });
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) if (k !== 'raw') walk(v, `${path}.${k}`);
    }
  };
  walk({ ...kb, sources: kb.sources.map(({ raw: _raw, ...s }) => s) }, 'kb');
  return found;
}

const rawFiles = new Map<string, string>();
function fileText(sourceId: string): string {
  let text = rawFiles.get(sourceId);
  if (text === undefined) {
    text = readFileSync(join(SEED_STORY_DIR, 'articles', `${sourceId}.txt`), 'utf8');
    rawFiles.set(sourceId, text);
  }
  return text;
}

const tidy = (s: string): string => s.replace(/\s+/gu, ' ').trim();

describe('provenance of the seed knowledge base', () => {
  const { kb } = seed();

  it('has citations in every part that exists (sanity check of the walk)', () => {
    const paths = allCitations(kb).map((c) => c.path);
    for (const part of ['descriptionCitation', '.links[', '.mentions[', 'kb.facts[', 'kb.quotes[', 'kb.sources[0].body[', 'kb.sources[0].removed[']) {
      expect(paths.some((p) => p.includes(part)), part).toBe(true);
    }
    if (kb.events.length > 0) expect(paths.some((p) => p.startsWith('kb.events['))).toBe(true);
    if (kb.claims.length > 0) expect(paths.some((p) => p.startsWith('kb.claims['))).toBe(true);
    if (kb.conflicts.length > 0) expect(paths.some((p) => p.startsWith('kb.conflicts['))).toBe(true);
  });

  it('every citation is the exact text of its article file at its offsets', () => {
    const wrong = allCitations(kb).filter(({ citation: c }) => fileText(c.sourceId).slice(c.start, c.end) !== c.text || c.start >= c.end);
    expect(wrong.map((w) => `${w.path}: "${w.citation.text}"`)).toEqual([]);
  });

  it('every quote’s text occurs in each of its citations', () => {
    for (const q of kb.quotes) {
      expect(tidy(q.citations[0]?.text ?? '')).toContain(tidy(q.text));
      for (const c of q.citations) expect(fileText(c.sourceId).slice(c.start, c.end)).toBe(c.text);
    }
  });

  it('every fact’s first citation contains its text', () => {
    for (const f of kb.facts) expect(tidy(f.citations[0]?.text ?? '')).toBe(tidy(f.text));
  });

  it('every link’s evidence names both entities, by any alias', () => {
    const names = new Map(kb.entities.map((e) => [e.id, [e.label, ...e.aliases].map(fold)]));
    for (const entity of kb.entities) {
      for (const link of entity.links) {
        const evidence = fold(link.citation.text);
        const names1 = names.get(entity.id) ?? [];
        const names2 = names.get(link.target) ?? [];
        expect(names1.some((n) => evidence.includes(n)), `${entity.id} ${link.relation} ${link.target}`).toBe(true);
        expect(names2.some((n) => evidence.includes(n)), `${entity.id} ${link.relation} ${link.target}`).toBe(true);
      }
    }
  });

  it('every description’s evidence is a sentence (or part) of the report, not removed furniture', () => {
    for (const entity of kb.entities) {
      const c = entity.descriptionCitation;
      const source = kb.sources.find((s) => s.id === c.sourceId);
      expect(source?.body.some((b) => b.start <= c.start && c.start < b.end), entity.id).toBe(true);
      expect(source?.removed.some((r) => r.start <= c.start && c.start < r.end), entity.id).toBe(false);
    }
  });
});
