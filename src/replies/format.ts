/**
 * Human-readable forms of the model's values, shared by every command and renderer.
 */
import type { DateRef } from '../knowledge/model.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(iso: string): { year: number; month: number; day: number } {
  const [year = 0, month = 1, day = 1] = iso.split('-').map(Number);
  return { year, month, day };
}

/**
 * An ISO date as "23 Aug 2021".
 *
 * @example
 * formatDay('2021-08-23') // → '23 Aug 2021'
 */
export function formatDay(iso: string): string {
  const { year, month, day } = parts(iso);
  return `${day} ${MONTHS[month - 1] ?? '?'} ${year}`;
}

/**
 * A date with its precision kept: "23 Aug 2021", "week of 16 Aug 2021", "Aug 2021", "2001",
 * "1980s", "1996–2001".
 */
export function formatDateRef(date: DateRef): string {
  const start = parts(date.start);
  const end = parts(date.end);
  switch (date.precision) {
    case 'day':
      return formatDay(date.start);
    case 'week':
      return `week of ${formatDay(date.start)}`;
    case 'month':
      return `${MONTHS[start.month - 1] ?? '?'} ${start.year}`;
    case 'year':
      return String(start.year);
    case 'decade':
      return `${start.year}s`;
    case 'span':
      if (start.year !== end.year) {
        const bothWholeYears = date.start.endsWith('-01-01') && date.end.endsWith('-12-31');
        return bothWholeYears ? `${start.year}–${end.year}` : `${formatDay(date.start)} – ${formatDay(date.end)}`;
      }
      return date.start === date.end ? formatDay(date.start) : `${formatDay(date.start)} – ${formatDay(date.end)}`;
  }
}

/**
 * Text cut to at most `max` characters (code points), at a word boundary when one is in the
 * second half, with "…" marking the cut.
 *
 * @example
 * shortenAtWord('Ahmad Massoud — Leader of the National Resistance Front', 24) // → 'Ahmad Massoud — Leader…'
 */
export function shortenAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * A URL a renderer may turn into a link: only http(s) addresses (an article's `javascript:` or
 * `data:` "URL" is shown as text, never followed), normalised by the URL parser.
 *
 * @example
 * httpUrl('https://example.com/a b') // → 'https://example.com/a%20b'
 * httpUrl('javascript:alert(1)')     // → undefined
 */
export function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
