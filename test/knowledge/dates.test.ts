import { describe, expect, it } from 'vitest';
import { findDates, ordinalNumber } from '../../src/knowledge/dates.js';

/** Monday 23 August 2021: the day both seed reports were published. */
const PUB = '2021-08-23';

type Row = [sentence: string, words: string, precision: string, start: string, end: string];

function only(text: string, published = PUB) {
  const found = findDates(text, published);
  expect(found, `dates in "${text}"`).toHaveLength(1);
  return found[0]!;
}

describe('findDates resolves dates against the publication day, precision kept', () => {
  const rows: Row[] = [
    // weekdays with the day of month in brackets (G1's style)
    ['The Taliban announced on Monday (23) that it has encircled the valley', 'on Monday (23)', 'day', '2021-08-23', '2021-08-23'],
    ['Massoud said on Sunday (22) that he hopes to negotiate', 'on Sunday (22)', 'day', '2021-08-22', '2021-08-22'],
    // a bare weekday is the most recent such day on or before publication
    ['Saleh said on Tuesday that he would not bow', 'on Tuesday', 'day', '2021-08-17', '2021-08-17'],
    ['pro-Taliban Twitter accounts announced Sunday that fighters were coming', 'Sunday', 'day', '2021-08-22', '2021-08-22'],
    ['The spokesman spoke on Monday', 'on Monday', 'day', '2021-08-23', '2021-08-23'],
    ['On Friday the fighters moved', 'On Friday', 'day', '2021-08-20', '2021-08-20'],
    ['The meeting took place last Monday', 'last Monday', 'day', '2021-08-16', '2021-08-16'],
    ['Talks will resume on Friday', 'on Friday', 'day', '2021-08-27', '2021-08-27'],
    ['Talks resume next Monday', 'next Monday', 'day', '2021-08-30', '2021-08-30'],
    ['Fighting broke out on Saturday night', 'on Saturday night', 'day', '2021-08-21', '2021-08-21'],
    // relative periods
    ['They had been taken over by local militias last week', 'last week', 'week', '2021-08-16', '2021-08-22'],
    ['Kabul was quiet earlier this week', 'earlier this week', 'week', '2021-08-23', '2021-08-29'],
    ['A spokesman said at the weekend that the group was prepared', 'at the weekend', 'span', '2021-08-21', '2021-08-22'],
    ['photos posted on social media in recent days have shown him', 'in recent days', 'span', '2021-08-17', '2021-08-23'],
    ['scattered reports of clashes overnight', 'overnight', 'span', '2021-08-22', '2021-08-23'],
    ['The bot was released today', 'today', 'day', '2021-08-23', '2021-08-23'],
    ['Yesterday the road was closed', 'Yesterday', 'day', '2021-08-22', '2021-08-22'],
    ['The government fell last month', 'last month', 'month', '2021-07-01', '2021-07-31'],
    ['Elections were held last year', 'last year', 'year', '2020-01-01', '2020-12-31'],
    // years, decades, spans
    ['Ahmad Shah Massoud was killed by the Taliban in 2001', 'in 2001', 'year', '2001-01-01', '2001-12-31'],
    ['an armed group that allied with the US during the 2001 invasion', '2001', 'year', '2001-01-01', '2001-12-31'],
    ['In 2001 the valley held out', 'In 2001', 'year', '2001-01-01', '2001-12-31'],
    ['neither the Soviets in the 1980s managed to conquer it', 'in the 1980s', 'decade', '1980-01-01', '1989-12-31'],
    ["the war of the 1990's", "the 1990's", 'decade', '1990-01-01', '1999-12-31'],
    ['when it controlled the country between 1996 and 2001', 'between 1996 and 2001', 'span', '1996-01-01', '2001-12-31'],
    ['the Taliban regime (1996–2001) was harsh', '1996–2001', 'span', '1996-01-01', '2001-12-31'],
    ['US troops have been there since 2001', 'since 2001', 'span', '2001-01-01', '2021-08-23'],
    // calendar dates
    ['Photo of September 5, 2019.', 'September 5, 2019', 'day', '2019-09-05', '2019-09-05'],
    ['He was born on 5 September 2019', 'on 5 September 2019', 'day', '2019-09-05', '2019-09-05'],
    ['The deadline is Aug. 31', 'Aug. 31', 'day', '2021-08-31', '2021-08-31'],
    ['The Taliban entered Kabul on August 15', 'on August 15', 'day', '2021-08-15', '2021-08-15'],
    ['The Taliban entered Kabul on 15 August', 'on 15 August', 'day', '2021-08-15', '2021-08-15'],
    ['Kabul fell in August 2021', 'in August 2021', 'month', '2021-08-01', '2021-08-31'],
    ['The offensive began in July', 'in July', 'month', '2021-07-01', '2021-07-31'],
    ['Published 2021-08-23 by the desk', '2021-08-23', 'day', '2021-08-23', '2021-08-23'],
  ];

  it.each(rows)('%s → %s', (sentence, words, precision, start, end) => {
    const date = only(sentence);
    expect({ text: date.text, precision: date.precision, start: date.start, end: date.end }).toEqual({
      text: words,
      precision,
      start,
      end,
    });
    expect(sentence.slice(date.index, date.index + date.length)).toBe(words);
  });

  it('takes the year of a month-day from the sentence when it gives one (September 11 of 2001)', () => {
    const text =
      'Massoud father was murdered by al-Qaeda in Takhar province in 2001, at the time of the September 11 terrorist attack.';
    const found = findDates(text, PUB);
    expect(found.map((d) => [d.text, d.start])).toEqual([
      ['in 2001', '2001-01-01'],
      ['September 11', '2001-09-11'],
    ]);
  });

  it('picks the year nearest publication for a month-day without one (December 30 read in January)', () => {
    expect(only('The ceasefire began on December 30', '2022-01-04').start).toBe('2021-12-30');
  });

  it('finds several dates in reading order', () => {
    const text = 'In addition to the Soviet Union, in the 1980s, the Taliban also failed to conquer the Panjshir when it controlled the country between 1996 and 2001.';
    expect(findDates(text, PUB).map((d) => d.text)).toEqual(['in the 1980s', 'between 1996 and 2001']);
  });

  it('resolves the same words differently for another publication day', () => {
    // Published Saturday 4 September 2021.
    expect(only('Taliban fighters attacked on Friday', '2021-09-04').start).toBe('2021-09-03');
    expect(only('The group regrouped last week', '2021-09-04')).toMatchObject({ start: '2021-08-23', end: '2021-08-29' });
    expect(only('The Taliban said last month that', '2021-09-04')).toMatchObject({ start: '2021-08-01', end: '2021-08-31' });
  });
});

