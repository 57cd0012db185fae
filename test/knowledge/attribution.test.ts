/**
 * Attribution conventions of news writing, each on invented sentences (never a corpus
 * report's words): how a careful reader decides what is a quotation, whether it is partial,
 * and whom to credit.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/knowledge/articles.js';
import { buildKnowledgeBase } from '../../src/knowledge/build.js';
import type { KnowledgeBase, Quote } from '../../src/knowledge/model.js';
import { findQuoteMarks, quotedPassages } from '../../src/knowledge/quotes.js';
import { loadRegistry } from '../../src/knowledge/registry.js';
import type { Sentence } from '../../src/knowledge/sentence.js';
import { SEED_STORY_DIR } from './seed.js';

const sentence = (text: string): Sentence => ({ sourceId: 's', start: 0, end: text.length, text, paragraph: 0, caption: false });

/** Builds the seed story with one invented report (paragraphs joined by blank lines) added as source `x`. */
function withReport(paragraphs: readonly string[], meta: { language?: string; originalLanguage?: string } = {}): KnowledgeBase {
  return buildKnowledgeBase({
    story: { id: 'panjshir', title: 'Panjshir' },
    registry: loadRegistry(join(SEED_STORY_DIR, 'registry.yaml')),
    articles: [
      ...loadArticles(SEED_STORY_DIR),
      { id: 'x', file: 'x.txt', raw: paragraphs.join('\n\n'), meta: { outlet: 'Wire', headline: 'A report', published: '2021-09-02', language: meta.language ?? 'en', ...meta } },
    ],
  });
}

/** The quote of source `x` whose words start with `start`. */
function quoteOf(kb: KnowledgeBase, start: string): Quote {
  const q = kb.quotes.find((x) => x.citations.some((c) => c.sourceId === 'x' && c.text.startsWith(start)));
  if (!q) throw new Error(`no quote "${start}" in ${JSON.stringify(kb.quotes.filter((x) => x.citations.some((c) => c.sourceId === 'x')).map((x) => x.text))}`);
  return q;
}

const speakerName = (kb: KnowledgeBase, q: Quote): string | undefined =>
  q.speakerId ? kb.entities.find((e) => e.id === q.speakerId)?.label : q.speakerText;

describe('what is a quotation', () => {
  it('a typographic opening mark closed by a straight one is still one quotation', () => {
    const text = 'The envoy said she was “ready to talk to every party".';
    expect(findQuoteMarks(text)).toHaveLength(1);
    expect(quotedPassages(sentence(text)).map((p) => p.text)).toEqual(['ready to talk to every party']);
  });

  it('words in the first person are someone’s words, not a term, even with no reporting verb', () => {
    const [p] = quotedPassages(sentence('A plan for “my officers and me” was never written down.'));
    expect(p?.kind).toBe('speech');
    const [term] = quotedPassages(sentence('The town’s “interim” mayor visited the market.'));
    expect(term?.kind).toBe('term');
  });
});

describe('partial or full', () => {
  const kb = withReport([
    '• “We will rebuild every bridge,” the governor told reporters.',
    '"[The] roads to the north are open again. Trucks can pass," the governor said.',
    'The governor urged “Europe’s parliaments” to release the frozen funds.',
  ]);

  it('a quote after a list bullet is a full quote', () => {
    expect(quoteOf(kb, 'We will rebuild').partial).toBe(false);
  });

  it('a quote that opens with an editor’s bracket is a full quote', () => {
    expect(quoteOf(kb, '[The] roads').partial).toBe(false);
  });

  it('a capitalised quote the reporter’s sentence runs on through is partial', () => {
    expect(quoteOf(kb, 'Europe’s parliaments').partial).toBe(true);
  });
});

describe('whom to credit', () => {
  const kb = withReport([
    'Aid groups, meanwhile, are warning that the roads are closed and are calling for a “safe corridor” to be opened at once.',
    'The governor of the province pledged that “my officers and I” will stay.',
  ]);

  it('a second verb of one subject ("… and are calling for") is credited to that subject', () => {
    expect(quoteOf(kb, 'safe corridor')).toMatchObject({ speakerId: null, speakerText: 'Aid groups', partial: true });
  });

  it('"pledged that" reports words like "said that"', () => {
    expect(quoteOf(kb, 'my officers and I').speakerText).toBe('The governor of the province');
    expect(speakerName(kb, quoteOf(kb, 'my officers and I'))).toBe('The governor of the province');
  });
});

