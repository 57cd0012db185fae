/**
 * A story folder for web tests: the seed story plus generated articles (dated reports that name
 * the registry's people and places, quote them and carry claims), and optionally a hostile
 * article (script tags, an RTL override, a huge line) and a very long one. Built through the real ingest pipeline.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Random } from '../../bench/generator.js';
import { SEED_STORY } from '../support/seed-story.js';

const PEOPLE = ['Ahmad Massoud', 'Amrullah Saleh', 'Zabihullah Mujahid', 'Ali Maisam Nazary'];
const PLACES = ['Panjshir', 'Bazarak', 'Kabul', 'Baghlan'];
const OUTLETS = ['Reuters', 'AFP', 'dpa', 'ANI', 'Al Jazeera', 'BBC News'];
const VERBS = ['visited', 'reinforced', 'left', 'defended', 'surrounded'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The text of the hostile article: markup, an RTL override and a very long line. */
export const HOSTILE_TEXT = [
  'Hostile <script>window.__pwned = 1; alert("pwned")</script> headline',
  '',
  'Ahmad Massoud said on Monday (30) that <img src=x onerror="window.__pwned=2"> the resistance would hold Panjshir.',
  '',
  `Amrullah Saleh said the valley \u202Egnorts sniamer\u202C and <b onclick="window.__pwned=3">bold</b> words are only text.`,
  '',
  `The Taliban said Bazarak was calm. ${'Panjshir '.repeat(1500)}`,
  '',
  '“We will not surrender Panjshir,” Ahmad Massoud said on Tuesday (31). </p><script>window.__pwned = 4</script>',
].join('\n');

function article(random: Random, index: number): string {
  const person = random.pick(PEOPLE);
  const other = random.pick(PEOPLE.filter((p) => p !== person));
  const place = random.pick(PLACES);
  const day = random.pick(DAYS);
  return [
    `${person} ${random.pick(VERBS)} ${place} on ${day}, report ${index} says`,
    '',
    `${person} ${random.pick(VERBS)} ${place} on ${day}, according to local officials in report ${index}.`,
    '',
    `The Taliban said on ${day} that its fighters had surrounded ${place}, a claim ${other} denied. The claims were impossible to independently verify.`,
    '',
    `“We will defend ${place} until the end,” ${person} said in an interview.`,
    '',
    `${other} visited ${random.pick(PLACES)} last week, witnesses said.`,
    '',
    'Advertisement',
  ].join('\n');
}

/**
 * A very long article (about `kilobytes` KB): many dated, quoted paragraphs the pipeline cites,
 * then one paragraph that is a single huge line, so the page has to be cut inside a paragraph too.
 */
export function longArticleText(random: Random, kilobytes: number): string {
  const paragraphs = ['The long report from the valley'];
  let size = 0;
  let i = 0;
  while (size < kilobytes * 1024 * 0.8) {
    const person = random.pick(PEOPLE);
    const place = random.pick(PLACES);
    // One paragraph in eight is a cited report; the others are plain prose (with characters escaping makes longer).
    const text =
      i % 8 === 0
        ? `${person} ${random.pick(VERBS)} ${place} on ${random.pick(DAYS)}, according to local officials in section ${i} of the long report. “We will defend ${place} until the end,” ${person} said in an interview.`
        : `Section ${i} describes the roads & rivers of the region <in detail>, the weather over the mountains, the prices at the market and the long winters that the people there remember.`;
    paragraphs.push(text);
    if (i % 60 === 59) paragraphs.push('Advertisement');
    size += text.length + 2;
    i += 1;
  }
  paragraphs.push(`Ahmad Massoud visited Bazarak on Monday. ${'Panjshir valley words go on and on '.repeat(Math.ceil((kilobytes * 1024 * 0.2) / 35))}`);
  return paragraphs.join('\n\n');
}

function writeArticle(dir: string, name: string, text: string, meta: { outlet: string; headline: string; published: string }): void {
  writeFileSync(join(dir, `${name}.txt`), text);
  writeFileSync(join(dir, `${name}.meta.yaml`), `outlet: ${JSON.stringify(meta.outlet)}\nheadline: ${JSON.stringify(meta.headline)}\npublished: ${meta.published}\nlanguage: en\n`);
}

/**
 * A copy of the seed story with `articles` generated reports (and the hostile one when asked),
 * in a new temporary folder; returns the story folder.
 *
 * @example
 * const storyDir = growStory({ articles: 40, hostile: true });
 */
export function growStory(options: { articles: number; hostile?: boolean; seed?: number; longKilobytes?: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'dossier-web-'));
  const storyDir = join(root, 'stories', 'panjshir');
  cpSync(SEED_STORY, storyDir, { recursive: true });
  const articles = join(storyDir, 'articles');
  const random = new Random(options.seed ?? 7);
  for (let i = 0; i < options.articles; i += 1) {
    const day = 24 + (i % 7);
    const published = `2021-08-${String(day).padStart(2, '0')}`;
    const text = article(random, i);
    writeArticle(articles, `${String(100 + i).padStart(3, '0')}_gen${String(i).padStart(5, '0')}`, text, {
      outlet: OUTLETS[i % OUTLETS.length] as string,
      headline: text.split('\n')[0] as string,
      published,
    });
  }
  if (options.longKilobytes !== undefined) {
    writeArticle(articles, '998_long', longArticleText(random, options.longKilobytes), { outlet: 'Long Reads', headline: 'The long report from the valley', published: '2021-08-29' });
  }
  if (options.hostile === true) {
    writeArticle(articles, '999_hostile', HOSTILE_TEXT, { outlet: 'Hostile <b>Outlet</b>', headline: 'Hostile <script>window.__pwned = 5</script> headline', published: '2021-08-30' });
  }
  return storyDir;
}

/** Remove a story folder made by {@link growStory} (its temporary root with it). */
export function removeGrownStory(storyDir: string): void {
  rmSync(resolve(storyDir, '../..'), { recursive: true, force: true });
}
