/**
 * Test helper for the knowledge commands: the seed story as the bot loads it (`loadStory`), the
 * real search over it, the real command set behind the real router, and a chat to ask from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { NATIVE_SPELLING_NOTE } from '../../src/commands/entity-answer.js';
import { createCommandSet } from '../../src/commands/index.js';
import { createRouter, type CommandRouter, type HandleOptions } from '../../src/commands/router.js';
import type { CommandContext, CommandDefinition } from '../../src/commands/types.js';
import type { KnowledgeBase, Source } from '../../src/knowledge/model.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { Reply, ReplyCitation } from '../../src/replies/reply.js';
import type { KnowledgeProvider } from '../../src/search/types.js';
import { SEED_STORY, seedKnowledge, seedSnapshot } from '../support/seed-story.js';

export { SEED_STORY };

/** The seed story's knowledge base. */
export const kb: KnowledgeBase = seedSnapshot().kb;

/** The seed story with the real search, as commands receive it. */
export const knowledge: KnowledgeProvider = seedKnowledge;

/** A private console chat, as `npm start` gives one. */
export const CONTEXT: CommandContext = {
  chat: { platform: 'console', id: 'c1', type: 'private' },
  user: { id: 'u1', isModerator: false },
  now: new Date('2021-08-24T08:00:00Z'),
};

/** The router over the full command set, optionally with extra commands as the app adds them. */
export function seedRouter(extra: CommandDefinition[] = []): CommandRouter {
  return createRouter({ commands: createCommandSet({ knowledge, extra }), logger: silentLogger() });
}

const defaultRouter = seedRouter();

/** Send one line through the router (plain questions understood) and return the reply. */
export async function ask(text: string, options: HandleOptions = { questions: true }): Promise<Reply> {
  const result = await defaultRouter.handle(text, CONTEXT, options);
  if (result === null) throw new Error(`The router ignored “${text}”.`);
  return result.reply;
}

/** The article's file text, read from disk (not from the knowledge base) to check verbatim quotes. */
export function articleText(sourceId: string): string {
  return readFileSync(join(SEED_STORY, 'articles', `${sourceId}.txt`), 'utf8');
}

/** Every piece of text a reply shows, for checks on what reaches the user. */
export function allText(reply: Reply): string[] {
  return [
    reply.title,
    reply.summary ?? '',
    ...reply.sections.flatMap((s) => [s.label, ...s.lines.flatMap((l) => [l.text, l.note ?? ''])]),
    ...reply.quotes.flatMap((q) => [q.text, q.speaker, q.date ?? '', q.how ?? '', q.note ?? '']),
    ...reply.suggestions.flatMap((a) => [a.label, a.command]),
    ...reply.actions.flatMap((a) => [a.label, a.command]),
  ];
}

/** The ids an action or suggestion asks for (`/who id:ahmad-massoud` → `ahmad-massoud`). */
export function idsIn(actions: ReadonlyArray<{ command: string }>): string[] {
  return actions.map((a) => /id:([a-z0-9-]+)/.exec(a.command)?.[1]).filter((id): id is string => id !== undefined);
}

/** The seed source a numbered reply citation stands for (by outlet, headline and date). */
export function sourceOf(citation: ReplyCitation): Source {
  const source = kb.sources.find((s) => s.outlet === citation.outlet && s.headline === citation.headline && s.published === citation.date);
  if (source === undefined) throw new Error(`Citation ${JSON.stringify(citation)} names no article of the story.`);
  return source;
}

/** Whitespace folded, so a sentence matches across the article's line breaks. */
export function folded(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Provenance of a reply: every fact line, quote and summary cites numbers that resolve to
 * `reply.citations`; each citation names an article of the story (outlet, headline, ISO date);
 * every listed citation is used. The one uncited line an answer may carry is the native-script
 * spelling, which comes from the registry and says so.
 */
export function expectProvenance(reply: Reply): void {
  const used = new Set<number>();
  const resolves = (cites: readonly number[], what: string) => {
    for (const n of cites) {
      expect(Number.isInteger(n) && n >= 1 && n <= reply.citations.length, `${what} cites [${n}] of ${reply.citations.length}`).toBe(true);
      used.add(n);
    }
  };
  for (const section of reply.sections) {
    for (const line of section.lines) {
      if (line.cites.length === 0) {
        expect(line.text.startsWith('Native spelling: '), `uncited line “${line.text}” in “${section.label}”`).toBe(true);
        expect(line.note).toBeDefined();
        expect(line.note).toBe(NATIVE_SPELLING_NOTE);
        continue;
      }
      resolves(line.cites, `“${line.text}”`);
    }
  }
  for (const quote of reply.quotes) {
    expect(quote.cites.length, `quote “${quote.text}” has no citation`).toBeGreaterThan(0);
    resolves(quote.cites, `quote “${quote.text}”`);
  }
  if (reply.summaryCites !== undefined) resolves(reply.summaryCites, 'the summary');
  reply.citations.forEach((citation, i) => {
    expect(citation.outlet).not.toBe('');
    expect(citation.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    sourceOf(citation);
    expect(used.has(i + 1), `citation ${i + 1} (${citation.outlet}) is listed but nothing cites it`).toBe(true);
  });
}