describe('quotes inside quotes', () => {
  const kb = withReport([
    '“Our allies can still be a ‘shield of the free world,’ as Winston Churchill said in a wartime broadcast,” the envoy wrote.',
    '“He told us ‘leave now’ and we left at night,” a farmer said.',
    'The United States “will not recognise a government formed by force,” a diplomat said.',
  ]);

  it('words in single marks inside a quote go to whom the quoted sentence credits them', () => {
    expect(quoteOf(kb, 'shield of the free world')).toMatchObject({ speakerText: 'Winston Churchill', partial: true });
    expect(quoteOf(kb, 'Our allies can still be')).toMatchObject({ speakerText: 'the envoy' });
  });

  it('a nested quote its sentence credits to nobody stays part of the outer quote only', () => {
    expect(kb.quotes.some((q) => q.citations.some((c) => c.sourceId === 'x' && c.text === 'leave now'))).toBe(false);
  });

  it('a capitalised word inside a sentence is a name, not a reporting verb ("the United States")', () => {
    expect(quoteOf(kb, 'will not recognise')).toMatchObject({ speakerId: null, speakerText: 'a diplomat' });
  });
});

describe('quotations set apart without quotation marks', () => {
  it('an embedded post is credited to the name on its credit line, and dated by it', () => {
    const kb = withReport([
      'The valley was quiet on Wednesday.',
      'Roads to the north are closed again. Drivers should wait for the convoy.',
      '— Ahmad Massoud (@AhmadMassoud) August 30, 2021',
      'Traffic resumed later.',
    ]);
    expect(quoteOf(kb, 'Roads to the north')).toMatchObject({ speakerId: 'ahmad-massoud', mode: 'tweeted', partial: false, date: { start: '2021-08-30' } });
  });

  it('a post whose credit closes the same paragraph ends before the credit', () => {
    const kb = withReport([
      'A reporter posted the news overnight.',
      'The bridge at the valley mouth has been blown up tonight Major news. — Jane Roe (@janeroe_news) September 1, 2021',
    ]);
    const q = quoteOf(kb, 'The bridge at the valley mouth');
    expect(q.text).toBe('The bridge at the valley mouth has been blown up tonight Major news.');
    expect(kb.entities.find((e) => e.id === q.speakerId)?.label).toBe('Jane Roe (not yet in the registry)');
  });

  it('a pull quote in the first person is credited by the "Name, description" line below it', () => {
    const kb = withReport([
      'Families are leaving the villages.',
      'We will not leave our fields. Where would we go?',
      'Karim Nouri, a farmer in the valley',
      'The road south is crowded with trucks.',
    ]);
    const q = quoteOf(kb, 'We will not leave our fields');
    expect(kb.entities.find((e) => e.id === q.speakerId)?.label).toBe('Karim Nouri (not yet in the registry)');
    expect(q.speakerText).toBe('Karim Nouri, a farmer in the valley');
  });

  it('a first-person paragraph right after a quoted paragraph continues that speaker', () => {
    const kb = withReport(['“The roads must open before winter,” Ahmad Massoud wrote in an op-ed.', 'But we need more trucks and more fuel.']);
    expect(quoteOf(kb, 'But we need more trucks')).toMatchObject({ speakerId: 'ahmad-massoud', partial: false });
  });

  it('not across page furniture, nor after a paragraph that quotes nobody', () => {
    const kb = withReport([
      '“The roads must open before winter,” Ahmad Massoud wrote in an op-ed.',
      'Advertisement',
      'But we need more trucks and more fuel.',
      'The valley was quiet on Wednesday.',
      'Our correspondent reached the valley on Monday.',
    ]);
    const texts = kb.quotes.flatMap((q) => q.citations.filter((c) => c.sourceId === 'x').map((c) => c.text));
    expect(texts).toEqual(['The roads must open before winter']);
  });
});

describe('descriptions resolved to the person they fit', () => {
  it('"the senior Taliban official" is the Taliban man the report is following, past background about others', () => {
    const kb = withReport([
      'Mullah Karim Hanif, the head of a Taliban council, said the talks had “come to nothing.”',
      'Amrullah Saleh, the former vice president, has backed the resistance.',
      'The senior Taliban official blamed the elders for the failure, saying some people “do not want peace at all.”',
    ]);
    const q = quoteOf(kb, 'do not want peace at all');
    expect(kb.entities.find((e) => e.id === q.speakerId)?.label).toBe('Karim Hanif (not yet in the registry)');
  });

  it('no speaker when the description fits neither the person last named nor the one last quoted', () => {
    const kb = withReport([
      'Mullah Karim Hanif, the head of a Taliban council, said the talks had “come to nothing.”',
      '“We will hold the pass,” said Gul Rahim, a villager.',
      'The senior Taliban official blamed the elders for the failure, saying some people “do not want peace at all.”',
    ]);
    expect(quoteOf(kb, 'do not want peace at all')).toMatchObject({ speakerId: null });
    expect(quoteOf(kb, 'do not want peace at all').speakerText).toBeUndefined();
  });

  it('the registry’s spokesman of the organisation comes first', () => {
    const kb = withReport(['Amrullah Saleh spoke on Monday.', '“Our men are in the valley,” the Taliban spokesman said.']);
    expect(quoteOf(kb, 'Our men are in the valley').speakerId).toBe('zabihullah-mujahid');
  });
});

