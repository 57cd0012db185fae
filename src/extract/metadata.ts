/**
 * The metadata a newsroom page carries, read the way publishers write it: JSON-LD
 * (`NewsArticle` and kin, also inside `@graph`), Open Graph and `article:*` meta tags, the
 * canonical link, `<html lang>` and `<time datetime>`. The first source that says something wins,
 * in that order, because JSON-LD is what newsrooms maintain for search engines.
 */

/** What a page says about itself; every field is optional because pages omit any of them. */
export interface PageMetadata {
  headline?: string;
  /** The publication's name (`og:site_name`, JSON-LD `publisher.name`). */
  outlet?: string;
  /** ISO timestamps as the page gave them. */
  published?: string;
  modified?: string;
  /** ISO 639-1, lower case. */
  language?: string;
  author?: string;
  canonicalUrl?: string;
  /** `og:type` (article, website). */
  ogType?: string;
  /** The JSON-LD `@type`s found on the page. */
  jsonLdTypes: string[];
  /** Whether JSON-LD describes an article (NewsArticle, Article, ReportageNewsArticle, BlogPosting…). */
  isArticle: boolean;
  /** JSON-LD `isAccessibleForFree: false`: the publisher says the text is behind a paywall. */
  paywalled: boolean;
}

/** The minimal DOM the readers need (linkedom's document satisfies it). */
export interface MetaDocument {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null; textContent: string | null }>;
  documentElement: { getAttribute(name: string): string | null } | null;
}

const ARTICLE_TYPES = /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReviewNewsArticle|BlogPosting|LiveBlogPosting|Report)$/u;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object in the JSON-LD blocks, `@graph`s and arrays flattened. */
function jsonLdObjects(document: MetaDocument): JsonObject[] {
  const found: JsonObject[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      found.push(value);
      if (value['@graph'] !== undefined) visit(value['@graph']);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // A broken JSON-LD block is common; the meta tags may still say what we need.
    }
  }
  return found;
}

function typesOf(object: JsonObject): string[] {
  const type = object['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join(', ') || undefined;
  if (isObject(value)) return text(value.name) ?? text(value['@id']);
  return undefined;
}

function meta(document: MetaDocument, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const element = document.querySelector(`meta[property="${key}"]`) ?? document.querySelector(`meta[name="${key}"]`);
    const content = element?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return undefined;
}

/** `en-GB` → `en`; anything that is not a language tag → undefined. */
export function languageCode(tag: string | undefined): string | undefined {
  const code = /^([a-z]{2})(?:[-_]|$)/iu.exec(tag?.trim() ?? '')?.[1];
  return code?.toLowerCase();
}

/**
 * Read a page's metadata.
 *
 * @example
 * const { document } = parseHTML(html);
 * readMetadata(document).outlet // 'TheJournal.ie'
 */
export function readMetadata(document: MetaDocument): PageMetadata {
  const objects = jsonLdObjects(document);
  const article = objects.find((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t)));
  const jsonLdTypes = [...new Set(objects.flatMap(typesOf))];
  const publisher = article?.publisher ?? objects.find((o) => typesOf(o).includes('NewsMediaOrganization'))?.name;
  const mainEntity = article?.mainEntityOfPage;
  const canonical =
    document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() ||
    meta(document, 'og:url') ||
    (typeof mainEntity === 'string' ? mainEntity : isObject(mainEntity) ? text(mainEntity['@id']) : undefined) ||
    undefined;
  const time = document.querySelector('article time[datetime]') ?? document.querySelector('time[datetime]');
  const accessible = article?.isAccessibleForFree;
  const result: PageMetadata = {
    jsonLdTypes,
    isArticle: article !== undefined || meta(document, 'og:type') === 'article',
    paywalled: accessible === false || accessible === 'False' || accessible === 'false',
  };
  const headline = text(article?.headline) ?? meta(document, 'og:title', 'twitter:title') ?? document.querySelector('h1')?.textContent?.trim();
  const outlet = text(publisher) ?? meta(document, 'og:site_name', 'application-name');
  const published = text(article?.datePublished) ?? meta(document, 'article:published_time', 'pubdate', 'date') ?? time?.getAttribute('datetime')?.trim();
  const modified = text(article?.dateModified) ?? meta(document, 'article:modified_time', 'og:updated_time');
  const language = languageCode(document.documentElement?.getAttribute('lang') ?? undefined) ?? languageCode(text(article?.inLanguage)) ?? languageCode(meta(document, 'og:locale'));
  const author = text(article?.author) ?? meta(document, 'author', 'article:author');
  const ogType = meta(document, 'og:type');
  if (headline) result.headline = headline.replace(/\s+/gu, ' ');
  if (outlet) result.outlet = outlet;
  if (published) result.published = published;
  if (modified) result.modified = modified;
  if (language) result.language = language;
  if (author) result.author = author;
  if (canonical) result.canonicalUrl = canonical;
  if (ogType) result.ogType = ogType;
  return result;
}
