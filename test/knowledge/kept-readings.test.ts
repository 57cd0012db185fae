/**
 * The timeline and claims stages keep each sentence's reading between builds (the per-article
 * results stay in memory, so an addition re-reads only its own sentences). A kept reading is
 * used only while what it was read from is the same: the report's publication day, the entity
 * mentions inside the sentence and (for claims) those entities' types. Each build here is compared with the same build over copies of
 * the per-article results, which nothing has read before.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../eval/corpus.js';
import { knowArticles, type ArticleKnowledge } from '../../src/knowledge/article-knowledge.js';
import { loadArticles } from '../../src/knowledge/articles.js';
import { assembleKnowledge, canonicalOrder } from '../../src/knowledge/build.js';
import { extractClaims } from '../../src/knowledge/claims.js';
import { extractEvents } from '../../src/knowledge/events.js';
import { loadStoryMeta } from '../../src/knowledge/load.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import type { Claim, Entity, StoryEvent } from '../../src/knowledge/model.js';
import { SEED_STORY_DIR } from './seed.js';

const story = loadStoryMeta(SEED_STORY_DIR);
const registry = loadRegistry(join(SEED_STORY_DIR, 'registry.yaml'));
const articles = canonicalOrder([...loadArticles(SEED_STORY_DIR), ...loadCorpus().map((r) => r.article)]);
const entities = assembleKnowledge(story, registry, knowArticles(articles, registry.entities)).kb.entities;

function input(units: readonly ArticleKnowledge[], known: Entity[] = entities): Parameters<typeof extractEvents>[0] {
  return {
    sources: units.map((u) => u.source),
    sentences: units.flatMap((u) => u.sentences),
    mentions: units.flatMap((u) => u.mentions),
    entities: known,
    facts: [],
    quotes: [],
  };
}
const events = (units: readonly ArticleKnowledge[]): StoryEvent[] => extractEvents(input(units));
const claims = (units: readonly ArticleKnowledge[], known: Entity[] = entities): Claim[] => extractClaims(input(units, known));

/** The same timeline from results no build has read: every sentence read afresh. */
const fresh = (units: readonly ArticleKnowledge[]): StoryEvent[] => events(structuredClone(units));
const freshClaims = (units: readonly ArticleKnowledge[], known: Entity[] = entities): Claim[] => claims(structuredClone(units), known);

describe('kept sentence readings', () => {
  it('give the claims a fresh build gives, as articles are added', () => {
    const units = knowArticles(articles, registry.entities);
    const half = Math.floor(units.length / 2);
    expect(claims(units.slice(0, half))).toEqual(freshClaims(units.slice(0, half)));
    expect(claims(units)).toEqual(freshClaims(units));
  });

  it('of claims are read again when an entity changes type', () => {
    const units = knowArticles(articles, registry.entities);
    const before = claims(units);
    // A place never claims: with every entity a place, no claim names its claimant's entity.
    const places = entities.map((e) => ({ ...e, type: 'place' as const }));
    const after = claims(units, places);
    expect(after).toEqual(freshClaims(units, places));
    expect(after).not.toEqual(before);
  });

  it('of claims are read again when the report is dated another day', () => {
    const units = knowArticles(articles, registry.entities);
    const before = claims(units);
    const shifted = units.map((u) => ({ ...u, source: { ...u.source, published: shiftDay(u.source.published, 40) } }));
    const after = claims(shifted);
    expect(after).toEqual(freshClaims(shifted));
    expect(after).not.toEqual(before);
  });

  it('give the timeline a fresh build gives, as articles are added', () => {
    const units = knowArticles(articles, registry.entities);
    const half = Math.floor(units.length / 2);
    expect(events(units.slice(0, half))).toEqual(fresh(units.slice(0, half)));
    expect(events(units)).toEqual(fresh(units));
  });

  it('are read again when the report is dated another day', () => {
    const units = knowArticles(articles, registry.entities);
    const before = events(units);
    const shifted = units.map((u) => ({ ...u, source: { ...u.source, published: shiftDay(u.source.published, 3) } }));
    const after = events(shifted);
    expect(after).toEqual(fresh(shifted));
    expect(after).not.toEqual(before);
  });

  it('are read again when the mentions inside a sentence change', () => {
    const units = knowArticles(articles, registry.entities);
    const before = events(units);
    // Without its entity mentions, every report tells its happenings of nobody named.
    const unnamed = units.map((u) => ({ ...u, mentions: [] }));
    const after = events(unnamed);
    expect(after).toEqual(fresh(unnamed));
    expect(after).not.toEqual(before);
  });
});

function shiftDay(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.toISOString().slice(0, 10)}${iso.slice(10)}`;
}
