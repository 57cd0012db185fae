import { describe, expect, it } from 'vitest';
import { generateStory, Random, transliterate, withTypos } from '../../bench/generator.js';
import { parseArguments, runBench } from '../../bench/run.js';
import { formatTable } from '../../bench/table.js';

describe('benchmark generator', () => {
  it('makes the same story from the same seed, and a different one from another', () => {
    const a = generateStory({ entities: 50, facts: 100, seed: 7 });
    const b = generateStory({ entities: 50, facts: 100, seed: 7 });
    const c = generateStory({ entities: 50, facts: 100, seed: 8 });
    expect(a.kb.entities.map((e) => e.label)).toEqual(b.kb.entities.map((e) => e.label));
    expect(a.kb.facts.map((f) => f.text)).toEqual(b.kb.facts.map((f) => f.text));
    expect(a.kb.facts.map((f) => f.text)).not.toEqual(c.kb.facts.map((f) => f.text));
  });

  it('makes the requested sizes, unique labels, facts naming real entities', () => {
    const { kb, factKeywords } = generateStory({ entities: 200, facts: 500, seed: 1 });
    expect(kb.entities).toHaveLength(200);
    expect(kb.facts).toHaveLength(500);
    expect(factKeywords).toHaveLength(500);
    expect(new Set(kb.entities.map((e) => e.label.toLowerCase())).size).toBe(200);
    const ids = new Set(kb.entities.map((e) => e.id));
    for (const f of kb.facts) for (const id of f.entities) expect(ids.has(id)).toBe(true);
    expect(new Set(kb.entities.map((e) => e.type))).toEqual(new Set(['person', 'place', 'organisation']));
  });

  it('spells names differently and mistypes them on request', () => {
    const random = new Random(3);
    expect(transliterate('Ahmad Massoud', random)).not.toBe('Ahmad Massoud');
    expect(transliterate('xyz', random)).toBeUndefined();
    const typo = withTypos('Zabihullah Mujahid', 2, random);
    expect(typo).not.toBe('Zabihullah Mujahid');
    expect(typo[0]).toBe('Z');
  });
});

describe('npm run bench', () => {
  it('parses its options and rejects unknown ones with the usage', () => {
    expect(parseArguments(['--quick', '--json', '--only', 'search'])).toMatchObject({ quick: true, json: true, only: 'search' });
    expect(parseArguments(['--only=digest']).only).toBe('digest');
    expect(() => parseArguments(['--fast'])).toThrow(/Usage: npm run bench/);
    expect(() => parseArguments(['--seed', 'x'])).toThrow(/--seed/);
  });

  it('narrows the search section to some sizes and operations, and explains itself on --help', () => {
    expect(parseArguments(['--sizes', '5000,50000', '--ops', '/who,autocomplete', '--no-baseline'])).toMatchObject({
      sizes: [5000, 50000],
      ops: ['who', 'autocomplete'],
      noBaseline: true,
    });
    expect(parseArguments(['--help']).help).toBe(true);
    expect(() => parseArguments(['--sizes', 'big'])).toThrow(/--sizes/);
  });

  it('takes the feeds section\'s story sizes in articles', () => {
    expect(parseArguments(['--only', 'feeds', '--articles', '1000,10000']).articles).toEqual([1000, 10000]);
    expect(() => parseArguments(['--articles', '1'])).toThrow(/--articles/);
    expect(() => parseArguments(['--articles', 'many'])).toThrow(/--articles/);
  });

  it('runs only the chosen operations, without the baseline when asked', async () => {
    const rows = await runBench({ quick: false, tiny: true, json: false, seed: 42, only: 'search', ops: ['who'], noBaseline: true }, () => {});
    const queryRows = rows.filter((r) => r.variant !== undefined);
    expect(new Set(queryRows.map((r) => r.operation))).toEqual(new Set(['/who']));
    for (const row of queryRows) expect(row.baselineP50Ms).toBeUndefined();
  }, 60_000);

  it('rejects a search size or operation it does not have, instead of measuring nothing', async () => {
    await expect(runBench({ quick: false, json: false, seed: 1, only: 'search', sizes: [1234] }, () => {})).rejects.toThrow(
      'No search size of 1234 entities in this run. Sizes: 300, 5000, 50000',
    );
    await expect(runBench({ quick: true, json: false, seed: 1, only: 'search', sizes: [300] }, () => {})).rejects.toThrow('Sizes: 5000');
    await expect(runBench({ quick: false, tiny: true, json: false, seed: 1, only: 'search', ops: ['who', 'lookup'] }, () => {})).rejects.toThrow(
      'No search operation "lookup". Operations: who, where, autocomplete, search',
    );
  });

  it('rejects a section that does not exist', async () => {
    await expect(runBench({ quick: false, json: false, seed: 1, only: 'nope' }, () => {})).rejects.toThrow(/No benchmark section "nope"/);
  });

  it('runs the search section at a tiny size and reports every operation against the baseline', async () => {
    const rows = await runBench({ quick: false, tiny: true, json: false, seed: 42, only: 'search' }, () => {});
    const operations = new Set(rows.map((r) => r.operation));
    expect(operations).toEqual(new Set(['build', 'startup', '/who', '/where', 'autocomplete', '/search', 'add-article']));
    const queryRows = rows.filter((r) => r.variant !== undefined);
    expect(new Set(queryRows.map((r) => r.variant))).toEqual(new Set(['exact', 'typo1', 'typo2', 'translit']));
    for (const row of queryRows) {
      expect(row.p50Ms).toBeGreaterThanOrEqual(0);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms as number);
      expect(row.hit1).toBeGreaterThanOrEqual(0);
      expect(row.hit10).toBeGreaterThanOrEqual(row.hit1 as number);
      expect(row.baselineP50Ms).toBeGreaterThanOrEqual(0);
      expect(row.baselineQueries).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.operation === 'add-article')?.note).toMatch(/visible to the next query/);
    expect(rows.find((r) => r.operation === 'build')?.heapMb).toBeGreaterThan(0);
    const table = formatTable(rows);
    expect(table.split('\n')).toHaveLength(rows.length + 2);
    expect(table).toMatch(/fuse p50/);
    for (const row of rows) expect(() => JSON.stringify(row)).not.toThrow();
  }, 60_000);
});
