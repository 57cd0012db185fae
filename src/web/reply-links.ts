/**
 * Links from chat answers into the web dossier, computed here and nowhere else: commands say
 * what an answer is about and which spans it cites; adapters render whatever `link` fields they
 * find. Without PUBLIC_URL nothing is added, so every platform renders exactly as before.
 */
import type { CommandRouter, RouterResult } from '../commands/router.js';
import type { InlineAnswer } from '../commands/inline.js';
import type { Reply } from '../replies/reply.js';
import type { KnowledgeProvider } from '../search/types.js';
import { dossierIndex } from './dossier-index.js';
import { absolute, citationPath, CLAIMS_PATH, entityPath, HOME_PATH, searchPath, SOURCES_PATH, TIMELINE_PATH } from './routes.js';

/** Pages that show a command's answer whole, by command name. */
const COMMAND_PAGES: Record<string, (argument: string) => string> = {
  timeline: () => TIMELINE_PATH,
  claims: () => CLAIMS_PATH,
  sources: () => SOURCES_PATH,
  search: (argument) => searchPath(argument.replace(/\bpage:\d+\b/gi, '').trim()),
};

/** The dossier page for a reply: its entity's page, its command's page, else the story's front page. */
function pagePath(reply: Reply, command: string | undefined, argument: string): string | undefined {
  if (reply.kind !== 'answer') return undefined;
  if (reply.subject !== undefined) return entityPath(reply.subject.entityId);
  const forCommand = command === undefined ? undefined : COMMAND_PAGES[command];
  return forCommand === undefined ? HOME_PATH : forCommand(argument);
}

/** Which part of a source's page holds an offset (long articles are cut in parts); 1 for an ordinary article. */
export type PartResolver = (sourceId: string, offset: number) => number;

/** The part resolver of the current knowledge (1 everywhere while the story is loading). */
export function partsOf(knowledge: KnowledgeProvider | undefined): PartResolver {
  return (sourceId, offset) => {
    const snapshot = knowledge?.();
    return snapshot === undefined ? 1 : dossierIndex(snapshot.kb).partOf(sourceId, offset);
  };
}

/**
 * The reply with its dossier links: `link` on the reply (the page that shows it whole) and on
 * each citation (the cited span, in the part of the article's page that holds it). The same
 * reply, untouched, when `publicUrl` is unset.
 *
 * @example
 * linkReply(answer, 'https://dossier.example.org', 'who').citations[0]?.link
 * // → 'https://dossier.example.org/sources/000_80426d2fa619d4a8#c-1398-1530'
 */
export function linkReply(reply: Reply, publicUrl: string | undefined, command?: string, argument = '', partOf: PartResolver = () => 1): Reply {
  if (publicUrl === undefined) return reply;
  const path = pagePath(reply, command, argument);
  return {
    ...reply,
    ...(path === undefined ? {} : { link: absolute(publicUrl, path) }),
    citations: reply.citations.map((c) =>
      c.sourceId === undefined ? c : { ...c, link: absolute(publicUrl, citationPath({ sourceId: c.sourceId, start: c.span?.start ?? 0, end: c.span?.end ?? 0 }, partOf(c.sourceId, c.span?.start ?? 0))) },
    ),
  };
}

/**
 * A router whose answers carry dossier links (the router itself when `publicUrl` is unset).
 *
 * @example
 * const router = withDossierLinks(createRouter(deps), config.PUBLIC_URL, provider);
 */
export function withDossierLinks(router: CommandRouter, publicUrl: string | undefined, knowledge?: KnowledgeProvider): CommandRouter {
  if (publicUrl === undefined) return router;
  const partOf = partsOf(knowledge);
  return {
    definitions: router.definitions,
    autocomplete: (command, option, partial) => router.autocomplete(command, option, partial),
    find: (name) => router.find(name),
    async handle(text, context, options) {
      const result: RouterResult | null = await router.handle(text, context, options);
      return result === null ? null : { ...result, reply: linkReply(result.reply, publicUrl, result.command, result.argument, partOf) };
    },
  };
}

/** Inline answers (Telegram inline mode) with dossier links. */
export function linkInlineAnswers(answers: InlineAnswer[], publicUrl: string | undefined, knowledge?: KnowledgeProvider): InlineAnswer[] {
  if (publicUrl === undefined) return answers;
  const partOf = partsOf(knowledge);
  return answers.map((a) => ({ ...a, reply: linkReply(a.reply, publicUrl, undefined, '', partOf) }));
}
