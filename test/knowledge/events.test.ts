import { describe, expect, it } from 'vitest';
import { eventKinds, extractEvents } from '../../src/knowledge/events.js';
import type { StoryEvent } from '../../src/knowledge/model.js';
import { analysisInputFor, findOne, FIXTURE_STORY, G1, JOURNAL, SEED_STORY } from './analysis-input.js';
import { seedStoryWith } from './seed.js';

const input = analysisInputFor(SEED_STORY);
const events = extractEvents(input);

const eventAbout = (pattern: RegExp, start?: string): StoryEvent =>
  findOne(
    events,
    (e) => pattern.test(e.text) && (start === undefined || e.date.start === start),
    `an event matching ${pattern} on ${start ?? 'any date'}`,
  );

describe('extractEvents on the two seed reports', () => {
  it('dates the Soviet failure to the 1980s and the Taliban years to 1996–2001', () => {
    expect(eventAbout(/Soviet Union, in the 1980s/).date).toMatchObject({ precision: 'decade', start: '1980-01-01' });
    const taliban = eventAbout(/failed to conquer the Panjshir when it controlled the country/);
    expect(taliban.date).toMatchObject({ precision: 'span', start: '1996-01-01', end: '2001-12-31' });
    expect(taliban.entities).toContain('taliban');
  });

  it('keeps the killing of 2001 and the 2001 invasion apart', () => {
    const killing = eventAbout(/murdered by al-Qaeda/);
    expect(killing.date).toMatchObject({ precision: 'year', start: '2001-01-01', text: 'in 2001' });
    expect(killing.entities).toEqual(expect.arrayContaining(['al-qaeda', 'takhar']));
    const invasion = eventAbout(/2001 invasion/);
    expect(invasion.id).not.toBe(killing.id);
  });

  it('dates last week to the week of 16 August 2021', () => {
    expect(eventAbout(/taken over by local militias/).date).toMatchObject({ precision: 'week', start: '2021-08-16', end: '2021-08-22' });
    expect(eventAbout(/collapse of the US-backed government/).date).toMatchObject({ precision: 'week', start: '2021-08-16' });
  });

  it('dates the statements of Tuesday, Sunday and the weekend', () => {
    expect(eventAbout(/Saleh, who was one of/).date.start).toBe('2021-08-17');
    expect(eventAbout(/interview with Reuters/).date.start).toBe('2021-08-22');
    expect(eventAbout(/pro-Taliban Twitter accounts announced Sunday/).date.start).toBe('2021-08-22');
    expect(eventAbout(/said at the weekend/).date).toMatchObject({ precision: 'span', start: '2021-08-21', end: '2021-08-22' });
  });

  it('makes the encirclement of 23 August one event cited by both outlets', () => {
    const encircled = eventAbout(/encircled the Panjshir Valley/, '2021-08-23');
    expect(encircled.citations.map((c) => c.sourceId)).toEqual([G1, JOURNAL]);
    expect(encircled.citations[1]!.text).toMatch(/surrounded/);
    expect(events.filter((e) => e.date.start === '2021-08-23')).toHaveLength(1);
  });

  it('joins the undated G1 report of clashes at night to the clashes overnight', () => {
    const clashes = eventAbout(/clashes overnight/);
    expect(clashes.date).toMatchObject({ precision: 'span', start: '2021-08-22', end: '2021-08-23' });
    expect(clashes.citations.map((c) => c.sourceId).sort()).toEqual([G1, JOURNAL]);
  });

  it('gives no event from photo captions', () => {
    const captionStarts = new Set(input.sentences.filter((s) => s.caption).map((s) => `${s.sourceId}:${s.start}`));
    for (const e of events) for (const c of e.citations) expect(captionStarts.has(`${c.sourceId}:${c.start}`)).toBe(false);
    expect(events.some((e) => e.date.start === '2019-09-05')).toBe(false);
  });

  it('orders events oldest first and cites exact sentence spans of the raw text', () => {
    const starts = events.map((e) => e.date.start);
    expect(starts).toEqual([...starts].sort());
    const raw = new Map(input.sources.map((s) => [s.id, s.raw]));
    for (const e of events) {
      expect(e.citations.length).toBeGreaterThan(0);
      for (const c of e.citations) {
        expect(raw.get(c.sourceId)!.slice(c.start, c.end)).toBe(c.text);
        expect(input.sentences.some((s) => s.sourceId === c.sourceId && s.start === c.start && s.end === c.end)).toBe(true);
      }
      expect(e.citations.some((c) => c.text.replace(/\s+/g, ' ').toLowerCase().includes(e.text.toLowerCase()))).toBe(true);
    }
  });

  it('gives stable ids across rebuilds', () => {
    expect(extractEvents(analysisInputFor(SEED_STORY)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('returns nothing for an empty story', () => {
    expect(extractEvents({ sources: [], sentences: [], mentions: [], entities: [], facts: [], quotes: [] })).toEqual([]);
  });
});

describe('extractEvents on an article it has never seen (published Monday 6 Sep 2021)', () => {
  const fixture = extractEvents(analysisInputFor(FIXTURE_STORY));

  it('resolves its weekdays and month-days against its own publication day, oldest first', () => {
    expect(fixture.map((e) => [e.date.start, e.text.slice(0, 30)])).toEqual([
      ['2001-01-01', "The valley's hero, Ahmad Shah "],
      ['2021-08-15', 'Taliban fighters entered Kabul'],
      ['2021-09-03', 'Heavy fighting broke out on Fr'],
      ['2021-09-05', 'Zabihullah Mujahid, the Taliba'],
      ['2021-09-06', 'The Taliban said on Monday tha'],
    ]);
  });
});

describe('an event is dated by its own clause', () => {
  const kb = seedStoryWith([
      {
        id: 'x',
        file: 'x.txt',
        raw: 'Ahmad Massoud, the son of a commander who fought the Soviets in the 1980s, said he will not surrender the valley, a TV channel cited him as saying on Sunday.\n',
        meta: { outlet: 'Wire', headline: 'No surrender', published: '2021-08-23', language: 'en' },
      },
  ]);
  const own = kb.events.filter((e) => e.citations.some((c) => c.sourceId === 'x'));

  it('the statement is on the day it was made ("cited him as saying on Sunday"), never in the 1980s of a description', () => {
    expect(own.map((e) => e.date.start)).toContain('2021-08-22');
    expect(own.filter((e) => e.date.precision === 'decade' && /surrender|cited/u.test(e.text))).toEqual([]);
  });
});

describe('a clause dated from its main clause, and a feared happening', () => {
  const kb = seedStoryWith([
      {
        id: 'y',
        file: 'y.txt',
        raw:
          'Amrullah Saleh said on Sunday that the Taliban had massed near Panjshir a day after they were ambushed in the Andarab valley.\n\n' +
          'Taliban fighters headed north on Tuesday, raising fears of heavy fighting in the valley.\n',
        meta: { outlet: 'Wire', headline: 'Massing', published: '2021-09-01', language: 'en' },
      },
  ]);
  const own = kb.events.filter((e) => e.citations.some((c) => c.sourceId === 'y'));

  it('dates "a day after they were ambushed" the day before the sentence\'s Sunday', () => {
    expect(own.find((e) => /^A day after they were ambushed/u.test(e.text))?.date.start).toBe('2021-08-28');
    expect(own.find((e) => /said on Sunday/u.test(e.text))?.date.start).toBe('2021-08-29');
  });

  it('takes "raising fears of heavy fighting" for no fighting: the sentence names no happening', () => {
    expect(eventKinds('Taliban fighters headed north on Tuesday, raising fears of heavy fighting in the valley.')).toEqual([]);
    expect(eventKinds('The group said fighters headed north, raising the threat of an attack.')).toEqual(['say']);
    expect(eventKinds('Heavy fighting broke out on Friday.')).toEqual(['clash']);
    expect(eventKinds('Massoud welcomed proposals for a negotiated settlement to end the fighting.')).toEqual([]);
    expect(own.some((e) => /headed north/u.test(e.text))).toBe(false);
  });
});

describe('dates that do not date the happening: a dateline, and "today" in a quotation', () => {
  const kb = seedStoryWith([
      {
        id: 'z',
        file: 'z.txt',
        raw:
          'Kabul/New Delhi, August 31 (IANS): Residents of Panjshir province, the only region that has not fallen to the Taliban, say that the Taliban have cut telecommunication networks.\n\n' +
          'In a statement on Facebook, the National Resistance Front said, “With regret, we lost two fighters killed in the valley today. Congratulations on their martyrdom!”\n',
        meta: { outlet: 'Wire', headline: 'Cut off', published: '2021-09-02', language: 'en' },
      },
  ]);
  const own = kb.events.filter((e) => e.citations.some((c) => c.sourceId === 'z'));

  it('never dates an event by the dateline of the report that tells it', () => {
    expect(own.filter((e) => e.date.start === '2021-08-31')).toEqual([]);
  });

  it('puts no date of publication on the speaker\'s "today", nor joins it to another day', () => {
    expect(own.filter((e) => e.citations.some((c) => /two fighters/u.test(c.text)))).toEqual([]);
  });
});

describe('happenings a journalist names', () => {
  it('reads shutdowns, curfews, lost control, exits, arrests and sweeping to power as happenings', () => {
    expect(eventKinds('On Sunday, the Taliban shut down internet services in Panjshir')).toEqual(['restrict']);
    expect(eventKinds('The group had imposed a curfew in Kabul on Thursday')).toEqual(['restrict']);
    expect(eventKinds('the Taliban have lost control of the district')).toEqual(['collapse']);
    expect(eventKinds('US troops made their final exit from Afghanistan on Monday night')).toEqual(['invade']);
    expect(eventKinds('Arrested in Pakistan in 2010')).toEqual(['detain']);
    expect(eventKinds('When the Taliban swept to power last month')).toEqual(['control']);
    expect(eventKinds('three major offensives')).toEqual(['clash']);
  });

  const kb = seedStoryWith([
      {
        id: 'k1',
        file: 'k1.txt',
        raw: 'Taliban fighters killed Fahim Dashty in Panjshir on Monday, Ahmad Massoud said.\n',
        meta: { outlet: 'Wire', headline: 'Killed', published: '2021-09-06', language: 'en' },
      },
      {
        id: 'k2',
        file: 'k2.txt',
        raw: 'Taliban fighters killed the brother of Amrullah Saleh in Panjshir, his nephew said.\n',
        meta: { outlet: 'Post', headline: 'Brother killed', published: '2021-09-10', language: 'en' },
      },
  ]);

  it('never takes an undated killing of another person for a killing of the week before', () => {
    const dashty = kb.events.find((e) => e.citations.some((c) => c.sourceId === 'k1'));
    expect(dashty?.date.start).toBe('2021-09-06');
    expect(kb.events.filter((e) => e.citations.some((c) => c.sourceId === 'k2'))).toEqual([]);
  });
});
