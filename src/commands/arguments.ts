/**
 * The small argument grammar shared by commands: `id:<entity-id>` (what buttons send, so a
 * choice is never re-guessed) and `page:<n>` (what "more" buttons send).
 */

export interface ParsedArguments {
  /** An explicit entity id, from a button. */
  id?: string;
  /** The free words, without `id:`/`page:` parts. */
  query: string;
  /** 1-based page number (default 1). */
  page: number;
}

const ID = /(?:^|\s)id:([a-z0-9][a-z0-9-]{0,60})(?=\s|$)/i;
const PAGE = /(?:^|\s)page:(\d{1,3})(?=\s|$)/i;

/**
 * Split a command's argument text into an entity id, a page number and free words.
 *
 * @example
 * parseArguments('id:ahmad-shah-massoud page:2') // → { id: 'ahmad-shah-massoud', page: 2, query: '' }
 */
export function parseArguments(text: string): ParsedArguments {
  const id = ID.exec(text)?.[1]?.toLowerCase();
  const pageText = PAGE.exec(text)?.[1];
  const page = pageText === undefined ? 1 : Math.max(1, Number(pageText));
  const query = text.replace(ID, ' ').replace(PAGE, ' ').replace(/\s+/g, ' ').trim();
  return { ...(id === undefined ? {} : { id }), query, page };
}

/** A command line with `page:n` appended, for a "more" button. */
export function withPage(command: string, page: number): string {
  return `${command} page:${page}`;
}
