/**
 * Feed documents to items, with `feedsmith` (one maintained parser for RSS 2.0, RSS 1.0/RDF,
 * Atom and JSON Feed, tolerant of the namespaces news feeds use). Only what the poller needs is
 * kept: an id, the link, the title, a summary, categories and the dates.
 */
import { parseFeed } from 'feedsmith';

/** One feed item, whatever the format. */
export interface FeedItem {
  /** guid / id, else the link. */
  key: string;
  url: string;
  title: string;
  summary: string;
  categories: string[];
  /** ISO timestamps when the feed gave parseable ones. */
  published?: string;
  updated?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title: string;
  items: FeedItem[];
  /** Items dropped because they had no link (a feed may carry notes without pages). */
  skipped: number;
}

/** Thrown for a document that is not a feed we can read; the message says why. */
export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedParseError';
  }
}

/** Text of a field that may be a string, `{ value }` (Atom text constructs) or missing. */
function str(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object' && value !== null && 'value' in value) return str((value as { value: unknown }).value);
  return '';
}

function iso(value: unknown): string | undefined {
  const text = str(value);
  if (text === '') return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Markup-free text of a summary (feeds often carry escaped HTML). */
function plain(html: string): string {
  return html.replace(/<[^>]*>/gu, ' ').replace(/&nbsp;/gu, ' ').replace(/\s+/gu, ' ').trim();
}

type Loose = Record<string, unknown>;
const list = (value: unknown): Loose[] => (Array.isArray(value) ? (value as Loose[]) : []);

/**
 * Parse a feed document.
 *
 * @throws FeedParseError when the document is not RSS, Atom, RDF or JSON Feed, or is malformed
 * @example
 * const { items } = parseFeedDocument(xml);
 * items[0]?.url // 'https://example.org/world/story'
 */
export function parseFeedDocument(text: string, baseUrl?: string): ParsedFeed {
  let parsed: { format: string; feed: Loose };
  try {
    parsed = parseFeed(text) as unknown as { format: string; feed: Loose };
  } catch (error) {
    throw new FeedParseError(`not a readable feed: ${(error as Error).message}`);
  }
  const { format, feed } = parsed;
  const items: FeedItem[] = [];
  let skipped = 0;
  const raw = format === 'atom' ? list(feed.entries) : list(feed.items);
  for (const entry of raw) {
    let link = '';
    let key = '';
    let summary = '';
    let categories: string[] = [];
    let published: string | undefined;
    let updated: string | undefined;
    if (format === 'atom') {
      const links = list(entry.links);
      link = str((links.find((l) => l.rel === undefined || l.rel === 'alternate') ?? links[0])?.href);
      key = str(entry.id);
      summary = str(entry.summary) || str(entry.content);
      categories = list(entry.categories).map((c) => str(c.term) || str(c.label));
      published = iso(entry.published) ?? iso(entry.updated);
      updated = iso(entry.updated);
    } else if (format === 'json') {
      link = str(entry.url) || str(entry.external_url);
      key = str(entry.id);
      summary = str(entry.summary) || str(entry.content_text) || str(entry.content_html);
      categories = Array.isArray(entry.tags) ? (entry.tags as unknown[]).map(str) : [];
      published = iso(entry.date_published);
      updated = iso(entry.date_modified);
    } else {
      link = str(entry.link);
      key = str((entry.guid as Loose | undefined)?.value ?? entry.guid);
      summary = str(entry.description) || str((entry.content as Loose | undefined)?.encoded);
      categories = list(entry.categories).map((c) => str(c.name));
      published = iso(entry.pubDate) ?? iso((entry.dc as Loose | undefined)?.date);
    }
    if (link === '') {
      skipped++;
      continue;
    }
    let url = link;
    try {
      url = new URL(link, baseUrl).href;
    } catch {
      skipped++;
      continue;
    }
    items.push({
      key: key || url,
      url,
      title: plain(str(entry.title)),
      summary: plain(summary),
      categories: categories.filter(Boolean),
      ...(published ? { published } : {}),
      ...(updated ? { updated } : {}),
    });
  }
  return { format: format as ParsedFeed['format'], title: plain(str(feed.title)), items, skipped };
}