describe('a participle after a reported clause', () => {
  it('words in the first person singular are not those of a plural subject: they are the man’s the clause reports on', () => {
    const kb = withReport([
      'One of the dead was a baker called Nasir Gul.',
      'Neighbours said the man would not leave his oven, telling them: “I have baked bread here for thirty years.”',
    ]);
    const q = quoteOf(kb, 'I have baked bread here');
    expect(kb.entities.find((e) => e.id === q.speakerId)?.label).toBe('Nasir Gul (not yet in the registry)');
  });

  it('words in the first person plural could be either: no speaker', () => {
    const kb = withReport([
      'One of the dead was a baker called Nasir Gul.',
      'Neighbours said the man would not leave his oven, telling them: “We have baked bread here for thirty years.”',
    ]);
    expect(quoteOf(kb, 'We have baked bread here').speakerId).toBeNull();
  });
});

describe('unnamed informants', () => {
  it('"the source" is the unnamed informant the report introduced telling it, not the plural sources since', () => {
    const kb = withReport([
      'The town fell overnight, a local doctor told the Wire on Sunday.',
      'Sources said the shops were closed.',
      '"The market is empty," said the source, who asked not to be named.',
    ]);
    expect(quoteOf(kb, 'The market is empty')).toMatchObject({ speakerId: null, speakerText: 'a local doctor' });
  });

  it('with no informant introduced, "the source" is no one', () => {
    const kb = withReport(['Sources said the shops were closed.', '"The market is empty," said the source.']);
    expect(quoteOf(kb, 'The market is empty')).toMatchObject({ speakerId: null });
    expect(quoteOf(kb, 'The market is empty').speakerText).toBeUndefined();
  });
});

describe('words quoted in a sentence with no reporting verb', () => {
  it('a quoted clause of five words or more is speech; a word or two in quotes is a term', () => {
    expect(quotedPassages(sentence('Farmers will not return until the road “is cleared of every last mine” by the army.'))[0]?.kind).toBe('speech');
    expect(quotedPassages(sentence('Farmers will not return until the road is “safe again” for trucks.'))[0]?.kind).toBe('term');
  });

  it('they are the words of the party whose stance the sentence reports: its subject', () => {
    const kb = withReport(['Valley farmers did not want to return until the road “is cleared of every last mine” by the army.']);
    expect(quoteOf(kb, 'is cleared of every last mine')).toMatchObject({ speakerId: null, speakerText: 'Valley farmers', partial: true });
  });

  it('no speaker when the subject names no one ("It", "There")', () => {
    const kb = withReport(['It was not clear whether the road “is cleared of every last mine” yet.']);
    expect(quoteOf(kb, 'is cleared of every last mine')).toMatchObject({ speakerId: null });
    expect(quoteOf(kb, 'is cleared of every last mine').speakerText).toBeUndefined();
  });

  it('inside a quotation, only a reporting verb credits words to someone else', () => {
    const kb = withReport(['“Talibs have reached the river. ‘Some roads are best avoided.’ Good luck,” Amrullah Saleh tweeted.']);
    expect(kb.quotes.some((q) => q.citations.some((c) => c.sourceId === 'x' && c.text.startsWith('Some roads')))).toBe(false);
  });
});

describe('a quotation the page cuts off', () => {
  it('does not continue the previous speaker: its own attribution may have been lost with its end', () => {
    const kb = withReport(['“The bridge is open,” the governor said.', '“Whatever happens in the north is not']);
    expect(quoteOf(kb, 'Whatever happens in the north')).toMatchObject({ speakerId: null });
    expect(quoteOf(kb, 'Whatever happens in the north').speakerText).toBeUndefined();
  });

  it('a closed quotation in the next paragraph still continues the speaker', () => {
    const kb = withReport(['“The bridge is open,” the governor said.', '“Trucks can cross from Monday.”']);
    expect(quoteOf(kb, 'Trucks can cross')).toMatchObject({ speakerText: 'the governor' });
  });

  it('is still the words of the speaker a set-up sentence right before it introduces', () => {
    const kb = withReport(['Karim Nouri, a baker, says that his family cannot reach the city.', '“All my brothers are in the valley and the road']);
    expect(kb.entities.find((e) => e.id === quoteOf(kb, 'All my brothers').speakerId)?.label).toBe('Karim Nouri (not yet in the registry)');
  });
});

