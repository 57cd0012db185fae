/**
 * HTML built from tagged templates that escape every interpolated value by default.
 *
 * Article text is third-party text: a `<script>` in an article must be shown, never run. So the
 * only way to put a string into a page is through {@link html}, which escapes it with
 * `escape-html` (the same escaper the Telegram renderer uses); only values that are already
 * {@link SafeHtml} (built by `html` itself) are inserted as they are.
 */
import escapeHtml from 'escape-html';

/** A fragment of finished HTML: everything inside it was escaped when it was built. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), numbers, finished fragments, lists of them; nothing for null/undefined/false. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Build HTML: the template's literal parts are trusted markup, every `${value}` is escaped
 * unless it is a {@link SafeHtml}.
 *
 * @example
 * html`<p>${'<script>alert(1)</script>'}</p>`.value // → '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Join fragments with a separator (escaped when it is text). */
export function join(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(items.map(render).join(sep));
}
