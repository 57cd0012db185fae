/**
 * From a news page's HTML to the report: `@mozilla/readability` (Firefox Reader View's
 * extractor, maintained by Mozilla) over a `linkedom` DOM finds the article body; we strip the
 * furniture readability tends to keep (cookie banners, share bars, related links, adverts),
 * turn the body into one paragraph per line — the form the ingest pipeline reads — and read the
 * page's metadata. Pages that are not an article (index pages, paywall stubs, cookie walls) are
 * refused with a reason instead of being turned into "knowledge".
 */
import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { readMetadata, type MetaDocument, type PageMetadata } from './metadata.js';

/** Why a page was not taken as an article. */
export type RefusalKind = 'not-an-article' | 'paywall' | 'cookie-wall';

export interface ExtractedArticle {
  ok: true;
  /** Report paragraphs, in order, whitespace normalised. */
  paragraphs: string[];
  metadata: PageMetadata;
}

export interface ExtractRefusal {
  ok: false;
  kind: RefusalKind;
  reason: string;
}

export type ExtractResult = ExtractedArticle | ExtractRefusal;

/** Fewer characters of report than this is a stub, a teaser or a wall, not an article. */
export const MIN_ARTICLE_CHARS = 600;
/** … and at least this many paragraphs. */
export const MIN_ARTICLE_PARAGRAPHS = 3;

/** Class or id words of page furniture that readability sometimes keeps. */
const FURNITURE = /(^|[\s_-])(cookies?|consent|gdpr|newsletter|adverts?|advertisement|ads?|promo|related|share|sharing|social|comments?|paywall|subscribe|subscription|breadcrumbs?|trending|most-read|outbrain|taboola)([\s_-]|$)/iu;
const FURNITURE_TAGS = 'script, style, noscript, template, iframe, svg, nav, footer, aside, form, button, dialog, [role="navigation"], [role="dialog"], [aria-hidden="true"]';
const COOKIE_WORDS = /\b(cookies?|consent|privacy settings|accept all|reject all|manage preferences)\b/iu;
const PAYWALL_WORDS = /\b(subscribe to (continue|read|keep)|subscribers? only|to continue reading|already a subscriber|exclusive to subscribers|start your (free )?trial|log in to read)\b/iu;
const BLOCK_TAGS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'FIGCAPTION', 'PRE', 'DD', 'DT', 'TD', 'TH']);

interface Node {
  nodeType: number;
  tagName?: string;
  textContent: string | null;
  childNodes: ArrayLike<Node>;
}

const normalise = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/** One line per block element; a block that holds blocks is walked into instead. */
function paragraphsOf(root: Node): string[] {
  const out: string[] = [];
  let loose = '';
  const flush = () => {
    const line = normalise(loose);
    if (line) out.push(line);
    loose = '';
  };
  const holdsBlocks = (node: Node): boolean =>
    Array.from(node.childNodes).some((c) => (c.tagName !== undefined && BLOCK_TAGS.has(c.tagName)) || holdsBlocks(c));
  const walk = (node: Node): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) loose += child.textContent ?? '';
      else if (child.nodeType === 1) {
        if (child.tagName === 'BR') loose += ' ';
        else if (child.tagName !== undefined && BLOCK_TAGS.has(child.tagName) && !holdsBlocks(child)) {
          flush();
          const line = normalise(child.textContent ?? '');
          if (line) out.push(line);
        } else if (holdsBlocks(child) || /^(DIV|SECTION|ARTICLE|MAIN|HEADER|FIGURE|UL|OL|TABLE|TBODY|TR|DL)$/u.test(child.tagName ?? '')) {
          flush();
          walk(child);
          flush();
        } else loose += child.textContent ?? '';
      }
    }
  };
  walk(root);
  flush();
  return out;
}

type Dom = ReturnType<typeof parseHTML>['document'];
type ReaderableDocument = Parameters<typeof isProbablyReaderable>[0];
type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

function stripFurniture(document: Dom): void {
  for (const element of [...document.querySelectorAll(FURNITURE_TAGS)]) element.remove();
  for (const element of [...document.querySelectorAll('[class], [id]')]) {
    if (element.tagName === 'BODY' || element.tagName === 'HTML' || element.tagName === 'ARTICLE' || element.tagName === 'MAIN') continue;
    const words = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
    if (FURNITURE.test(words)) element.remove();
  }
}

/**
 * Extract the report and metadata from a page, or say why it is not an article.
 *
 * @example
 * const result = extractArticle(html);
 * if (result.ok) console.log(result.metadata.headline, result.paragraphs.length);
 * else console.log(result.kind, result.reason); // 'paywall', 'only a subscription prompt…'
 */
export function extractArticle(html: string): ExtractResult {
  const { document } = parseHTML(html);
  const metadata = readMetadata(document as unknown as MetaDocument);
  // The whole page's words, before stripping: walls are recognised by what they say.
  const pageText = normalise(document.body?.textContent ?? '');

  stripFurniture(document);
  const readable = isProbablyReaderable(document as unknown as ReaderableDocument, { minContentLength: 140, minScore: 20 });
  const parsed = readable ? new Readability(document as unknown as ReadabilityDocument, { charThreshold: MIN_ARTICLE_CHARS }).parse() : null;
  let paragraphs: string[] = [];
  if (parsed?.content) {
    const { document: body } = parseHTML(`<!doctype html><html><body>${parsed.content}</body></html>`);
    paragraphs = paragraphsOf(body.body as unknown as Node);
  }
  const headline = metadata.headline;
  // Readability repeats the title as a heading; the stored text starts with the headline anyway.
  if (headline !== undefined && paragraphs[0] !== undefined && normalise(paragraphs[0]) === normalise(headline)) paragraphs.shift();
  const chars = paragraphs.reduce((n, p) => n + p.length, 0);

  if (chars < MIN_ARTICLE_CHARS || paragraphs.length < MIN_ARTICLE_PARAGRAPHS) {
    if (metadata.paywalled || PAYWALL_WORDS.test(pageText)) {
      return { ok: false, kind: 'paywall', reason: `paywall: only ${chars} characters of the report are readable without a subscription` };
    }
    if (COOKIE_WORDS.test(pageText)) {
      return { ok: false, kind: 'cookie-wall', reason: 'cookie wall: the page shows a consent form instead of the report' };
    }
    return { ok: false, kind: 'not-an-article', reason: `not an article: ${chars} characters in ${paragraphs.length} paragraph(s) of running text (an index page, a teaser or an empty page)` };
  }
  const collection = metadata.jsonLdTypes.some((t) => /^(CollectionPage|ItemList|WebSite|SearchResultsPage)$/u.test(t));
  if (!metadata.isArticle && (collection || metadata.ogType === 'website')) {
    return { ok: false, kind: 'not-an-article', reason: `not an article: the page calls itself ${collection ? metadata.jsonLdTypes.join('/') : 'a website (og:type)'}, not a news article` };
  }
  return { ok: true, paragraphs, metadata };
}
