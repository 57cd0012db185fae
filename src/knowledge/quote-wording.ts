/**
 * Which outlet's wording a merged quote shows. The same words reported by several outlets are
 * one quote with a citation per outlet; its text is the first citation's. That first one is
 * the fullest wording (a whole quote before a fragment of it), then the wording of a report in
 * its original language before one that is a translation (`originalLanguage` in the article's
 * metadata differs from its `language`: a translated quote is one step further from what was
 * said), then the build's canonical order. Every outlet stays cited; the others' wordings are
 * shown beside it.
 */
import type { Citation, Quote, Source } from './model.js';
import { tidyWhitespace } from './text.js';

/** True when the text we hold of a source is a translation of its original publication. */
export function isTranslation(source: Pick<Source, 'language' | 'originalLanguage'> | undefined): boolean {
  return source?.originalLanguage !== undefined && source.originalLanguage !== source.language;
}

const key = (c: Citation): string => `${c.sourceId}\u0000${c.start}\u0000${c.end}`;

/**
 * Puts each merged quote's preferred wording first (see the module comment) and takes its
 * text and partial flag from it. `drafts` are the quotes before merging, one citation each.
 *
 * @example
 * preferOriginalWording(merged, drafts, sources)[0].citations[0].sourceId // the untranslated report
 */
export function preferOriginalWording(quotes: readonly Quote[], drafts: readonly Quote[], sources: readonly Source[]): Quote[] {
  const draftOf = new Map(drafts.flatMap((d) => d.citations.map((c) => [citationKey(c), d] as const)));
  const sourceOf = new Map(sources.map((s) => [s.id, s]));
  return quotes.map((quote) => preferredWording(quote, draftOf, sourceOf));
}

/** A citation's key in the `draftOf` map of {@link preferredWording}. */
export const citationKey = key;

/**
 * One merged quote with its preferred wording first (see {@link preferOriginalWording}):
 * `draftOf` gives the draft of each citation (by {@link citationKey}), `sourceOf` each source.
 */
export function preferredWording(quote: Quote, draftOf: ReadonlyMap<string, Quote>, sourceOf: ReadonlyMap<string, Source>): Quote {
  if (quote.citations.length < 2) return quote;
  const ranked = quote.citations
    .map((citation, order) => ({ citation, order, draft: draftOf.get(key(citation)) }))
    .sort(
      (a, b) =>
        Number(a.draft?.partial ?? quote.partial) - Number(b.draft?.partial ?? quote.partial) ||
        Number(isTranslation(sourceOf.get(a.citation.sourceId))) - Number(isTranslation(sourceOf.get(b.citation.sourceId))) ||
        a.order - b.order,
    );
  const first = ranked[0];
  if (!first || first.order === 0) return quote;
  return {
    ...quote,
    text: first.draft?.text ?? tidyWhitespace(first.citation.text),
    partial: first.draft?.partial ?? quote.partial,
    citations: ranked.map((r) => r.citation),
  };
}
