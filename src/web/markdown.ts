/**
 * A light Markdown renderer for the project's own documentation pages (docs/*.md and the
 * README): headings (with GitHub-style ids, so `page.md#settings` links hold), paragraphs,
 * lists, tables, block quotes, fenced code, and inline code, bold and links.
 *
 * Written here rather than taken from a library because it renders only our own docs, needs no
 * raw HTML and must never emit any: every character of the source goes through {@link html},
 * which escapes it. Links are decided by the caller (`link`): a page of the docs becomes a link
 * into `/docs/`, an http(s) address an outside link, anything else plain text.
 */
import { html, join, SafeHtml, type HtmlValue } from './html.js';

/** Where a link of the document goes: an address to link to, or `undefined` to show its text only. */
export type LinkResolver = (target: string) => { href: string; external: boolean } | undefined;

/** GitHub's heading id: lower case, punctuation dropped, spaces as hyphens. */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .trim()
    .replace(/ /g, '-');
}

/** Inline Markdown: `code`, **bold**, [text](target); everything else is text. */
function inline(text: string, link: LinkResolver): SafeHtml {
  const out: HtmlValue[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out.push(text.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    if (match[1] !== undefined) out.push(html`<code>${match[1]}</code>`);
    else if (match[2] !== undefined) out.push(html`<strong>${inline(match[2], link)}</strong>`);
    else {
      const label = inline(match[3] ?? '', () => undefined);
      const target = link(match[4] ?? '');
      if (target === undefined) out.push(label);
      else if (target.external) out.push(html`<a class="external" href="${target.href}" rel="noopener noreferrer nofollow">${label}</a>`);
      else out.push(html`<a href="${target.href}">${label}</a>`);
    }
  }
  out.push(text.slice(last));
  return join(out);
}

const FENCE = /^\s*```/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function cells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/**
 * A Markdown document as HTML. The first level-1 heading is the page's `h1`; any other is shown
 * as an `h2`, so a page keeps one `h1`.
 *
 * @example
 * renderMarkdown('# Title\n\nSee [deploying](deploying.md).', (t) => ({ href: t, external: false })).value
 */
export function renderMarkdown(source: string, link: LinkResolver): SafeHtml {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: SafeHtml[] = [];
  const ids = new Map<string, number>();
  let sawH1 = false;
  let i = 0;
  const isBlockStart = (line: string) => FENCE.test(line) || HEADING.test(line) || ITEM.test(line) || line.trim().startsWith('|') || line.trim().startsWith('>');
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !FENCE.test(lines[i] as string)) code.push(lines[i++] as string);
      i += 1;
      // Focusable, so a keyboard can scroll a line wider than the screen.
      out.push(html`<pre tabindex="0"><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      let level = (heading[1] as string).length;
      if (level === 1 && sawH1) level = 2;
      if (level === 1) sawH1 = true;
      const text = heading[2] as string;
      const base = headingId(text);
      const seen = ids.get(base) ?? 0;
      ids.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen}`;
      out.push(new SafeHtml(`<h${level} id="${html`${id}`.value}">${inline(text, link).value}</h${level}>`));
      i += 1;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1] as string)) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] as string).trim().startsWith('|')) rows.push(cells(lines[i++] as string));
      out.push(
        html`<div class="scroll" tabindex="0"><table class="doc"><thead><tr>${head.map((c) => html`<th scope="col">${inline(c, link)}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${inline(c, link)}</td>`)}</tr>`)}</tbody></table></div>`,
      );
      continue;
    }
    if (line.trim().startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i] as string).trim().startsWith('>')) quoted.push((lines[i++] as string).trim().replace(/^>\s?/, ''));
      out.push(html`<blockquote>${renderMarkdown(quoted.join('\n'), link)}</blockquote>`);
      continue;
    }
    const item = ITEM.exec(line);
    if (item !== null) {
      // A list: its items, each with its continuation lines; deeper items become a nested list.
      const ordered = /\d/.test(item[2] as string);
      const indent = (item[1] as string).length;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] as string;
        const next = ITEM.exec(current);
        if (next !== null && (next[1] as string).length <= indent) {
          // An item of the other kind (numbered after bulleted) starts another list.
          if (/\d/.test(next[2] as string) !== ordered) break;
          items.push(next[3] as string);
        } else if (current.trim() !== '' && (next !== null || /^\s/.test(current) || !isBlockStart(current)) && items.length > 0) {
          items[items.length - 1] += `\n${current}`;
        } else if (current.trim() === '' && ITEM.exec(lines[i + 1] ?? '') !== null) {
          // A blank line between items keeps the list going.
        } else break;
        i += 1;
      }
      const rendered = items.map((text) => {
        const [first, ...rest] = text.split('\n');
        const nested = rest.join('\n');
        return html`<li>${inline(first ?? '', link)}${nested.trim() === '' ? '' : ITEM.test(rest.find((l) => l.trim() !== '') ?? '') ? renderMarkdown(nested, link) : html` ${inline(nested.replace(/\s+/g, ' '), link)}`}</li>`;
      });
      out.push(ordered ? html`<ol>${rendered}</ol>` : html`<ul>${rendered}</ul>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && (paragraph.length === 0 || !isBlockStart(lines[i] as string))) paragraph.push((lines[i++] as string).trim());
    out.push(html`<p>${inline(paragraph.join(' '), link)}</p>`);
  }
  return join(out, '\n');
}
