/**
 * A strict checker for Telegram's HTML parse mode, used by the fake Bot API server (which answers
 * 400 "can't parse entities" like Telegram) and by tests that look at every message part.
 *
 * Rules (core.telegram.org/bots/api#html-style): only the tags below; tags must nest and close;
 * `<a>` needs `href`; only `&lt; &gt; &amp; &quot;` and numeric entities are allowed; a bare `<`
 * or `&` is an error. The visible text is what Telegram measures against the 4096 limit.
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlCheck = { ok: true; text: string; tags: string[] } | { ok: false; error: string };

function decodeEntity(source: string, at: number): { text: string; length: number } | undefined {
  const match = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/.exec(source.slice(at, at + 12));
  if (match === null) return undefined;
  const body = match[1] ?? '';
  if (body.startsWith('#x')) return { text: String.fromCodePoint(Number.parseInt(body.slice(2), 16)), length: match[0].length };
  if (body.startsWith('#')) return { text: String.fromCodePoint(Number.parseInt(body.slice(1), 10)), length: match[0].length };
  const named = NAMED_ENTITIES[body];
  return named === undefined ? undefined : { text: named, length: match[0].length };
}

/**
 * Parse Telegram HTML: the visible text and the tags used, or the error Telegram would give.
 *
 * @example
 * checkTelegramHtml('<b>a &amp; b</b>') // → { ok: true, text: 'a & b', tags: ['b'] }
 * checkTelegramHtml('<b>x')             // → { ok: false, error: "Can't find end tag corresponding to start tag \"b\"" }
 */
export function checkTelegramHtml(source: string): HtmlCheck {
  const open: string[] = [];
  const tags: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '&') {
      const entity = decodeEntity(source, i);
      if (entity === undefined) return { ok: false, error: `Unsupported or bare "&" at byte offset ${i}` };
      text += entity.text;
      i += entity.length;
    } else if (ch === '<') {
      const end = source.indexOf('>', i);
      if (end < 0) return { ok: false, error: `Unclosed start tag at byte offset ${i}` };
      const inner = source.slice(i + 1, end);
      const closing = inner.startsWith('/');
      const match = /^\/?([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*$/.exec(inner);
      if (match === null) return { ok: false, error: `Unsupported start tag "${inner}" at byte offset ${i}` };
      const name = match[1] ?? '';
      if (!TAGS.has(name)) return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${i}` };
      if (closing) {
        const top = open.pop();
        if (top !== name) return { ok: false, error: `Can't find end tag corresponding to start tag "${top ?? name}"` };
      } else {
        const attributes = match[2] ?? '';
        if (name === 'a' && !/\shref="[^"]+"/.test(attributes)) return { ok: false, error: 'Tag "a" must have an href attribute' };
        const href = /\shref="([^"]*)"/.exec(attributes)?.[1];
        if (href !== undefined && href.includes('&') && /&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)/i.test(href)) {
          return { ok: false, error: 'Bare "&" in an attribute' };
        }
        open.push(name);
        tags.push(name);
      }
      i = end + 1;
    } else if (ch === '>') {
      // Telegram tolerates a bare ">" but our renderer always escapes it: treat it as a bug.
      return { ok: false, error: `Bare ">" at byte offset ${i}` };
    } else {
      text += ch;
      i += 1;
    }
  }
  if (open.length > 0) return { ok: false, error: `Can't find end tag corresponding to start tag "${open.at(-1) ?? ''}"` };
  return { ok: true, text, tags };
}
