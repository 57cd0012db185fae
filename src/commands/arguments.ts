/**
 * The small argument grammar shared by commands: `id:<entity-id>` (what buttons send, so a
 * choice is never re-guessed) and `page:<n>` (what "more" buttons send), and the paging of
 * long lists that `page:<n>` selects from.
 */
import type { ReplyAction } from '../replies/reply.js';

export interface ParsedArguments {
  /** An explicit entity id, from a button. */
  id?: string;
  /** The free words, without `id:`/`page:` parts. */
  query: string;
  /** 1-based page number (default 1). */
  page: number;
}

const ID = /(?:^|\s)id:([a-z0-9][a-z0-9-]{0,60})(?=\s|$)/i;
// Any whole number is a page request, so `page:-5` and `page:999999999999` are never taken for words.
const PAGE = /(?:^|\s)page:([+-]?\d+)(?=\s|$)/i;

/** Highest page a command is asked for; beyond it (and beyond a list's end) the last page is shown. */
export const MAX_PAGE = 9999;

/**
 * Split a command's argument text into an entity id, a page number and free words.
 *
 * @example
 * parseArguments('id:ahmad-shah-massoud page:2') // → { id: 'ahmad-shah-massoud', page: 2, query: '' }
 */
export function parseArguments(text: string): ParsedArguments {
  const id = ID.exec(text)?.[1]?.toLowerCase();
  const pageText = PAGE.exec(text)?.[1];
  // Page 0 and negative pages mean the first; a huge number the last (commands clamp to their length).
  const page = pageText === undefined ? 1 : Math.min(MAX_PAGE, Math.max(1, Number(pageText)));
  const query = text.replace(ID, ' ').replace(PAGE, ' ').replace(/\s+/g, ' ').trim();
  return { ...(id === undefined ? {} : { id }), query, page };
}

/** A command line with `page:n` appended, for a "more" button. */
export function withPage(command: string, page: number): string {
  return `${command} page:${page}`;
}

/** One page of a list: its items, its 1-based number and how many pages there are. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
}

/**
 * The requested page of a list; a page past the end (an old button, a typed `page:99`) is the
 * last page, never an empty one.
 *
 * @example
 * pageOf(quotes, 5, 2) // → { items: quotes.slice(5, 10), page: 2, pages: Math.ceil(quotes.length / 5) }
 */
export function pageOf<T>(all: readonly T[], perPage: number, requested: number): Page<T> {
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const page = Math.min(requested, pages);
  return { items: all.slice((page - 1) * perPage, page * perPage), page, pages };
}

/**
 * The "more" button of a page, when there is a next one: `label` gets "(next/pages)" unless
 * `counted` is false.
 */
export function nextPageActions(page: Page<unknown>, label: string, moreCommand: string, counted = true): ReplyAction[] {
  if (page.page >= page.pages) return [];
  return [{ label: counted ? `${label} (${page.page + 1}/${page.pages})` : label, command: withPage(moreCommand, page.page + 1) }];
}