describe('findDates is conservative: no date is better than a wrong one', () => {
  it.each([
    ['the Taliban, which has returned to power after 20 years'],
    ['Unconfirmed reports of clashes around the valley at night'],
    ['the September 11 attacks changed everything'],
    ['the only one of 34 provinces, 120 km northeast of the capital'],
    ['some 2000 fighters were massing'],
    ['writing in the American newspaper The Washington Post'],
    ['He read the Sunday Times'],
    ['It was a Bloody Sunday'],
    ['We may meet them'],
    ['The assault will come in December'],
    ['Talks will resume on Monday'],
    [''],
  ])('finds no date in "%s"', (text) => {
    expect(findDates(text, PUB)).toEqual([]);
  });

  it('drops a weekday whose bracketed day of month disagrees with it, rather than guessing', () => {
    expect(findDates('The Taliban announced on Monday (24) that', PUB)).toEqual([]);
  });

  it('rejects an impossible calendar day', () => {
    expect(findDates('It happened on February 30, 2021', PUB)).toEqual([]);
  });

  it('throws a clear error for a malformed publication date', () => {
    expect(() => findDates('on Monday', '23/08/2021')).toThrow(/YYYY-MM-DD/);
  });

  it('copes with huge and hostile text without error', () => {
    const text = '‏@everyone <b>on Sunday</b>\u0000 '.repeat(2000);
    const found = findDates(text, PUB);
    expect(found).toHaveLength(2000);
    expect(found.every((d) => d.start === '2021-08-22')).toBe(true);
  });
});

describe('anniversaries and the last 24 hours', () => {
  it('reads "the tenth anniversary of 2 May" as that day this year, and the day ten years before', () => {
    const found = findDates('On the tenth anniversary of the 2 May raid, crowds gathered.', '2021-05-02');
    expect(found.map((d) => [d.text, d.start])).toEqual([
      ['On the tenth anniversary of', '2021-05-02'],
      ['2 May', '2011-05-02'],
    ]);
    expect(findDates('the 25th anniversary of March 3', '2020-03-04').map((d) => d.start)).toEqual(['2020-03-03', '1995-03-03']);
  });

  it('spells ordinals out', () => {
    expect([ordinalNumber('first'), ordinalNumber('twentieth'), ordinalNumber('twenty-fifth'), ordinalNumber('40th'), ordinalNumber('fiftieth')]).toEqual([1, 20, 25, 40, 50]);
    expect(ordinalNumber('many')).toBeUndefined();
  });

  it('reads "for the last 24 hours" as the day of publication', () => {
    expect(findDates('For the last 24 hours no shot was fired.', '2021-03-10')).toMatchObject([{ precision: 'day', start: '2021-03-10', end: '2021-03-10' }]);
  });
});
