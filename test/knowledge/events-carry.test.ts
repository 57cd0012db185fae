/**
 * Dates a report gives once and does not repeat: carried to the sentences that go on about the
 * same happening, counted from the sentence before ("The next day"), read from a time clause
 * ("as the city fell"), and the ones that must not be carried. Every sentence here is invented.
 */
import { describe, expect, it } from 'vitest';
import { anaphoricDay, eventKinds } from '../../src/knowledge/events.js';
import type { StoryEvent } from '../../src/knowledge/model.js';
import { inventedArticle, seedStoryWith } from './seed.js';

const kb = seedStoryWith([
  // Published Saturday 4 September 2021.
  inventedArticle(
    'c1',
    '2021-09-04',
    'Elders from both sides held talks in Bazarak on Wednesday.\n\n' +
      'The meeting ended after four hours without an agreement.\n\n' +
      'A resistance commander was killed in an air strike near Rukha on Thursday.\n\n' +
      'His deputy was also killed, a relative said.\n\n' +
      'The next day, the group announced a week of mourning.\n\n' +
      'Fighters of the group entered Jabal Saraj on Friday.\n\n' +
      'Ashraf Ghani fled the country.\n',
  ),
  inventedArticle('c2', '2021-09-04', 'For the last 24 hours the guns have been silent around Bazarak.\n\nBoth delegations met in Charikar on Wednesday and Thursday.\n'),
  // A city falls on Sunday 29 August; another outlet, two days later, dates a statement by it.
  inventedArticle('c3', '2021-08-29', 'The town of Bazarak fell to the Taliban on Sunday after a day of shelling.\n'),
  inventedArticle('c4', '2021-08-31', 'The governor resigned as Bazarak fell to the Taliban.\n'),
  inventedArticle('c7', '2021-08-31', 'Traders left as the town fell to the Taliban.\n'),
  // Fighters opposing the Taliban say they took districts: not the Taliban's own capture of them.
  inventedArticle('c5', '2021-08-22', 'The Taliban said on Sunday they had retaken three districts in Baghlan from local militias.\n'),
  inventedArticle('c6', '2021-08-23', 'Militias fighting the Taliban in Baghlan have said they retook three districts.\n'),
]);

const citing = (sourceId: string, words: RegExp): StoryEvent[] =>
  kb.events.filter((e) => e.citations.some((c) => c.sourceId === sourceId && words.test(c.text)));

describe('a date the report gives once', () => {
  it('carries to the next sentence that goes on about the same happening ("The meeting …")', () => {
    expect(citing('c1', /The meeting ended/u).map((e) => e.date.start)).toEqual(['2021-09-01']);
  });

  it('carries to "was also killed" as an event of its own on the same day', () => {
    const deputy = citing('c1', /also killed/u);
    expect(deputy.map((e) => e.date.start)).toEqual(['2021-09-02']);
    expect(deputy[0]!.citations.some((c) => /air strike/u.test(c.text))).toBe(false);
  });

  it('counts "The next day" from the day the sentence before gave', () => {
    expect(citing('c1', /week of mourning/u).map((e) => e.date.start)).toEqual(['2021-09-03']);
    expect(anaphoricDay('A day earlier, the minister had warned them.')).toBe(-1);
    expect(anaphoricDay('Two days later they met again.')).toBe(2);
    expect(anaphoricDay('On the same day the airport reopened.')).toBe(0);
    expect(anaphoricDay('The talks ended a day earlier than planned.')).toBeUndefined();
  });

  it('never carries a date to a sentence that does not go on about the same happening', () => {
    expect(citing('c1', /Ghani fled/u)).toEqual([]);
  });
});

describe('dates a journalist gives in other words', () => {
  it('takes a purpose ("joined forces to attack the town") for no happening, but "failed to capture" for one', () => {
    expect(eventKinds('Witnesses said the two groups joined forces to attack the town.')).toEqual(['say']);
    expect(eventKinds('The militia failed to capture the pass.')).toEqual(['conquer', 'capture']);
    expect(eventKinds('Some of them said they came as reinforcements.')).toEqual(['say', 'move']);
  });

  it('reads "for the last 24 hours" as the day of the report', () => {
    expect(citing('c2', /guns have been silent/u).map((e) => e.date.start)).toEqual(['2021-09-04']);
    expect(eventKinds('For the last 24 hours the guns have been silent')).toEqual(['truce']);
  });

  it('places a happening told "on Wednesday and Thursday" at its first day, once', () => {
    expect(citing('c2', /Wednesday and Thursday/u).map((e) => e.date.start)).toEqual(['2021-09-01']);
  });

  it('dates a sentence by its time clause when that names a recent dated happening ("as Bazarak fell")', () => {
    const fall = citing('c3', /fell to the Taliban on Sunday/u);
    expect(fall.map((e) => e.date.start)).toEqual(['2021-08-29']);
    expect(fall[0]!.citations.some((c) => c.sourceId === 'c4')).toBe(true);
    // A time clause that names no place or person of the event ("as the town fell") dates nothing.
    expect(fall[0]!.citations.some((c) => c.sourceId === 'c7')).toBe(false);
  });

  it('never joins "militias fighting the Taliban have said" to the Taliban\'s own telling', () => {
    expect(citing('c6', /retook three districts/u)).toEqual([]);
    expect(citing('c5', /retaken three districts/u).map((e) => e.date.start)).toEqual(['2021-08-22']);
  });
});
