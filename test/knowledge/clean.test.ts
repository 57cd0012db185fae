import { describe, expect, it } from 'vitest';
import { captionWithoutCredit, cleanArticle, splitParagraphs } from '../../src/knowledge/clean.js';
import { G1_ID, JOURNAL_ID, sourceById } from './seed.js';

const removedTexts = (id: string): string[] => sourceById(id).removed.map((r) => r.text);
const bodyTexts = (id: string): string[] => sourceById(id).body.map((b) => b.text);
const reasonOf = (id: string, start: string): string | undefined =>
  sourceById(id).removed.find((r) => r.text.startsWith(start))?.reason;

describe('cleaning the G1 page', () => {
  it('removes the title line, which repeats the headline with the section', () => {
    expect(reasonOf(G1_ID, 'Taliban says surrounded Panjshir Valley')).toMatch(/page title/u);
  });

  it('removes every video teaser, including the repeated ones and "VIDEOS:"', () => {
    const teasers = removedTexts(G1_ID).filter((t) => /^VIDEOS?:/u.test(t));
    expect(teasers).toHaveLength(5);
    expect(bodyTexts(G1_ID).some((t) => t.includes('VIDEO'))).toBe(false);
  });

  it('removes the crosshead "Taliban negotiations", which is no sentence of the report', () => {
    expect(reasonOf(G1_ID, 'Taliban negotiations')).toMatch(/heading/u);
  });

  it('keeps photo captions as captions, with the "— Photo: Name/Agency" credit cut off', () => {
    const body = bodyTexts(G1_ID);
    expect(body).toContain('Taliban retakes 3 districts in Baghlan province and surrounds the Panjshir Valley');
    expect(body.some((t) => t.startsWith('Ahmad Massoud, son of anti-Soviet resistance hero') && t.endsWith('Photo of September 5, 2019.'))).toBe(true);
    expect(body.join('\n')).not.toMatch(/Lucas Sampaio|Mohammad Ismail|— Photo/u);
  });

  it('keeps every paragraph of the report itself', () => {
    const body = bodyTexts(G1_ID).join('\n');
    for (const words of [
      'The Taliban announced on Monday (23)',
      'The capital of Panjshir is Bazarak',
      '“Our fighters are positioned near Panjshir,”',
      'pro-Taliban Twitter accounts announced Sunday',
      'difficult to confirm with independent sources..',
      'drive al-Qaeda out of the country.',
    ]) {
      expect(body).toContain(words);
    }
    expect(bodyTexts(G1_ID)).toHaveLength(20);
  });
});

describe('cleaning the TheJournal page', () => {
  it('removes the advertisement label and the donation appeal', () => {
    expect(reasonOf(JOURNAL_ID, 'Advertisement')).toBe('advertisement label');
    for (const start of ['We need your help now', 'Support from readers like you', 'You are visiting us', "If you've seen value"]) {
      expect(reasonOf(JOURNAL_ID, start)).toBe('donation appeal');
    }
  });

  it('removes the comment widget: counts, buttons, policy lines and the video strip', () => {
    for (const line of ['Author', 'View 5 comments', 'Close', '5 Comments', 'Leave a Comment', 'Submit a report', 'Thank you for the feedback', 'JournalTv', 'News in 60 seconds']) {
      expect(removedTexts(JOURNAL_ID)).toContain(line);
    }
    expect(reasonOf(JOURNAL_ID, 'This is YOUR comments community')).toBe('comment widget');
    expect(bodyTexts(JOURNAL_ID).join('\n')).not.toMatch(/comment/iu);
  });

  it("removes the headline line (with its 'besieged'), since the headline is metadata", () => {
    expect(reasonOf(JOURNAL_ID, "Taliban say Afghan resistance force 'besieged'")).toMatch(/page title/u);
  });

  it('removes the standfirst only because the report repeats it word for word', () => {
    const standfirst = 'Pro-resistance accounts on social media had dismissed earlier claims of being pushed back.';
    expect(reasonOf(JOURNAL_ID, standfirst)).toMatch(/repeats text of the report/u);
    expect(bodyTexts(JOURNAL_ID).some((t) => t.startsWith(standfirst.slice(0, -1)))).toBe(true);
  });

  it('keeps the opening photo caption without its "SIPA USA/PA Images" credit', () => {
    expect(bodyTexts(JOURNAL_ID)[0]).toBe(
      'Taliban fighters stand guard on their side at a border crossing point between Pakistan and Afghanistan.',
    );
  });

  it('keeps the whole report, from the all-capitals lead to the last paragraph', () => {
    const body = bodyTexts(JOURNAL_ID);
    expect(body[1]).toMatch(/^THE TALIBAN HAS said/u);
    expect(body[body.length - 1]).toMatch(/opposition politicians and warlords\.$/u);
    expect(body).toHaveLength(13);
  });
});

describe('cleaning rules are patterns, not the seed strings', () => {
  const clean = (raw: string) => cleanArticle('x', raw, { headline: 'Fighting spreads in the north' });

  it('recognises other outlets’ furniture', () => {
    const raw = [
      'Fighting spreads in the north - Example News',
      'Sponsored content',
      'Please donate to support our journalism.',
      'Watch: the valley from above',
      'Photo: Jane Doe/EPA',
      '23 comments',
      'Fighting spread to two more districts on Monday, officials said.',
    ].join('\n\n');
    const result = clean(raw);
    expect(result.body.map((b) => b.text)).toEqual(['Fighting spread to two more districts on Monday, officials said.']);
    expect(result.removed).toHaveLength(6);
  });

  it('cuts "(Photo: …)" and "Photograph: …/…" credits from captions', () => {
    expect(captionWithoutCredit('Fighters on a road. (Photo: AFP)')).toBe('Fighters on a road.'.length);
    expect(captionWithoutCredit('Fighters on a road. Photograph: Jane Doe/Reuters')).toBe('Fighters on a road.'.length);
    expect(captionWithoutCredit('Fighters said they would hold the road.')).toBeUndefined();
  });

  it('splits paragraphs on lines with exact offsets', () => {
    const raw = 'One.\n\n  Two words here.  \nThree.';
    for (const p of splitParagraphs(raw)) expect(raw.slice(p.start, p.end)).toBe(p.text);
    expect(splitParagraphs(raw).map((p) => p.text)).toEqual(['One.', 'Two words here.', 'Three.']);
  });
});

