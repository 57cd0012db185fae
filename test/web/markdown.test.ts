/**
 * The documentation's Markdown renderer: markup in the source is shown as text, links go only
 * where the resolver says, and the block structure comes out as expected.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { headingId, renderMarkdown } from '../../src/web/markdown.js';

const internal = (target: string) =>
  target.startsWith('ok.md') ? { href: `/docs/ok${target.slice(5)}`, external: false } : target.startsWith('https:') ? { href: target, external: true } : undefined;

function render(markdown: string) {
  return parseHTML(`<main>${renderMarkdown(markdown, internal).value}</main>`).document;
}

describe('markdown for the docs pages', () => {
  it('escapes everything: raw HTML in the source is text, never elements', () => {
    const doc = render('# T <script>x()</script>\n\nA <img src=x onerror=alert(1)> and `<b>code</b>` and **<i>bold</i>**\n\n| a | <script> |\n|---|---|\n| [x](javascript:void) | y |');
    expect(doc.querySelectorAll('script, img, b, i').length).toBe(0);
    expect(doc.querySelector('h1')?.textContent).toBe('T <script>x()</script>');
    expect(doc.querySelector('code')?.textContent).toBe('<b>code</b>');
    // A link the resolver does not accept is its text alone.
    expect(doc.querySelectorAll('a').length).toBe(0);
    expect(doc.querySelector('td')?.textContent).toBe('x');
  });

  it('links what the resolver accepts, outside links as external, and gives headings GitHub ids', () => {
    const doc = render('# Title\n\n## The settings, at a glance\n\nSee [the page](ok.md#the-settings-at-a-glance) or [site](https://example.org/a).\n\n## Settings\n\n## Settings');
    expect(doc.querySelector('a[href="/docs/ok#the-settings-at-a-glance"]')?.textContent).toBe('the page');
    expect(doc.querySelector('a.external')?.getAttribute('rel')).toContain('noopener');
    expect([...doc.querySelectorAll('h2')].map((h) => h.id)).toEqual(['the-settings-at-a-glance', 'settings', 'settings-1']);
    expect(headingId('`HTTP_PORT` and /metrics')).toBe('http_port-and-metrics');
  });

  it('renders lists (nested ones too), code blocks, block quotes and keeps one h1', () => {
    const doc = render('# One\n\n- a\n  continued\n- b\n  - b1\n  - b2\n\n1. first\n2. second\n\n```sh\nnpm start <x>\n```\n\n> quoted **bold**\n\n# Two');
    expect([...doc.querySelectorAll('main > ul > li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['a continued', 'bb1b2']);
    expect(doc.querySelectorAll('ul ul li').length).toBe(2);
    expect(doc.querySelectorAll('ol li').length).toBe(2);
    expect(doc.querySelector('pre code')?.textContent).toBe('npm start <x>');
    expect(doc.querySelector('blockquote strong')?.textContent).toBe('bold');
    expect(doc.querySelectorAll('h1').length).toBe(1);
  });
});
