/**
 * The story-wide stages kept between builds (src/knowledge/assembly.ts): an article that sorts
 * after every other is added in place, and the knowledge base is exactly the reference build's
 * (every stage over the whole story at once) for the longer story, at every step; an article
 * that sorts anywhere else, or a changed registry, builds the whole story and matches too.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/knowledge/articles.js';
import { canonicalOrder, createAssembler } from '../../src/knowledge/build.js';
import { createReadingCache } from '../../src/knowledge/reading-cache.js';
import { copyOf, random, randomStory, registry, seed, shuffled, story } from './random-story.js';
import { referenceBuild } from './reference-build.js';
import { inventedArticle } from './seed.js';

/** The shortest start of `ordered` that holds every seed article (the registry cites them). */
function firstBuildable(ordered: readonly Article[]): number {
  const ids = new Set(seed.map((a) => a.id));
  let n = 0;
  while (ids.size > 0 && n < ordered.length) ids.delete((ordered[n++] as Article).id);
  return n;
}

/** A live feed: each new article published a day after the one before, after the whole story. */
function liveFeed(seedValue: number, count: number): Article[] {
  const next = random(seedValue);
  const picked = shuffled(randomStory(seedValue).slice(seed.length), next).slice(0, count);
  return picked.map((a, i) => copyOf({ ...a, meta: { ...a.meta, published: `2021-10-${String(i + 1).padStart(2, '0')}` } }, 20 + i));
}

