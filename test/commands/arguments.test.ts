/**
 * The argument grammar buttons and users share: `page:<n>` is a page request for any whole
 * number (never words to search for), clamped to what a command can show.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE, parseArguments } from '../../src/commands/arguments.js';
import { ask } from './seed-router.js';

describe('page:<n>', () => {
  it('reads zero and negative pages as the first and huge ones as the highest, leaving them out of the words', () => {
    expect(parseArguments('massoud page:-5')).toEqual({ query: 'massoud', page: 1 });
    expect(parseArguments('page:0 massoud')).toEqual({ query: 'massoud', page: 1 });
    expect(parseArguments('massoud page:999999999999')).toEqual({ query: 'massoud', page: MAX_PAGE });
    expect(parseArguments('id:ahmad-massoud page:+2')).toEqual({ id: 'ahmad-massoud', query: '', page: 2 });
  });

  it('a huge or negative page of /timeline and /quote shows a page of answers, not “nothing matches”', async () => {
    for (const line of ['/timeline page:999999999999', '/timeline page:-5', '/quote massoud page:999999999999', '/claims page:-5']) {
      const r = await ask(line);
      expect(r.kind, line).toBe('answer');
      expect(r.title, line).not.toMatch(/page|999|-5/);
    }
  });
});