describe('the subject whose words a verbless sentence quotes must be a party', () => {
  it('"The plan", "Roads": things, not parties, say nothing', () => {
    const kb = withReport([
      'The plan for “my officers and me” was never written down.',
      'Roads were not cleared until the army “had removed every single mine” in the pass.',
    ]);
    expect(quoteOf(kb, 'my officers and me')).toMatchObject({ speakerId: null });
    expect(quoteOf(kb, 'my officers and me').speakerText).toBeUndefined();
    expect(quoteOf(kb, 'had removed every single mine').speakerText).toBeUndefined();
  });
});

describe('agency phrasing', () => {
  const kb = withReport([
    'Ahmad Massoud was quoted by Al Arabiya as saying: “We will never surrender the valley.”',
    '“The war is over,” a Taliban commander told the Wire by phone, adding: “Our men control the valley.”',
  ]);

  it('"X was quoted by Y as saying" is X, with Y as how the words reached the outlet', () => {
    expect(quoteOf(kb, 'We will never surrender')).toMatchObject({ speakerId: 'ahmad-massoud', context: 'quoted by Al Arabiya' });
  });

  it('a participle right after a report ("…,” X told Y, adding: “…”") goes on with the same speaker', () => {
    expect(quoteOf(kb, 'Our men control the valley')).toMatchObject({ speakerId: null, speakerText: 'a Taliban commander' });
  });
});

describe('datelines and paired subjects', () => {
  const kb = withReport([
    'KABUL, Sept 6 (Reuters) - “We hold every road into the valley,” a Taliban commander said on Monday.',
    'Saleh and Massoud met in the valley on Sunday. “We will not give up the fight,” he said.',
    'Saleh met Massoud in the valley on Monday. “We will hold the pass all winter,” he said.',
  ]);

  it('a quote right after a dateline is a whole quote, and the dateline is not its speaker', () => {
    expect(quoteOf(kb, 'We hold every road')).toMatchObject({ partial: false, speakerId: null, speakerText: 'a Taliban commander' });
  });

  it('"he" after two people joined as the subject could be either: no speaker', () => {
    expect(quoteOf(kb, 'We will not give up')).toMatchObject({ speakerId: null });
  });

  it('"he" after one subject meeting another is the subject', () => {
    expect(quoteOf(kb, 'We will hold the pass').speakerId).toBe('amrullah-saleh');
  });
});

describe('no guess across a change of subject', () => {
  const kb = withReport([
    'Amrullah Saleh spoke in the valley on Sunday.',
    'Pakistan denied any involvement. “We have nothing to do with this,” the Foreign Office spokesman said.',
    'Pakistan denied it again. “Nothing at all,” he said.',
    '“Interference must stop,” the ministry said. “It is a crime,” he added.',
  ]);

  it('"the Foreign Office spokesman" is not the last person named, whom those words do not describe', () => {
    expect(quoteOf(kb, 'We have nothing to do with this')).toMatchObject({ speakerId: null });
    const next = withReport(['Amrullah Saleh spoke in the valley on Sunday. “We have nothing to do with this,” the Foreign Office spokesman said.']);
    expect(quoteOf(next, 'We have nothing to do with this')).toMatchObject({ speakerId: null });
    expect(quoteOf(next, 'We have nothing to do with this').speakerText).toBeUndefined();
  });

  it('"he" after a sentence about a country is no one', () => {
    expect(quoteOf(kb, 'Nothing at all').speakerId).toBeNull();
  });

  it('"he" never refers back to a body ("the ministry")', () => {
    expect(quoteOf(kb, 'It is a crime').speakerText).not.toBe('the ministry');
    expect(quoteOf(kb, 'It is a crime').speakerId).toBeNull();
  });
});

describe('an outlet’s own first person', () => {
  it('"We could not independently verify this." after a quote is the newsroom, not the speaker', () => {
    const kb = withReport(['“We will hold the pass,” Ahmad Massoud said on Sunday.', 'We could not independently verify this.']);
    expect(kb.quotes.some((q) => q.citations.some((c) => c.sourceId === 'x' && c.text.startsWith('We could not')))).toBe(false);
  });
});
