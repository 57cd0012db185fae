/**
 * `/docs` and `/docs/<page>`: the project's documentation, read-only, inside the dossier's
 * frame — the pages of the repository's docs/ folder and the README, and nothing else.
 *
 * The pages are found by an allow-list built from the folder's listing (names of lower-case
 * letters, digits and hyphens ending in `.md`) plus `readme`: a requested name is only ever
 * looked up in that list, never joined to a path, so no address can reach another file.
 * Rendered once per process (the files ship with the code).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { html, type SafeHtml } from '../html.js';
import { href, page, type PageContext } from '../layout.js';
import { renderMarkdown, type LinkResolver } from '../markdown.js';
import { docPath, DOCS_PATH } from '../routes.js';

/** The repository's root: two levels above this module, in src/web/pages or dist/web/pages. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface DocFile {
  /** The page's name in its address: the file name without `.md`, `readme` for the README. */
  name: string;
  /** The file, relative to the root (`docs/deploying.md`, `README.md`). */
  file: string;
}

let allowed: Map<string, DocFile> | undefined;
const rendered = new Map<string, { title: string; body: SafeHtml }>();

/** The documentation pages there are, README first, then docs/ by name. */
export function docFiles(): DocFile[] {
  if (allowed === undefined) {
    allowed = new Map<string, DocFile>();
    if (existsSync(join(ROOT, 'README.md'))) allowed.set('readme', { name: 'readme', file: 'README.md' });
    const folder = join(ROOT, 'docs');
    const names = existsSync(folder) ? readdirSync(folder).filter((f) => /^[a-z0-9-]+\.md$/.test(f)).sort() : [];
    for (const f of names) allowed.set(f.slice(0, -3), { name: f.slice(0, -3), file: `docs/${f}` });
  }
  return [...allowed.values()];
}

/** Links inside a doc: other doc pages become dossier links, http(s) addresses outside links, the rest text. */
function resolver(context: PageContext, from: DocFile, files: readonly DocFile[]): LinkResolver {
  return (target) => {
    if (/^https?:\/\//i.test(target)) return { href: target, external: true };
    const [path = '', fragment] = target.split('#', 2);
    const anchor = fragment === undefined ? '' : `#${fragment}`;
    if (path === '') return { href: anchor, external: false };
    // Resolve against the doc's own folder, as GitHub does.
    const base = from.file.includes('/') ? from.file.slice(0, from.file.lastIndexOf('/') + 1) : '';
    const resolved = new URL(path, `file:///${base}`).pathname.slice(1);
    const doc = files.find((f) => f.file === resolved);
    return doc === undefined ? undefined : { href: `${href(context, docPath(doc.name))}${anchor}`, external: false };
  };
}

/** The list of documentation pages. */
export function docsIndexPage(context: PageContext): SafeHtml {
  const files = docFiles();
  const main = html`<h1>Documentation</h1><p>The Dossier project's documentation, as it ships with this bot.</p>
<ul class="items">${files.map((f) => html`<li><a href="${href(context, docPath(f.name))}">${docTitle(f)}</a> <span class="role"><code>${f.file}</code></span></li>`)}</ul>`;
  return page(context, { title: 'Documentation', nav: 'none' }, main);
}

function docTitle(file: DocFile): string {
  const text = readFileSync(join(ROOT, file.file), 'utf8');
  return /^#\s+(.+)$/m.exec(text)?.[1]?.replace(/[`*]/g, '') ?? file.file;
}

/** One documentation page, or `undefined` when the name is not on the allow-list. */
export function docPage(context: PageContext, name: string): SafeHtml | undefined {
  const files = docFiles();
  const file = files.find((f) => f.name === name);
  if (file === undefined) return undefined;
  const key = `${context.root}:${file.name}`;
  let doc = rendered.get(key);
  if (doc === undefined) {
    const text = readFileSync(join(ROOT, file.file), 'utf8');
    const body = renderMarkdown(text, resolver(context, file, files));
    doc = { title: docTitle(file), body: /<h1[ >]/.test(body.value) ? body : html`<h1>${file.file}</h1>${body}` };
    rendered.set(key, doc);
  }
  const main = html`<p class="kind"><a href="${href(context, DOCS_PATH)}">Documentation</a> · <code>${file.file}</code></p>
<div class="doc-page">${doc.body}</div>`;
  return page(context, { title: doc.title, nav: 'none' }, main);
}
