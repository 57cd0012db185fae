/** Renders benchmark rows as a fixed-width text table. */
import type { BenchRow } from './sections.js';

const COLUMNS: Array<{ key: keyof BenchRow | string; title: string }> = [
  { key: 'section', title: 'section' },
  { key: 'operation', title: 'operation' },
  { key: 'variant', title: 'variant' },
  { key: 'entities', title: 'entities' },
  { key: 'facts', title: 'facts' },
  { key: 'p50Ms', title: 'p50 ms' },
  { key: 'p99Ms', title: 'p99 ms' },
  { key: 'hit1', title: 'hit@1' },
  { key: 'hit10', title: 'hit@10' },
  { key: 'baselineP50Ms', title: 'fuse p50' },
  { key: 'baselineP99Ms', title: 'fuse p99' },
  { key: 'baselineHit1', title: 'fuse hit@1' },
  { key: 'speedupP50', title: 'x faster' },
  { key: 'buildMs', title: 'build ms' },
  { key: 'heapMb', title: 'heap MB' },
  { key: 'rssMb', title: 'rss MB' },
];
const SHOWN = new Set(COLUMNS.map((c) => c.key));

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** One line per row; fields outside the fixed columns go into a trailing "details" column. */
export function formatTable(rows: readonly BenchRow[]): string {
  const used = COLUMNS.filter((c) => rows.some((r) => r[c.key] !== undefined));
  const details = rows.map((r) =>
    Object.entries(r)
      .filter(([k, v]) => !SHOWN.has(k) && v !== undefined)
      .map(([k, v]) => (k === 'note' ? String(v) : `${k}=${String(v)}`))
      .join('; '),
  );
  const widths = used.map((c) => Math.max(c.title.length, ...rows.map((r) => cell(r[c.key]).length)));
  const line = (cells: string[], detail: string) => `${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')}  ${detail}`.trimEnd();
  const out = [line(used.map((c) => c.title), 'details'), line(widths.map((w) => '-'.repeat(w)), '-------')];
  rows.forEach((r, i) => out.push(line(used.map((c) => cell(r[c.key])), details[i] ?? '')));
  return out.join('\n');
}
