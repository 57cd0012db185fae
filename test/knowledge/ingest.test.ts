import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadStory } from '../../src/knowledge/load.js';
import { IngestError, MAX_ARTICLE_BYTES, nextArticleId, parseIngestArgs, runIngestCli } from '../../src/knowledge/ingest.js';
import type { ArticleDescription } from '../../src/knowledge/ingest-json.js';
import type { KnowledgeBase } from '../../src/knowledge/model.js';

const DATA_DIR = join(import.meta.dirname, '../../data');
const FIXTURE = join(import.meta.dirname, '../fixtures/articles/kabul-dispatch-2021-08-25.txt');
const FIXTURE_ARGS = ['--outlet', 'Kabul Dispatch', '--headline', 'Resistance leader Ahmed Masood vows to defend Panjshir', '--published', '2021-08-25'];

let dataDir: string;
let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'dossier-ingest-'));
  dataDir = join(work, 'data');
  cpSync(DATA_DIR, dataDir, { recursive: true });
});

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runIngestCli([...argv, '--data-dir', dataDir], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const articlesDir = (): string => join(dataDir, 'stories/panjshir/articles');

describe('npm run ingest: adding an article', () => {
  it('copies the file as NNN_<hash16>.txt with its .meta.yaml and prints a review report', () => {
    const { code, out, err } = run([FIXTURE, ...FIXTURE_ARGS]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const added = readdirSync(articlesDir()).filter((n) => n.startsWith('004_'));
    expect(added).toHaveLength(2);
    expect(added[0]).toMatch(/^004_[0-9a-f]{16}\.meta\.yaml$/u);
    const txt = added.find((n) => n.endsWith('.txt')) ?? '';
    expect(readFileSync(join(articlesDir(), txt), 'utf8')).toBe(readFileSync(FIXTURE, 'utf8'));
    expect(readFileSync(join(articlesDir(), txt.replace('.txt', '.meta.yaml')), 'utf8')).toMatch(/published: 2021-08-25/u);
    expect(out).toMatch(/^Added 004_/u);
    expect(out).toContain('Ahmad Massoud [ahmad-massoud] as "Ahmed Masood", "Masood" ×2');
    expect(out).toContain('Nasrin Rahimi ×1');
    expect(out).toContain('Ahmad Massoud: “We are ready to defend Panjshir. We will not surrender our weapons.” — said, told AFP');
    expect(out).toMatch(/Facts: \d+/u);
  });

  it('writes nothing on --dry-run, but still reports', () => {
    const { code, out } = run([FIXTURE, ...FIXTURE_ARGS, '--dry-run']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Dry run — nothing written\./u);
    expect(readdirSync(articlesDir())).toHaveLength(4);
  });

  it('--json --dry-run prints one JSON object describing what the article added, and writes nothing', () => {
    const { code, out, err } = run([FIXTURE, ...FIXTURE_ARGS, '--json', '--dry-run']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(articlesDir())).toHaveLength(4);
    const added = JSON.parse(out) as ArticleDescription & { dryRun: boolean; written: string[] };
    expect(added).toMatchObject({ dryRun: true, written: [] });
    expect(added.source).toMatchObject({ outlet: 'Kabul Dispatch', published: '2021-08-25', id: expect.stringMatching(/^004_/u) });
    expect(added.quotes).toContainEqual(
      expect.objectContaining({
        text: 'We are ready to defend Panjshir. We will not surrender our weapons.',
        speaker: 'Ahmad Massoud',
        speakerId: 'ahmad-massoud',
        partial: false,
      }),
    );
    expect(added.quotes).toContainEqual(expect.objectContaining({ text: 'no intention of fighting', speakerId: 'zabihullah-mujahid', partial: true }));
    expect(added.entities).toContainEqual(
      expect.objectContaining({ id: 'ahmad-massoud', mentions: expect.arrayContaining([{ text: 'Masood', count: 2 }]) }),
    );
    expect(added.candidates.map((c) => c.name)).toContain('Abdul Hamid Safi');
    expect(added.furniture.map((f) => f.text)).toContain('Share this article');
    expect(added.events.every((e) => /^\d{4}-\d{2}-\d{2}$/u.test(e.date))).toBe(true);
    expect(Array.isArray(added.claims)).toBe(true);
  });

  it('--json without --dry-run writes the files and names them', () => {
    const { code, out } = run([FIXTURE, ...FIXTURE_ARGS, '--json']);
    expect(code).toBe(0);
    const added = JSON.parse(out) as { dryRun: boolean; written: string[] };
    expect(added.dryRun).toBe(false);
    expect(added.written).toHaveLength(2);
    expect(readdirSync(articlesDir())).toHaveLength(6);
  });

  it('reports corroboration with existing sources', () => {
    const file = join(work, 'echo.txt');
    writeFileSync(file, '“Our fighters are positioned close to Panjshir,” Taliban spokesman Zabihullah Mujahid said on Monday.\n');
    const { code, out } = run([file, '--outlet', 'Echo', '--headline', 'Echo', '--published', '2021-08-23']);
    expect(code).toBe(0);
    // Echo's wording is shown: G1's is a translation (see quote-wording.ts).
    expect(out).toMatch(/Corroborated by other sources \(1\)\n {2}Our fighters are positioned close to Panjshir — also in G1 \(Globo\), TheJournal\.ie/u);
  });
});

describe('npm run ingest: bad input gets a clear message and a non-zero exit code', () => {
  it('a missing file', () => {
    const { code, err } = run([join(work, 'nope.txt'), ...FIXTURE_ARGS]);
    expect(code).toBe(1);
    expect(err).toMatch(/nope\.txt: file not found\./u);
  });

  it('an empty file', () => {
    const file = join(work, 'empty.txt');
    writeFileSync(file, '  \n\n');
    expect(run([file, ...FIXTURE_ARGS])).toMatchObject({ code: 1, err: expect.stringMatching(/the file is empty/u) });
  });

  it('a file that is not UTF-8, has control characters, or is too big', () => {
    const latin1 = join(work, 'latin1.txt');
    writeFileSync(latin1, Buffer.from([0x52, 0xe8, 0x67, 0x6c, 0x65]));
    expect(run([latin1, ...FIXTURE_ARGS]).err).toMatch(/not valid UTF-8/u);
    const binary = join(work, 'binary.txt');
    writeFileSync(binary, 'text\u0000more');
    expect(run([binary, ...FIXTURE_ARGS]).err).toMatch(/control characters/u);
    const big = join(work, 'big.txt');
    writeFileSync(big, 'a'.repeat(MAX_ARTICLE_BYTES + 1));
    expect(run([big, ...FIXTURE_ARGS]).err).toMatch(/more than the 1048576-byte limit/u);
  });

  it('a bad date', () => {
    const { code, err } = run([FIXTURE, '--outlet', 'X', '--headline', 'H', '--published', '2021-13-01']);
    expect(code).toBe(1);
    expect(err).toMatch(/--published: must be a real date written YYYY-MM-DD/u);
  });

  it('a duplicate of an existing article (same content)', () => {
    const seedFile = join(articlesDir(), '003_150d7347964c21d9.txt');
    const { code, err } = run([seedFile, '--outlet', 'X', '--headline', 'H', '--published', '2021-08-23']);
    expect(code).toBe(1);
    expect(err).toMatch(/already in the story as 003_150d7347964c21d9\.txt/u);
    expect(readdirSync(articlesDir())).toHaveLength(4);
  });

  it('missing options or an unknown option print the usage (exit code 2)', () => {
    const missing = run([FIXTURE, '--outlet', 'X']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/Missing --headline, --published\.[\s\S]*Usage: npm run ingest/u);
    expect(run([FIXTURE, ...FIXTURE_ARGS, '--colour', 'red']).code).toBe(2);
    expect(run([...FIXTURE_ARGS]).err).toMatch(/Name the article file to add/u);
  });

  it('an unknown story', () => {
    expect(run([FIXTURE, ...FIXTURE_ARGS, '--story', 'kandahar']).err).toMatch(/Story "kandahar" not found/u);
  });

  it('a story name that is not a story id', () => {
    expect(run([FIXTURE, ...FIXTURE_ARGS, '--story', '../secrets'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/--story "\.\.\/secrets" is not a story id/u),
    });
  });

  it('two article files, or a folder instead of a file', () => {
    expect(run([FIXTURE, FIXTURE, ...FIXTURE_ARGS])).toMatchObject({ code: 2, err: expect.stringMatching(/Give one article file, not 2\./u) });
    expect(run([work, ...FIXTURE_ARGS])).toMatchObject({ code: 1, err: expect.stringMatching(/: not a file\./u) });
  });

  it('a bad option value is named as the option, not as the metadata field', () => {
    const { code, err } = run([FIXTURE, ...FIXTURE_ARGS, '--original-language', 'Portuguese']);
    expect(code).toBe(1);
    expect(err).toMatch(/--original-language: must be a two-letter ISO 639-1 code/u);
  });

  it('a broken registry: the registry error, and nothing written', () => {
    writeFileSync(join(dataDir, 'stories/panjshir/registry.yaml'), 'entities: []\n');
    const { code, err } = run([FIXTURE, ...FIXTURE_ARGS]);
    expect(code).toBe(1);
    expect(err).toMatch(/^ingest: .*registry\.yaml: invalid registry: .*at least one entity/u);
    expect(readdirSync(articlesDir())).toHaveLength(4);
  });
});

describe('argument parsing and naming', () => {
  it('parses options with defaults', () => {
    const options = parseIngestArgs(['a.txt', ...FIXTURE_ARGS, '--url', 'https://example.org/a']);
    expect(options).toMatchObject({ file: 'a.txt', story: 'panjshir', dataDir: 'data', dryRun: false });
    expect(options.meta).toMatchObject({ language: 'en', url: 'https://example.org/a', published: '2021-08-25' });
    expect(() => parseIngestArgs(['a.txt', ...FIXTURE_ARGS, '--url', 'not a url'])).toThrow(IngestError);
  });

  it('numbers the new file after the highest existing one', () => {
    expect(nextArticleId(['000_a', '003_b', 'notes'], 'f'.repeat(64))).toBe(`004_${'f'.repeat(16)}`);
    expect(nextArticleId([], 'abc')).toBe('000_abc');
  });
});

describe('generality: a third article, with other outlets’ habits, ingested like any other', () => {
  let kb: KnowledgeBase;
  let sourceId: string;

  beforeEach(() => {
    expect(run([FIXTURE, ...FIXTURE_ARGS]).code).toBe(0);
    kb = loadStory(join(dataDir, 'stories/panjshir'));
    sourceId = kb.sources.find((s) => s.outlet === 'Kabul Dispatch')?.id ?? '';
    expect(existsSync(join(articlesDir(), `${sourceId}.txt`))).toBe(true);
  });

  const quote = (text: string) => {
    const q = kb.quotes.find((x) => x.citations.some((c) => c.sourceId === sourceId && c.text === text));
    if (!q) throw new Error(`no quote "${text}"`);
    return q;
  };

  it('cleans its furniture: title line, share and sign-in labels, advert, byline date, teaser, comments', () => {
    const source = kb.sources.find((s) => s.id === sourceId);
    expect(source?.removed.map((r) => r.text)).toEqual([
      'Resistance leader Ahmed Masood vows to defend Panjshir | Asia | Kabul Dispatch',
      'Share this article',
      'Advertisement',
      'Published 25 August 2021',
      'READ MORE: Taliban say Panjshir surrounded',
      'Subscribe to our newsletter',
      '12 comments',
      'Sign in to comment',
    ]);
    expect(source?.body[0]?.text).toBe('Fighters loyal to the National Resistance Front patrol a road in Panjshir province.');
  });

  it('Masood told AFP: "…" — a quote of two sentences, straight quotes, the son under another spelling', () => {
    expect(quote('We are ready to defend Panjshir. We will not surrender our weapons.')).toMatchObject({
      speakerId: 'ahmad-massoud',
      context: 'told AFP',
      partial: false,
    });
  });

  it('X wrote on Twitter that … "…" — partial, tweeted', () => {
    expect(quote('will not accept a government imposed by force')).toMatchObject({ speakerId: 'amrullah-saleh', mode: 'tweeted', partial: true });
  });

  it('X said the Taliban had "…" — under the spelling "Zabiullah"', () => {
    expect(quote('no intention of fighting')).toMatchObject({ speakerId: 'zabihullah-mujahid', partial: true });
  });

  it('"…", she said — a woman the registry does not know is named as a provisional speaker', () => {
    expect(quote('We left with nothing. The road to Kabul was full of families')).toMatchObject({
      speakerId: 'unregistered-nasrin-rahimi',
      speakerText: 'Nasrin Rahimi',
    });
    const entity = kb.entities.find((e) => e.id === 'unregistered-nasrin-rahimi');
    expect(entity).toMatchObject({ label: 'Nasrin Rahimi (not yet in the registry)', provisional: true, type: 'person' });
    expect(entity?.aliases).toContain('Rahimi');
  });

  it('"…", according to a statement from the National Resistance Front', () => {
    expect(quote('The Taliban will never enter Panjshir')).toMatchObject({ speakerId: 'national-resistance-front', mode: 'statement' });
  });

  it("does not take the nickname 'Lion of Panjshir' for a quote, and links it to the father", () => {
    expect(kb.quotes.some((q) => q.text === 'Lion of Panjshir')).toBe(false);
    const father = kb.entities.find((e) => e.id === 'ahmad-shah-massoud');
    expect(father?.mentions.some((m) => m.sourceId === sourceId && m.text === 'Lion of Panjshir')).toBe(true);
  });

  it('links "Amrullah Salih" and every bare "Masood" to the right people', () => {
    const bySpelling = (id: string) =>
      kb.entities.find((e) => e.id === id)?.mentions.filter((m) => m.sourceId === sourceId).map((m) => m.text);
    expect(bySpelling('amrullah-saleh')).toEqual(['Amrullah Salih']);
    expect(bySpelling('ahmad-massoud')).toEqual(['Ahmed Masood', 'Masood', 'Masood']);
  });

  it('reports its unknown names as candidates', () => {
    const names = kb.candidates.filter((c) => c.citations.some((x) => x.sourceId === sourceId)).map((c) => c.name);
    expect(names.sort()).toEqual(['Abdul Hamid Safi', 'Gulbahar', 'Nasrin Rahimi']);
  });

  it('keeps provenance: every fact and quote citation of the new source is its exact text', () => {
    const raw = readFileSync(join(articlesDir(), `${sourceId}.txt`), 'utf8');
    const citations = [...kb.facts, ...kb.quotes].flatMap((x) => x.citations).filter((c) => c.sourceId === sourceId);
    expect(citations.length).toBeGreaterThan(5);
    for (const c of citations) expect(raw.slice(c.start, c.end)).toBe(c.text);
  });

  it('dates its facts against its own publication day ("on Tuesday" = 24 August)', () => {
    const fact = kb.facts.find((f) => f.citations[0]?.sourceId === sourceId && f.text.startsWith('Ahmed Masood, who leads'));
    expect(fact?.date).toMatchObject({ start: '2021-08-24', precision: 'day' });
  });
});
