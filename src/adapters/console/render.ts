/**
 * The reply model as plain text: for the console chat, `npm run ask`, and the `text` field of
 * its JSON output. No markup, so nothing needs escaping; the only limit is readability.
 */
import type { Reply, ReplyAction, ReplyLine } from '../../replies/reply.js';

function citeMarks(cites: readonly number[] | undefined): string {
  return cites === undefined || cites.length === 0 ? '' : ` ${cites.map((n) => `[${n}]`).join('')}`;
}

function lineText(line: ReplyLine): string {
  return `${line.text}${citeMarks(line.cites)}${line.note === undefined ? '' : ` (${line.note})`}`;
}

/** The follow-ups of a reply (suggestions first), numbered from 1 as the console shows them. */
export function followUps(reply: Reply): ReplyAction[] {
  return [...reply.suggestions, ...reply.actions];
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
    reply.citations.forEach((c, i) => {
      out.push(`  [${i + 1}] ${c.outlet} — ${c.headline} (${c.date})${c.url === undefined ? '' : ` ${c.url}`}`);
      if (c.link !== undefined) out.push(`      cited passage: ${c.link}`);
    });
  }
  if (reply.link !== undefined) out.push('', `Open the dossier: ${reply.link}`);
  const next = followUps(reply);
  if (next.length > 0) {
    out.push('', reply.suggestions.length > 0 ? 'Did you mean' : 'More');
    next.forEach((a, i) => out.push(`  ${i + 1}) ${a.label} → ${a.command}`));
  }
  return out.join('\n');
}
