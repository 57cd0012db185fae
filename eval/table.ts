/** The evaluation as a plain-text table (per report and in total) with the headline rates. */
import type { ReportScore, Score } from './score.js';

const COLUMNS: Array<[string, (s: Score) => string]> = [
  ['quotes', (s) => String(s.quotes)],
  ['right', (s) => String(s.quotesRight)],
  ['wrong', (s) => String(s.quotesWrong)],
  ['no spk', (s) => String(s.quotesNoSpeaker)],
  ['missed', (s) => String(s.quotesMissed)],
  ['invent', (s) => String(s.quotesInvented)],
  ['furn kept/fact/caption', (s) => `${s.furnitureKept}/${s.furnitureAsFact}/${s.furnitureAsCaption} of ${s.furniture}`],
  ['dropped', (s) => String(s.reportDropped)],
  ['dates ok/wrong/miss', (s) => `${s.eventDatesRight}/${s.eventDatesWrong}/${s.eventsMissed} of ${s.events}`],
  ['claims', (s) => `${s.claimsFound} of ${s.claims}`],
  ['bad merges', (s) => String(s.wrongMerges)],
  ['links ok/wrong', (s) => `${s.linksRight}/${s.linksWrong} of ${s.links}`],
  ['new names', (s) => `${s.newNamesFound} of ${s.newNames}`],
  ['cand useful/noise', (s) => `${s.candidatesUseful}/${s.candidatesNoise}`],
];

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

/** The headline rates the bar is stated in. */
export function rates(t: Score): string[] {
  const located = t.quotes - t.unlocated;
  return [
    `Quotes with the right speaker: ${t.quotesRight} of ${t.quotes} (${pct(t.quotesRight, t.quotes)}); wrong speaker: ${t.quotesWrong}; no speaker: ${t.quotesNoSpeaker}; missed: ${t.quotesMissed} (${pct(t.quotesMissed, t.quotes)}); invented: ${t.quotesInvented}; partial flag wrong: ${t.partialWrong}`,
    `Furniture kept: ${t.furnitureKept} of ${t.furniture} lines, ${t.furnitureAsFact} as a fact, ${t.furnitureAsCaption} as a photo caption; report text dropped by cleaning: ${t.reportDropped}`,
    `Event dates right: ${t.eventDatesRight} of ${t.events} dated events (${pct(t.eventDatesRight, t.events)}); wrong: ${t.eventDatesWrong}; not on the timeline: ${t.eventsMissed}`,
    `Claims found: ${t.claimsFound} of ${t.claims}; wrong merges (claims, denials, events): ${t.wrongMerges}`,
    `Entity links right: ${t.linksRight} of ${t.links} (${pct(t.linksRight, t.links)}); wrong: ${t.linksWrong}; new names offered: ${t.newNamesFound} of ${t.newNames}; candidates useful/noise: ${t.candidatesUseful}/${t.candidatesNoise}`,
    ...(t.unlocated > 0 ? [`Expectations not found in their article's text: ${t.unlocated} (of ${located + t.unlocated} quotes and the other items)`] : []),
  ];
}

/** A Markdown table: one row per report, then the total. */
export function formatTable(reports: readonly ReportScore[], total: Score): string {
  const header = ['report', ...COLUMNS.map(([h]) => h)];
  const rows = [...reports.map((r) => [r.slug, ...COLUMNS.map(([, f]) => f(r.score))]), ['**total**', ...COLUMNS.map(([, f]) => f(total))]];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
