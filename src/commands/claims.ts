/**
 * /claims [topic]: what each party claims, who disputes it, and whether the sources could
 * verify it — then the conflicting reports, side by side with their sources. A claim is never
 * shown as a fact: every line carries its verification status.
 */
import { verificationWording } from '../knowledge/claims.js';
import type { Claim, Conflict, KnowledgeBase } from '../knowledge/model.js';
import { reply, type Reply, type ReplyAction, type ReplyLine } from '../replies/reply.js';
import { nextPageActions, pageOf, parseArguments } from './arguments.js';
import { CitationNumbers } from './citations.js';
import type { KnowledgeCommandDeps } from './entity-commands.js';
import { entryGone, knowledgeLookup } from './kb-lookup.js';
import { otherTopicActions, resolveStoryTopic, topicNotFound } from './timeline.js';
import type { CommandDefinition } from './types.js';

/** Claims shown per page (each takes two to four lines). */
export const CLAIMS_PER_PAGE = 4;

const STATUS_WORDS: Record<Claim['verification']['status'], string> = {
  unverified: 'unverified',
  unconfirmed: 'unconfirmed',
  disputed: 'disputed',
  confirmed: 'confirmed',
};

/**
 * The verification line as a reader should see it: the status, and the sources' own words
 * with the outlet that wrote them, e.g. `unverified — “impossible to independently verify”
 * (TheJournal.ie)`.
 */
export function verificationText(claim: Claim, refs: CitationNumbers): string {
  const status = STATUS_WORDS[claim.verification.status];
  const words: string[] = [];
  for (const citation of claim.verification.citations) {
    const wording = verificationWording(citation.text);
    if (wording === undefined) continue;
    const entry = `“${wording.words}” (${refs.outlet(citation.sourceId)})`;
    if (!words.includes(entry)) words.push(entry);
  }
  if (claim.verification.status === 'disputed') {
    const by = claim.counterClaims.map((c) => c.claimant.text);
    const disputedBy = `disputed by ${[...new Set(by)].join('; ')}`;
    return words.length > 0 ? `${disputedBy}; the sources add: ${words.join(', ')}` : disputedBy;
  }
  return words.length > 0 ? `${status} — ${words.join(', ')}` : `${status} — no source could verify it`;
}

function claimLines(claim: Claim, refs: CitationNumbers): ReplyLine[] {
  const lines: ReplyLine[] = [
    { text: `Claimed by ${claim.claimant.text}: ${claim.statement}`, cites: refs.cite(claim.citations), note: STATUS_WORDS[claim.verification.status] },
  ];
  for (const counter of claim.counterClaims) {
    lines.push({ text: `↳ ${counter.claimant.text}: ${counter.statement}`, cites: refs.cite(counter.citations), note: 'counter-claim' });
  }
  lines.push({ text: `↳ Verification: ${verificationText(claim, refs)}`, cites: refs.cite(claim.verification.citations) });
  return lines;
}

function conflictLines(conflict: Conflict, refs: CitationNumbers): ReplyLine[] {
  return [
    { text: conflict.topic, cites: [], note: 'conflicting reports' },
    ...conflict.sides.map((side) => ({ text: `${refs.outlet(side.citation.sourceId)}: ${side.statement}`, cites: refs.cite([side.citation]) })),
  ];
}

function claimsPage(kb: KnowledgeBase, title: string, claims: Claim[], conflicts: Conflict[], page: number, moreCommand: string, extra: ReplyAction[]): Reply {
  const refs = new CitationNumbers(kb);
  const current = pageOf(claims, CLAIMS_PER_PAGE, page);
  const sections = [];
  if (current.items.length > 0) sections.push({ label: 'Claims', lines: current.items.flatMap((c) => claimLines(c, refs)) });
  // Conflicts are few; they open the story's first page only so paging is about claims.
  if (current.page === 1 && conflicts.length > 0) sections.push({ label: 'Conflicting reports', lines: conflicts.flatMap((c) => conflictLines(c, refs)) });
  const actions = nextPageActions(current, 'More claims', moreCommand);
  const disputed = claims.filter((c) => c.verification.status === 'disputed').length;
  return reply({
    kind: 'answer',
    title,
    summary:
      `${claims.length} claim${claims.length === 1 ? '' : 's'} (${disputed} disputed), ${conflicts.length} conflicting report${conflicts.length === 1 ? '' : 's'}` +
      `${current.pages > 1 ? `; page ${current.page} of ${current.pages}` : ''}. Claims are what a party says, not established facts.`,
    sections,
    citations: refs.list(),
    actions: [...actions, ...extra],
  });
}

/**
 * The /claims command.
 *
 * @example
 * const claims = claimsCommand({ knowledge });
 * await claims.run({ text: '' }, context); // every claim with its counter-claims and status, then the conflicts
 */
export function claimsCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'claims',
    description: 'Contested claims: who claims what, who disputes it, whether anyone could verify it',
    options: [{ name: 'topic', description: 'Only claims about this person, place or group (optional)', required: false, autocomplete: ['person', 'place', 'organisation'] }],
    usage: '/claims [person, place or group]',
    examples: ['/claims', '/claims taliban', '/claims mujahid'],
    run(input) {
      const { kb, search } = deps.knowledge();
      const { id, query, page } = parseArguments(input.text);
      const topic = resolveStoryTopic(kb, search, id, query);
      switch (topic.kind) {
        case 'gone':
          return entryGone('claims');
        case 'none':
          return topicNotFound('/claims', 'claims', topic.query, topic.suggestions);
        case 'all':
          if (kb.claims.length === 0 && kb.conflicts.length === 0) {
            return reply({ kind: 'notice', title: 'No contested claims yet.', summary: 'The articles report no claims that others dispute or could not verify.' });
          }
          return claimsPage(kb, `Claims: ${kb.story.title}`, kb.claims, kb.conflicts, page, '/claims', []);
        case 'entity': {
          const view = knowledgeLookup(kb).view(topic.entity.id);
          const others = otherTopicActions('/claims', topic.others);
          if (view.claims.length === 0 && view.conflicts.length === 0) {
            return reply({
              kind: 'not-found',
              title: `No contested claims about ${topic.entity.label}.`,
              summary: 'All claims of the story may still help.',
              suggestions: [{ label: 'All claims', command: '/claims' }, ...others],
            });
          }
          return claimsPage(kb, `Claims: ${topic.entity.label}`, view.claims, view.conflicts, page, `/claims id:${topic.entity.id}`, others);
        }
      }
    },
  };
}