describe('cleaning the furniture of news sites in general, never a sentence of the report', () => {
  const page = [
    'date 2021-09-06 KABUL: The Taliban said on Monday they had taken the valley.',
    'Home » world news » Taliban take valley',
    'Published : Sep 6, 2021, 6:41 AM IST',
    'Updated 08 September 2021',
    'Also Read - Resistance leader vows to fight on in the north',
    'Related Posts',
    'Follow the latest updates on Afghanistan here',
    'Join our Telegram channel for breaking news',
    'Earn up to 500 US Dollars a day working from home',
    '[the_ad id="209"]',
    'icon bookmark icon camera icon check icon close',
    '— Jane Doe (@janedoe) September 5, 2021',
    'Based on reporting by Jane Doe in Kabul',
    'This story is from September 14, 2021',
    'Inside Kabul airport as first commercial flights land',
    'A Taliban soldier guards the gate of the valley (John Smith/AP)',
    '“We will never surrender,” the commander said, as fighters gathered at the gate (dpa/tn)',
    'Reuters reported that the talks had failed, and the resistance said it would follow its own path.',
    'NEW DELHI: At least 20 civilians have been killed by the Taliban',
    '“Whatever is decided in the capital',
  ].join('\n\n');
  const { body, removed } = cleanArticle('x', page, { headline: 'Taliban take valley' });
  const kept = body.map((p) => p.text);
  const gone = removed.map((r) => r.text);

  it('removes the date label, breadcrumbs, time stamps, related links, promotions, adverts, credits and notes', () => {
    for (const line of [
      'date 2021-09-06',
      'Home » world news » Taliban take valley',
      'Published : Sep 6, 2021, 6:41 AM IST',
      'Updated 08 September 2021',
      'Also Read - Resistance leader vows to fight on in the north',
      'Related Posts',
      'Follow the latest updates on Afghanistan here',
      'Join our Telegram channel for breaking news',
      'Earn up to 500 US Dollars a day working from home',
      '[the_ad id="209"]',
      'icon bookmark icon camera icon check icon close',
      '— Jane Doe (@janedoe) September 5, 2021',
      'Based on reporting by Jane Doe in Kabul',
      'This story is from September 14, 2021',
      'Inside Kabul airport as first commercial flights land',
      '(John Smith/AP)',
      '(dpa/tn)',
    ]) {
      expect(gone).toContain(line);
    }
  });

  it('keeps every sentence of the report: the dateline paragraph, a quote ending in a credit, a cut-off paragraph', () => {
    expect(kept).toContain('KABUL: The Taliban said on Monday they had taken the valley.');
    expect(body.find((p) => p.text.startsWith('“We will never surrender,”'))).toMatchObject({ caption: false });
    expect(kept).toContain('Reuters reported that the talks had failed, and the resistance said it would follow its own path.');
    expect(kept).toContain('NEW DELHI: At least 20 civilians have been killed by the Taliban');
    // A quotation opened and never closed is the report's words the page cut off, not a heading.
    expect(kept).toContain('“Whatever is decided in the capital');
    expect(body.find((p) => p.text === 'A Taliban soldier guards the gate of the valley')).toMatchObject({ caption: true });
  });
});

describe('a paragraph whose credit names a photo', () => {
  const raw =
    'Road reopens\n\n' +
    'Kabul: Traders unload sacks of flour at a market in Charikar, Parwan province, Friday, Sept. 3, 2021. The road north was closed for a week. Prices of flour doubled in that time. (AP/PTI Photo)\n\n' +
    'Traders in Charikar said the road north reopened on Friday after a week. (Reuters)\n';
  const { body } = cleanArticle('x', raw, { headline: 'Road reopens' });

  it('is a photo caption however long it is, its credit cut off', () => {
    const caption = body.find((p) => p.text.startsWith('Kabul: Traders unload'));
    expect(caption?.caption).toBe(true);
    expect(caption?.text.endsWith('doubled in that time.')).toBe(true);
  });

  it('while a report paragraph ending with an agency credit stays the report', () => {
    expect(body.find((p) => p.text.startsWith('Traders in Charikar said'))?.caption).toBe(false);
  });
});

describe('a related-story link glued to the end of a paragraph', () => {
  const raw =
    'Valley talks\n\n' +
    'The elders met for three hours in Charikar. They agreed to meet again.Also Read - Rains Flood Two Districts, Roads Closed: Officials\n';
  const { body, removed } = cleanArticle('x', raw, { headline: 'Valley talks' });

  it('is removed as furniture, and the report sentences before it stay whole', () => {
    expect(body.map((p) => p.text)).toEqual(['The elders met for three hours in Charikar. They agreed to meet again.']);
    expect(removed.map((r) => r.text)).toContainEqual('Also Read - Rains Flood Two Districts, Roads Closed: Officials');
    for (const r of removed) expect(raw.slice(r.start, r.end)).toBe(r.text);
  });
});