describe('story-wide stages kept between builds', () => {
  for (const seedValue of [1, 2, 3]) {
    it(`adds each article that sorts last in place and equals the reference build at every step (story ${seedValue})`, () => {
      const ordered = canonicalOrder(randomStory(seedValue));
      const start = firstBuildable(ordered);
      const cache = createReadingCache({ version: 'test' });
      const assembler = createAssembler();
      for (let n = start; n <= ordered.length; n++) {
        const articles = ordered.slice(0, n);
        const { kb } = assembler.assemble(story, registry, cache.read(articles, registry.entities));
        expect(kb, `after ${n} articles`).toEqual(referenceBuild({ story, registry, articles }).kb);
      }
      // The first build is whole; every addition sorted last and was made in place.
      expect(assembler.stats).toEqual({ full: 1, inPlace: ordered.length - start });
    }, 120_000);
  }

  it('adds a live feed in place: every new article is the latest', () => {
    const cache = createReadingCache({ version: 'test' });
    const assembler = createAssembler();
    const feed = liveFeed(5, 8);
    let articles: Article[] = [...seed];
    assembler.assemble(story, registry, cache.read(canonicalOrder(articles), registry.entities));
    for (const article of feed) {
      articles = [...articles, article];
      const ordered = canonicalOrder(articles);
      expect(ordered.at(-1)).toBe(article);
      const { kb } = assembler.assemble(story, registry, cache.read(ordered, registry.entities));
      expect(kb).toEqual(referenceBuild({ story, registry, articles }).kb);
    }
    expect(assembler.stats).toEqual({ full: 1, inPlace: feed.length });
  }, 120_000);

  it('builds the whole story for an article that sorts before the last, and still equals the reference build', () => {
    const cache = createReadingCache({ version: 'test' });
    const assembler = createAssembler();
    const feed = liveFeed(6, 3);
    const early = { ...copyOf(seed[1] as Article, 40), meta: { ...(seed[1] as Article).meta, published: '2021-08-01' } };
    const steps: Article[][] = [[...seed, ...feed], [...seed, ...feed, early]];
    const kbs = steps.map((articles) => assembler.assemble(story, registry, cache.read(canonicalOrder(articles), registry.entities)).kb);
    expect(canonicalOrder(steps[1] as Article[]).at(-1)).not.toBe(early);
    expect(assembler.stats).toEqual({ full: 2, inPlace: 0 });
    steps.forEach((articles, i) => expect(kbs[i]).toEqual(referenceBuild({ story, registry, articles }).kb));
  }, 120_000);

  it('builds the whole story when the registry changed, and when an article left', () => {
    const cache = createReadingCache({ version: 'test' });
    const assembler = createAssembler();
    const feed = liveFeed(7, 3);
    const all = canonicalOrder([...seed, ...feed]);
    assembler.assemble(story, registry, cache.read(all, registry.entities));
    const renamed = { ...registry, entities: registry.entities.map((e, i) => (i === 0 ? { ...e, description: `${e.description} (edited)` } : e)) };
    const edited = assembler.assemble(story, renamed, cache.read(all, renamed.entities)).kb;
    expect(edited).toEqual(referenceBuild({ story, registry: renamed, articles: all }).kb);
    const fewer = all.filter((a) => a !== feed[0]);
    const left = assembler.assemble(story, renamed, cache.read(fewer, renamed.entities)).kb;
    expect(left).toEqual(referenceBuild({ story, registry: renamed, articles: fewer }).kb);
    expect(assembler.stats).toEqual({ full: 3, inPlace: 0 });
  }, 120_000);

  it('lets an earlier denial answer a claim a later report makes, as the whole-story build does', () => {
    const denial = inventedArticle('denial', '2021-08-24', 'Resistance commanders in Panjshir denied that the Taliban fighters had captured the Khinj district overnight.\n');
    const claim = inventedArticle('claim', '2021-08-25', 'A Taliban spokesman said that their fighters had captured the Khinj district overnight after heavy fighting.\n');
    const cache = createReadingCache({ version: 'test' });
    const assembler = createAssembler();
    let kb = assembler.assemble(story, registry, cache.read(canonicalOrder([...seed, denial]), registry.entities)).kb;
    const articles = canonicalOrder([...seed, denial, claim]);
    expect(articles.at(-1)).toBe(claim);
    kb = assembler.assemble(story, registry, cache.read(articles, registry.entities)).kb;
    expect(assembler.stats).toEqual({ full: 1, inPlace: 1 });
    const answered = kb.claims.find((c) => c.citations.some((x) => x.sourceId === 'claim'));
    expect(answered?.counterClaims.flatMap((c) => c.citations.map((x) => x.sourceId))).toContain('denial');
    expect(kb).toEqual(referenceBuild({ story, registry, articles }).kb);
  });

  it('keeps the conflicts of a later report as the whole-story build finds them: a new side to a killing, a person now reported dead', () => {
    const killing = inventedArticle('killing', '2021-08-26', 'Ahmad Shah Massoud was killed by the Soviets, one veteran said in a speech.\n');
    const dead = inventedArticle('dead', '2021-08-27', 'Mourners gathered for the late Amrullah Saleh in Kabul.\n');
    const cache = createReadingCache({ version: 'test' });
    const assembler = createAssembler();
    assembler.assemble(story, registry, cache.read(canonicalOrder(seed), registry.entities));
    let articles = canonicalOrder([...seed, killing]);
    let kb = assembler.assemble(story, registry, cache.read(articles, registry.entities)).kb;
    expect(kb.conflicts.find((c) => c.topic.startsWith('Who killed'))?.sides.map((x) => x.citation.sourceId)).toContain('killing');
    expect(kb).toEqual(referenceBuild({ story, registry, articles }).kb);
    articles = canonicalOrder([...seed, killing, dead]);
    kb = assembler.assemble(story, registry, cache.read(articles, registry.entities)).kb;
    expect(kb.conflicts.some((c) => c.entities.includes('amrullah-saleh') && c.topic.includes('former'))).toBe(false);
    expect(kb).toEqual(referenceBuild({ story, registry, articles }).kb);
    expect(assembler.stats).toEqual({ full: 1, inPlace: 2 });
  });

  describe('the timeline', () => {
    /** Seed, then each report added in place (each sorts last); the knowledge base after each, checked against the reference build. */
    function addOneByOne(reports: Article[]): Array<ReturnType<typeof referenceBuild>['kb']> {
      const cache = createReadingCache({ version: 'test' });
      const assembler = createAssembler();
      const kbs = [];
      for (let n = 0; n <= reports.length; n++) {
        const articles = canonicalOrder([...seed, ...reports.slice(0, n)]);
        if (n > 0) expect(articles.at(-1)).toBe(reports[n - 1]);
        const { kb } = assembler.assemble(story, registry, cache.read(articles, registry.entities));
        expect(kb, `after ${n} reports`).toEqual(referenceBuild({ story, registry, articles }).kb);
        kbs.push(kb);
      }
      expect(assembler.stats).toEqual({ full: 1, inPlace: reports.length });
      return kbs;
    }
    const citing = (kb: { events: Array<{ citations: Array<{ sourceId: string }> }> }, id: string) => kb.events.find((e) => e.citations.some((c) => c.sourceId === id));

    it('lets an earlier undated report join an earlier event through a telling a later report adds to it', () => {
      const dated = inventedArticle('dated', '2021-09-02', 'Heavy clashes broke out near Bazarak on September 2.\n');
      const undated = inventedArticle('undated', '2021-09-03', 'Fighters were wounded in fierce clashes in Shutul.\n');
      const later = inventedArticle('later', '2021-09-04', 'Fierce clashes near Bazarak on September 2 left fighters wounded in Shutul.\n');
      const kbs = addOneByOne([dated, undated, later]);
      expect(citing(kbs[2]!, 'dated')?.citations.map((c) => c.sourceId)).not.toContain('undated');
      expect(citing(kbs[3]!, 'later')?.citations.map((c) => c.sourceId)).toEqual(expect.arrayContaining(['dated', 'undated', 'later']));
    });

    it('reads the whole story again when a later report narrows an earlier event’s date', () => {
      const month = inventedArticle('month', '2021-09-02', 'Heavy clashes broke out near Bazarak in September.\n');
      const undated = inventedArticle('undated', '2021-09-10', 'Fierce clashes broke out near the valley, leaving many fighters wounded.\n');
      const day = inventedArticle('day', '2021-09-12', 'Heavy clashes broke out near Bazarak on September 2.\n');
      const kbs = addOneByOne([month, undated, day]);
      expect(citing(kbs[2]!, 'month')?.citations.map((c) => c.sourceId)).toContain('undated');
      expect(citing(kbs[3]!, 'day')?.citations.map((c) => c.sourceId)).not.toContain('undated');
    });

    it('dates an earlier sentence by its temporal clause when a later report tells that happening', () => {
      const tweet = inventedArticle('tweet', '2021-09-06', 'Amrullah Saleh tweeted as Bazarak fell to the militants.\n');
      const fall = inventedArticle('fall', '2021-09-07', 'Bazarak fell to the Taliban on September 5.\n');
      const kbs = addOneByOne([tweet, fall]);
      expect(citing(kbs[2]!, 'fall')?.citations.map((c) => c.sourceId)).toContain('tweet');
    });
  });
});

