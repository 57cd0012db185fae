/**
 * Days a report gives by telling a happening twice: the lede tells the news and the body dates
 * it when it retells it; "A day earlier" ties two happenings into a chain that one known day
 * dates from end to end. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/knowledge/model.js';
import { inventedArticle, seedStoryWith } from './seed.js';

// Every report is published on Monday 6 September 2021.
const MONDAY = '2021-09-06';

const kb = seedStoryWith([
  // The lede's statement, dated only when the body retells it.
  inventedArticle(
    'r1',
    MONDAY,
    'Amrullah Saleh declared a general mobilisation of fighters from his base in the north.\n\n' +
      'Elders in the villages met to discuss the harvest.\n\n' +
      'Saleh, a former intelligence chief, announced the mobilisation in a video message on Wednesday.\n',
  ),
  // A lede dated only by a noun ("Tuesday's attack") takes the day its retelling gives.
  inventedArticle(
    'r2',
    MONDAY,
    "After Tuesday's attack on a supply convoy, Amrullah Saleh vowed revenge against the Taliban.\n\n" +
      'Saleh vowed revenge in a speech to commanders on Thursday.\n',
  ),
  // A lede that reports what was announced: the announcement's day is not the gathering's.
  inventedArticle(
    'r3',
    MONDAY,
    'Amrullah Saleh announced that hundreds of fighters have gathered at the gates of the valley.\n\n' +
      'In a message on Friday, Saleh said fighters had gathered at the gates.\n',
  ),
  // A chain: the quoted warning dates "A day earlier", and through it the tweet before it and
  // the lede that tells that tweet.
  inventedArticle(
    'r4',
    MONDAY,
    'Amrullah Saleh has warned of a desperate shortage of medicine in the hospitals of the north.\n\n' +
      '“Hospitals have run out of medicine and the wounded are dying,” Saleh tweeted. A day earlier, Saleh had urged aid agencies to open a supply route.\n\n' +
      '“Agencies must open a supply route before the winter closes the passes,” Saleh tweeted on Saturday.\n',
  ),
  // The same chain with a next sentence about something else: no day to take.
  inventedArticle(
    'r5',
    MONDAY,
    'Amrullah Saleh has warned of a desperate shortage of fuel in the north.\n\n' +
      '“Generators have stopped,” Saleh tweeted. A day earlier, Saleh had urged aid agencies to open a supply route.\n\n' +
      '“The elders have had no news of the governor,” Saleh tweeted on Saturday.\n',
  ),
  // The lede's killing, dated by the account that follows it over two sentences.
  inventedArticle(
    'r6',
    MONDAY,
    "Taliban fighters shot dead a tribal elder and his bodyguard in Bazarak, the elder's son said.\n\n" +
      'The son said his father was driving to the market on Friday when Taliban fighters stopped him on the road.\n\n' +
      '“They shot him and his bodyguard by the road,” he said.\n',
  ),
  // The same lede, with an account that shares one word of it: no day to take.
  inventedArticle(
    'r7',
    MONDAY,
    "Taliban fighters shot dead a tribal elder and his bodyguard in Bazarak, the elder's son said.\n\n" +
      'The son said his father was driving to the market on Friday when Taliban fighters stopped him on the road.\n\n' +
      '“Nobody has seen him since,” he said.\n',
  ),
]);

const days = (sourceId: string, words: RegExp): string[] =>
  kb.events
    .filter((e: StoryEvent) => e.citations.some((c) => c.sourceId === sourceId && words.test(c.text)))
    .map((e) => e.date.start)
    .sort();

describe('a lede dated by the body that retells it', () => {
  it('takes the day of a later sentence that tells the same statement of the same person', () => {
    expect(days('r1', /declared a general mobilisation/u)).toEqual(['2021-09-01']);
    // One statement told twice is one event, citing both sentences.
    const event = kb.events.find((e) => e.citations.some((c) => c.sourceId === 'r1' && /declared/u.test(c.text)));
    expect(event?.citations.filter((c) => c.sourceId === 'r1').length).toBe(2);
  });

  it('reads a possessive date as the date of its noun, and the statement as dated by its retelling', () => {
    expect(days('r2', /After Tuesday's attack/u)).toEqual(['2021-08-31', '2021-09-02']);
  });

  it('leaves undated a lede that reports what someone announced had happened', () => {
    expect(days('r3', /announced that hundreds/u)).toEqual([]);
  });
});

describe('a lede whose happening the body recounts', () => {
  it('takes the day of the account told over the dated sentence and the one that goes on from it', () => {
    expect(days('r6', /shot dead a tribal elder/u)).toEqual(['2021-09-03']);
  });

  it('takes no day from an account that shares a single word of the happening', () => {
    expect(days('r7', /shot dead a tribal elder/u)).toEqual([]);
  });
});

describe('"A day earlier" as a chain', () => {
  it('is dated by the next sentence that quotes the same statement with its day', () => {
    expect(days('r4', /A day earlier/u)).toEqual(['2021-09-04']);
  });

  it('dates the statement before it a day later, which dates the lede that tells it', () => {
    expect(days('r4', /desperate shortage of medicine/u)).toEqual(['2021-09-05']);
    const lede = kb.events.find((e) => e.citations.some((c) => c.sourceId === 'r4' && /desperate shortage/u.test(c.text)));
    expect(lede?.date.text).toBe('a day after Saturday');
  });

  it('puts no quotation-opened sentence on the timeline by it', () => {
    expect(days('r4', /^“Hospitals have run out/u)).toEqual([]);
  });

  it('takes no day from a next sentence that tells something else', () => {
    expect(days('r5', /A day earlier/u)).toEqual([]);
    expect(days('r5', /shortage of fuel/u)).toEqual([]);
  });
});
