/**
 * The reply model as plain text: for the console chat, `npm run ask`, and the `text` field of
 * its JSON output. No markup, so nothing needs escaping; the only limit is readability.
 */
import type { Reply, ReplyAction, ReplyLine } from '../../replies/reply.js';

function citeMarks(cites: readonly number[] | undefined): string {
  return cites === undefined || cites.length === 0 ? '' : ` ${cites.map((n) => `[${n}]`).join('')}`;
}

function lineText(line: ReplyLine): string {
  return `${line.text}${citeMarks(line.cites)}${line.note === undefined ? '' : ` (${line.note})`}${line.url === undefined ? '' : ` ${line.url}`}`;
}

/** The follow-ups of a reply (suggestions first), numbered from 1 as the console shows them. */
export function followUps(reply: Reply): ReplyAction[] {
  return [...reply.suggestions, ...reply.actions];
}

/**
 * One numbered follow-up: its label, then the command it runs when that teaches something a
 * user could type — not when it repeats the label, nor when it names an internal id.
 */
function followUpLine(action: ReplyAction, n: number): string {
  const showCommand = action.command !== action.label && !/(?:^|\s)id:/.test(action.command);
  return `  ${n}) ${action.label}${showCommand ? ` → ${action.command}` : ''}`;
}

/**
 * Render a reply as plain text.
 *
 * @example
 * console.log(renderPlainText(reply));
 */
export function renderPlainText(reply: Reply): string {
  const out: string[] = [reply.title];
  if (reply.summary !== undefined && reply.summary !== '') out.push(`${reply.summary}${citeMarks(reply.summaryCites)}`);
  for (const section of reply.sections) {
    if (section.lines.length === 0) continue;
    out.push('', section.label, ...section.lines.map((l) => `  • ${lineText(l)}`));
  }
  if (reply.quotes.length > 0) {
    out.push('', 'Quotes');
    for (const q of reply.quotes) {
      const who = [q.speaker, q.date, q.how].filter((p) => p !== undefined && p !== '').join(', ');
      out.push(`  “${q.text}” — ${who}${citeMarks(q.cites)}`);
      if (q.note !== undefined) out.push(`      (${q.note})`);
    }
  }
  if (reply.citations.length > 0) {
    out.push('', 'Sources');
    reply.citations.forEach((c, i) => out.push(`  [${i + 1}] ${c.outlet} — ${c.headline} (${c.date})${c.url === undefined ? '' : ` ${c.url}`}`));
  }
  // One numbering across both lists, as followUps() orders them: typing n runs the n-th.
  if (reply.suggestions.length > 0) {
    out.push('', 'Did you mean');
    reply.suggestions.forEach((a, i) => out.push(followUpLine(a, i + 1)));
  }
  if (reply.actions.length > 0) {
    out.push('', 'Follow-ups');
    reply.actions.forEach((a, i) => out.push(followUpLine(a, reply.suggestions.length + i + 1)));
  }
  return out.join('\n');
}
