/**
 * The review report printed after an article is ingested: what the pipeline found in the
 * new source (entities and the spellings used, new names, quotes and speakers, facts,
 * corroborations, events, claims, conflicts), so an editor can check it and fix the registry.
 */
import type { Citation, KnowledgeBase, SourceId } from './model.js';

const cites = (citations: readonly Citation[], sourceId: SourceId): boolean =>
  citations.some((c) => c.sourceId === sourceId);

function shorten(text: string, max = 110): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/u, '')}…`;
}

/**
 * Formats the review report of one source of the knowledge base.
 *
 * @example
 * console.log(formatIngestReport(kb, '004_ab12…', { dryRun: false, written: [...] }));
 */
export function formatIngestReport(
  kb: KnowledgeBase,
  sourceId: SourceId,
  run: { dryRun: boolean; written: readonly string[] },
): string {
  const source = kb.sources.find((s) => s.id === sourceId);
  if (!source) return `Source ${sourceId} is not in the knowledge base.`;
  const label = new Map(kb.entities.map((e) => [e.id, e.label]));
  const outletOf = new Map(kb.sources.map((s) => [s.id, s.outlet]));
  const others = (citations: readonly Citation[]): string[] =>
    [...new Set(citations.filter((c) => c.sourceId !== sourceId).map((c) => outletOf.get(c.sourceId) ?? c.sourceId))];
  const lines: string[] = [];
  const section = (title: string, items: string[], empty = '(none)'): void => {
    lines.push('', `${title} (${items.length})`);
    lines.push(...(items.length > 0 ? items.map((i) => `  ${i}`) : [`  ${empty}`]));
  };

  lines.push(
    `${run.dryRun ? 'Dry run — nothing written.' : `Added ${sourceId}.`} ${source.outlet}, ${source.published}: ${source.headline}`,
    ...run.written.map((f) => `  wrote ${f}`),
    `Cleaning: ${source.body.length} paragraphs kept, ${source.removed.length} removed.`,
    ...source.removed.map((r) => `  removed (${r.reason}): ${shorten(r.text, 70)}`),
  );

  section(
    'Entities linked',
    kb.entities
      .filter((e) => cites(e.mentions, sourceId))
      .map((e) => {
        const spellings = new Map<string, number>();
        for (const m of e.mentions) if (m.sourceId === sourceId) spellings.set(m.text, (spellings.get(m.text) ?? 0) + 1);
        return `${e.label} [${e.id}] as ${[...spellings].map(([t, n]) => `"${t}"${n > 1 ? ` ×${n}` : ''}`).join(', ')}`;
      }),
  );
  section(
    'New names (not in the registry; add them to registry.yaml if they matter)',
    kb.candidates
      .filter((c) => cites(c.citations, sourceId))
      .map((c) => `${c.name} ×${c.citations.filter((x) => x.sourceId === sourceId).length}`),
  );

  const quotes = kb.quotes.filter((q) => cites(q.citations, sourceId));
  const quoteLine = (q: (typeof quotes)[number]): string => {
    const own = q.citations.find((c) => c.sourceId === sourceId);
    const how = [q.mode, q.context, q.date ? `${q.date.start} (${q.date.text})` : undefined].filter(Boolean).join(', ');
    const also = others(q.citations);
    return `“${shorten(own?.text ?? q.text)}”${q.partial ? ' (partial)' : ''}${how ? ` — ${how}` : ''}${also.length ? ` [also in ${also.join(', ')}]` : ''}`;
  };
  section(
    'Quotes with a speaker',
    quotes.filter((q) => q.speakerId).map((q) => `${label.get(q.speakerId ?? '') ?? q.speakerId}: ${quoteLine(q)}`),
  );
  section(
    'Quotes without a speaker (check the attribution)',
    quotes.filter((q) => !q.speakerId).map((q) => `${q.speakerText ? `(${q.speakerText}) ` : ''}${quoteLine(q)}`),
  );

  const facts = kb.facts.filter((f) => cites(f.citations, sourceId));
  lines.push(
    '',
    `Facts: ${facts.length} (${facts.filter((f) => f.rank === 'caption').length} from photo captions, ${facts.filter((f) => f.date).length} dated)`,
  );

  section(
    'Corroborated by other sources',
    [...quotes, ...facts]
      .filter((item) => others(item.citations).length > 0)
      .map((item) => `${shorten(item.text, 80)} — also in ${others(item.citations).join(', ')}`),
  );
  section(
    'Events',
    kb.events
      .filter((e) => cites(e.citations, sourceId))
      .map((e) => `${e.date.start}${e.date.end !== e.date.start ? `…${e.date.end}` : ''} (${e.date.precision}): ${shorten(e.text, 90)}`),
  );
  section(
    'Claims',
    kb.claims
      .filter((c) => cites([...c.citations, ...c.counterClaims.flatMap((cc) => cc.citations)], sourceId))
      .map((c) => `${c.claimant.text}: ${shorten(c.statement, 80)} [${c.verification.status}]`),
  );
  section(
    'Conflicts',
    kb.conflicts
      .filter((c) => c.sides.some((s) => s.citation.sourceId === sourceId))
      .map((c) => `${c.topic}: ${c.sides.map((s) => `“${shorten(s.statement, 50)}” (${outletOf.get(s.citation.sourceId)})`).join(' vs ')}`),
  );
  return `${lines.join('\n')}\n`;
}
