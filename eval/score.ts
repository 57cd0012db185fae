/**
 * Scores a knowledge base built over the corpus against the readers' expectations, report by
 * report. The rules are in eval/README.md; each count can be checked by hand with `--detail`.
 */
import type { Citation, Claim, Entity, KnowledgeBase, Quote, StoryEvent } from '../src/knowledge/model.js';
import type { CorpusReport, ExpectedClaim } from './corpus.js';
import {
  dateFits,
  expectedRange,
  foldForMatch,
  foldText,
  isDescription,
  keepsDescription,
  locateAll,
  overlap,
  overlapsMostly,
  rangesMeet,
  sameName,
  type DayRange,
  type Span,
} from './match.js';

/** The counts of one report (or, summed, of the corpus). */
export interface Score {
  quotes: number;
  quotesRight: number;
  quotesWrong: number;
  quotesNoSpeaker: number;
  quotesMissed: number;
  quotesInvented: number;
  partialWrong: number;
  furniture: number;
  furnitureKept: number;
  furnitureAsFact: number;
  /** Furniture kept as a photo caption (a caption fact, ranked below the report). */
  furnitureAsCaption: number;
  /** Expected quotes, events and claims whose text cleaning removed. */
  reportDropped: number;
  events: number;
  eventDatesRight: number;
  eventDatesWrong: number;
  eventsMissed: number;
  claims: number;
  claimsFound: number;
  wrongMerges: number;
  links: number;
  linksRight: number;
  linksWrong: number;
  newNames: number;
  newNamesFound: number;
  candidatesUseful: number;
  candidatesNoise: number;
  /** Expected texts the scorer could not find in the article (an expectation to check). */
  unlocated: number;
}

export const EMPTY_SCORE: Score = {
  quotes: 0, quotesRight: 0, quotesWrong: 0, quotesNoSpeaker: 0, quotesMissed: 0, quotesInvented: 0, partialWrong: 0,
  furniture: 0, furnitureKept: 0, furnitureAsFact: 0, furnitureAsCaption: 0, reportDropped: 0,
  events: 0, eventDatesRight: 0, eventDatesWrong: 0, eventsMissed: 0,
  claims: 0, claimsFound: 0, wrongMerges: 0,
  links: 0, linksRight: 0, linksWrong: 0, newNames: 0, newNamesFound: 0, candidatesUseful: 0, candidatesNoise: 0,
  unlocated: 0,
};

/** One report's score and the reasons behind each miss, for `--detail`. */
export interface ReportScore {
  slug: string;
  score: Score;
  notes: string[];
}

export function addScores(a: Score, b: Score): Score {
  const out = { ...a };
  for (const key of Object.keys(b) as Array<keyof Score>) out[key] += b[key];
  return out;
}

const short = (s: string, n = 70): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const spanOf = (c: Citation): Span => ({ start: c.start, end: c.end });

/** Registry entities an expected name resolves to (label or alias, folded). */
function resolver(entities: readonly Entity[]): (name: string) => string[] {
  const byName = new Map<string, string[]>();
  for (const e of entities) {
    if (e.provisional) continue;
    for (const n of [e.label, ...e.aliases]) {
      const key = foldText(n).replace(/^the /u, '');
      const ids = byName.get(key) ?? [];
      if (!ids.includes(e.id)) ids.push(e.id);
      byName.set(key, ids);
    }
  }
  return (name) => byName.get(foldText(name).replace(/^the /u, '')) ?? [];
}

/** The speaker the pipeline gives a quote: entity names, or the words of the attribution. */
function givenSpeaker(quote: Quote, entities: ReadonlyMap<string, Entity>): { id?: string; names: string[] } | undefined {
  if (quote.speakerId !== null) {
    const e = entities.get(quote.speakerId);
    if (e) return { id: e.id, names: [e.label, ...e.aliases] };
  }
  if (quote.speakerText && !/^(he|she|they|it|him|her)$/iu.test(quote.speakerText.trim())) return { names: [quote.speakerText] };
  return undefined;
}

type Verdict = 'right' | 'wrong' | 'none';

function speakerVerdict(
  expected: string | null,
  given: { id?: string; names: string[] } | undefined,
  resolve: (name: string) => string[],
): Verdict {
  if (expected === null) return given ? 'wrong' : 'right';
  if (!given) return 'none';
  const registered = resolve(expected);
  if (registered.length > 0) return given.id !== undefined && registered.includes(given.id) ? 'right' : 'wrong';
  if (isDescription(expected)) return given.names.some((n) => keepsDescription(expected, n)) ? 'right' : 'wrong';
  return given.names.some((n) => sameName(expected, n)) ? 'right' : 'wrong';
}

/** True when two claimants are the same party: one name, or linked in the registry. */
function sameParty(a: string | null, b: string | null, resolve: (n: string) => string[], entities: ReadonlyMap<string, Entity>): boolean {
  if (a === null || b === null) return true;
  if (sameName(a, b) || foldText(a) === foldText(b)) return true;
  const ia = resolve(a);
  const ib = resolve(b);
  return ia.some((x) =>
    ib.some((y) => x === y || entities.get(x)?.links.some((l) => l.target === y) || entities.get(y)?.links.some((l) => l.target === x)),
  );
}

/** The capitalised name a mention sits in ("Ahmad Wali Massoud" around "Massoud"). */
function enclosingName(raw: string, m: Span): string {
  let start = m.start;
  let end = m.end;
  const word = /[\p{Lu}][\p{L}'’-]*$/u;
  for (;;) {
    const before = /(?:^|\s)([\p{Lu}][\p{L}'’-]*|al|bin|ibn|de)\s$/u.exec(raw.slice(Math.max(0, start - 30), start));
    if (!before?.[1] || !word.test(before[1]) && !/^(al|bin|ibn|de)$/u.test(before[1])) break;
    start -= before[1].length + 1;
  }
  for (;;) {
    const after = /^\s([\p{Lu}][\p{L}'’-]*)/u.exec(raw.slice(end, end + 30));
    if (!after?.[1]) break;
    end += after[0].length;
  }
  return raw.slice(start, end);
}

/**
 * Scores every report of the corpus in a knowledge base that contains them (source id = slug).
 *
 * @example
 * const scores = scoreCorpus(kb, loadCorpus());
 */
export function scoreCorpus(kb: KnowledgeBase, reports: readonly CorpusReport[]): { reports: ReportScore[]; wrongMerges: number } {
  const entities = new Map(kb.entities.map((e) => [e.id, e]));
  const resolve = resolver(kb.entities);
  const results = reports.map((r) => scoreReport(kb, r, resolve, entities));
  const merges = wrongMerges(kb, reports, resolve, entities);
  for (const result of results) {
    const own = merges.filter((m) => m.sources.includes(result.slug));
    result.score.wrongMerges = own.length;
    result.notes.push(...own.map((m) => `wrong merge: ${m.note}`));
  }
  // A merge spans several reports: the total counts it once.
  return { reports: results, wrongMerges: merges.length };
}

function scoreReport(
  kb: KnowledgeBase,
  report: CorpusReport,
  resolve: (name: string) => string[],
  entities: ReadonlyMap<string, Entity>,
): ReportScore {
  const { slug, expected } = report;
  const raw = report.article.raw;
  const folded = foldForMatch(raw);
  const s: Score = { ...EMPTY_SCORE };
  const notes: string[] = [];
  const source = kb.sources.find((x) => x.id === slug);
  if (!source) return { slug, score: s, notes: ['not in the knowledge base'] };
  const locate = (text: string): Span[] => locateAll(raw, text, folded);
  // A furniture line is a line of the page (or its start): "Reuters" is not every "Reuters".
  const locateLine = (text: string): Span[] =>
    locate(text).filter((span) => /(^|\n)[^\S\n]*$/u.test(raw.slice(Math.max(0, span.start - 200), span.start)));
  const inBody = (span: Span): boolean => source.body.some((p) => overlap(p, span) > 0);
  const own = <T extends { citations: Citation[] }>(items: readonly T[]): Array<{ item: T; span: Span }> =>
    items.flatMap((item) => item.citations.filter((c) => c.sourceId === slug).map((c) => ({ item, span: spanOf(c) })));

  // Quotes.
  const quotes = own(kb.quotes);
  const matchedQuotes = new Set<Quote>();
  // Each quote the pipeline found answers the expected quote it covers best (by overlap over
  // union): a quote nested in a longer one is not matched by the longer one.
  // A long quote may be written as its first 80+ characters: it runs to its closing mark.
  const locateQuote = (text: string): Span[] =>
    locate(text).map((span) => {
      if (foldText(text).length < 80) return span;
      const close = /["”»]/u.exec(raw.slice(span.end, span.end + 2000));
      return close ? { start: span.start, end: span.end + close.index } : span;
    });
  const expectedSpans = expected.quotes.map((q) => locateQuote(q.text));
  const fit = (a: Span, b: Span): number => overlap(a, b) / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
  const bestFor = new Map(
    quotes.map((x) => {
      let best = -1;
      let score = 0;
      expectedSpans.forEach((spans, i) => {
        for (const span of spans) if (fit(span, x.span) > score) [best, score] = [i, fit(span, x.span)];
      });
      return [x, best] as const;
    }),
  );
  for (const [qi, q] of expected.quotes.entries()) {
    const spans = expectedSpans[qi] ?? [];
    s.quotes++;
    if (spans.length === 0) {
      s.unlocated++;
      notes.push(`quote not found in the text: “${short(q.text)}”`);
      continue;
    }
    if (!spans.some(inBody)) s.reportDropped++;
    const hits = quotes.filter((x) => bestFor.get(x) === qi && spans.some((span) => overlapsMostly(span, x.span)));
    hits.forEach((h) => matchedQuotes.add(h.item));
    if (hits.length === 0) {
      s.quotesMissed++;
      notes.push(`quote missed: “${short(q.text)}” (${q.speaker ?? 'no speaker'})`);
      continue;
    }
    const verdicts = hits.map((h) => speakerVerdict(q.speaker, givenSpeaker(h.item, entities), resolve));
    const verdict: Verdict = verdicts.includes('wrong') ? 'wrong' : verdicts.includes('none') ? 'none' : 'right';
    if (verdict === 'right') s.quotesRight++;
    else if (verdict === 'wrong') s.quotesWrong++;
    else s.quotesNoSpeaker++;
    if (verdict !== 'right') {
      const given = hits.map((h) => givenSpeaker(h.item, entities)?.names[0] ?? 'no speaker').join(' / ');
      notes.push(`quote ${verdict === 'wrong' ? 'WRONG speaker' : 'without speaker'}: “${short(q.text)}” expected ${q.speaker ?? 'none'}, got ${given}`);
    }
    if (hits.some((h) => h.item.partial !== q.partial)) {
      s.partialWrong++;
      notes.push(`quote partial should be ${q.partial}: “${short(q.text, 50)}”`);
    }
  }
  // A quote the report repeats (headline and body) is listed once: its copies are not invented.
  const listed = expected.quotes.map((q) => foldText(q.text));
  for (const { item, span } of quotes) {
    if (matchedQuotes.has(item)) continue;
    const text = foldText(raw.slice(span.start, span.end));
    if (listed.some((l) => l.length > 0 && (l.includes(text) || text.includes(l)))) continue;
    s.quotesInvented++;
    notes.push(`quote invented: “${short(text)}”`);
  }

  // Furniture.
  const cited = [...own(kb.facts.filter((f) => f.rank === 'body')), ...own(kb.quotes), ...own(kb.events), ...own(kb.claims)].map((x) => x.span);
  const captions = own(kb.facts.filter((f) => f.rank === 'caption')).map((x) => x.span);
  for (const line of expected.furniture) {
    const spans = locateLine(line);
    s.furniture++;
    if (spans.length === 0) {
      s.unlocated++;
      notes.push(`furniture not found in the text: ${short(line)}`);
      continue;
    }
    if (spans.some(inBody)) {
      s.furnitureKept++;
      const asFact = spans.some((span) => cited.some((c) => overlap(c, span) > 0));
      const asCaption = !asFact && spans.some((span) => captions.some((c) => overlap(c, span) > 0));
      if (asFact) s.furnitureAsFact++;
      if (asCaption) s.furnitureAsCaption++;
      notes.push(`furniture kept${asFact ? ' AS A FACT' : asCaption ? ' as a photo caption' : ''}: ${short(line)}`);
    }
  }

  // Events and their dates.
  const events = own(kb.events);
  for (const e of expected.events) {
    const spans = locate(e.text);
    if (spans.length === 0) {
      s.unlocated++;
      notes.push(`event not found in the text: ${short(e.text)}`);
      continue;
    }
    if (!spans.some(inBody)) s.reportDropped++;
    const hits = events.filter((x) => spans.some((span) => overlap(span, x.span) > 0));
    const range = e.date === null ? undefined : expectedRange(e.date, e.precision);
    if (e.date !== null) s.events++;
    if (e.date === null) {
      // Undated in the report: a date the pipeline puts on it is wrong unless another dated
      // expectation in the same sentence explains that event.
      const others = expected.events.filter((o) => o !== e && o.date !== null && locate(o.text).some((sp) => hits.some((h) => overlap(sp, h.span) > 0)));
      if (hits.length > 0 && others.length === 0) {
        s.eventDatesWrong++;
        notes.push(`event dated though the report gives no date: ${short(e.text)} → ${hits.map((h) => h.item.date.start).join(', ')}`);
      }
      continue;
    }
    if (!range) {
      s.unlocated++;
      notes.push(`event date not readable: ${e.date}`);
      continue;
    }
    if (hits.length === 0) {
      s.eventsMissed++;
      notes.push(`event missed: ${short(e.text)} (${e.date})`);
    } else if (hits.some((h) => dateFits(h.item.date, range))) {
      s.eventDatesRight++;
    } else {
      s.eventDatesWrong++;
      notes.push(`event date WRONG: ${short(e.text)} expected ${e.date}, got ${hits.map((h) => `${h.item.date.start}…${h.item.date.end}`).join(', ')}`);
    }
  }

  // Claims found (as a claim or counter-claim of this source).
  const claimSpans = kb.claims.flatMap((c) => [...c.citations, ...c.counterClaims.flatMap((cc) => cc.citations)]).filter((c) => c.sourceId === slug).map(spanOf);
  for (const c of expected.claims) {
    const spans = locate(c.text);
    s.claims++;
    if (spans.length === 0) {
      s.unlocated++;
      notes.push(`claim not found in the text: ${short(c.text)}`);
      continue;
    }
    if (!spans.some(inBody)) s.reportDropped++;
    if (spans.some((span) => claimSpans.some((x) => overlap(x, span) > 0))) s.claimsFound++;
    else notes.push(`claim missed: ${short(c.text)} (${c.claimant ?? 'no claimant'})`);
  }

  // Entity links: expected names the registry knows, linked in this report.
  const mentioned = new Set(kb.entities.filter((e) => e.mentions.some((m) => m.sourceId === slug)).map((e) => e.id));
  const names = [...expected.people, ...expected.places, ...expected.organisations];
  const provisional = kb.entities.filter((e) => e.provisional && mentioned.has(e.id));
  const candidates = kb.candidates.filter((c) => c.citations.some((x) => x.sourceId === slug));
  for (const name of names) {
    const ids = resolve(name);
    if (ids.length > 0) {
      s.links++;
      if (ids.some((id) => mentioned.has(id))) s.linksRight++;
      else notes.push(`not linked: ${name}`);
    } else {
      s.newNames++;
      const found =
        provisional.some((e) => [e.label, ...e.aliases].some((n) => sameName(name, n))) ||
        candidates.some((c) => [c.name, ...(c.variants ?? [])].some((n) => sameName(name, n)));
      if (found) s.newNamesFound++;
      else notes.push(`new name not offered: ${name}`);
    }
  }
  // Wrong links: a mention inside a furniture line, or inside a longer name that is another
  // entity (or none the registry knows).
  const furnitureSpans = expected.furniture.flatMap(locateLine);
  for (const e of kb.entities) {
    if (e.provisional) continue;
    for (const m of e.mentions.filter((x) => x.sourceId === slug)) {
      if (furnitureSpans.some((f) => overlap(f, m) > 0)) {
        s.linksWrong++;
        notes.push(`link WRONG (furniture): "${m.text}" → ${e.id}`);
        continue;
      }
      const around = enclosingName(raw, m);
      if (foldText(around) === foldText(m.text)) continue;
      const meant = names.find((n) => foldText(n) === foldText(around));
      if (meant === undefined) continue;
      const ids = resolve(meant);
      if (!ids.includes(e.id)) {
        s.linksWrong++;
        notes.push(`link WRONG: "${m.text}" in "${around}" → ${e.id}`);
      }
    }
  }

  // Name candidates of this report: useful when they name someone or something expected.
  for (const c of candidates) {
    if (names.some((n) => [c.name, ...(c.variants ?? [])].some((v) => sameName(n, v)))) s.candidatesUseful++;
    else {
      s.candidatesNoise++;
      notes.push(`candidate noise: ${c.name}`);
    }
  }
  return { slug, score: s, notes };
}

interface Merge {
  sources: string[];
  note: string;
}

/**
 * Claims and events whose citations span two different expected statements: two entries of
 * one report, claimants who are not the same party, a denial of another claim, or dates that
 * cannot be the same happening.
 */
function wrongMerges(
  kb: KnowledgeBase,
  reports: readonly CorpusReport[],
  resolve: (name: string) => string[],
  entities: ReadonlyMap<string, Entity>,
): Merge[] {
  const bySlug = new Map(reports.map((r) => [r.slug, r]));
  const foldedBySlug = new Map(reports.map((r) => [r.slug, foldForMatch(r.article.raw)]));
  const spansOf = (slug: string, text: string): Span[] => {
    const r = bySlug.get(slug);
    return r ? locateAll(r.article.raw, text, foldedBySlug.get(slug)) : [];
  };
  const merges: Merge[] = [];

  const claimOf = (c: Citation): ExpectedClaim | undefined =>
    bySlug.get(c.sourceId)?.expected.claims.find((x) => spansOf(c.sourceId, x.text).some((sp) => overlap(sp, c) > 0));
  const deniedOf = (c: Citation): ExpectedClaim | undefined =>
    bySlug.get(c.sourceId)?.expected.claims.find((x) => x.denial && spansOf(c.sourceId, x.denial).some((sp) => overlap(sp, c) > 0));

  for (const claim of kb.claims as Claim[]) {
    const matched = claim.citations.flatMap((c) => {
      const x = claimOf(c);
      return x ? [{ sourceId: c.sourceId, x }] : [];
    });
    const problem = (() => {
      for (const [i, a] of matched.entries()) {
        for (const b of matched.slice(i + 1)) {
          if (a.sourceId === b.sourceId && a.x !== b.x) return `two claims of ${a.sourceId}: “${short(a.x.text, 40)}” + “${short(b.x.text, 40)}”`;
          if (!sameParty(a.x.claimant, b.x.claimant, resolve, entities)) return `claimants ${a.x.claimant} and ${b.x.claimant}: “${short(a.x.text, 40)}” + “${short(b.x.text, 40)}”`;
        }
      }
      for (const cc of claim.counterClaims) {
        for (const c of cc.citations) {
          const denied = deniedOf(c);
          if (!denied) continue;
          const mine = matched.find((m) => m.sourceId === c.sourceId);
          if (mine && mine.x !== denied) return `denial of “${short(denied.text, 40)}” attached to “${short(mine.x.text, 40)}”`;
          if (!mine && matched.length > 0 && !matched.some((m) => sameParty(m.x.claimant, denied.claimant, resolve, entities))) {
            return `denial of ${denied.claimant}'s claim attached to ${matched[0]?.x.claimant}'s`;
          }
        }
      }
      return undefined;
    })();
    if (problem) merges.push({ sources: [...new Set([...claim.citations, ...claim.counterClaims.flatMap((c) => c.citations)].map((c) => c.sourceId))], note: `claim ${problem}` });
  }

  for (const event of kb.events as StoryEvent[]) {
    const matched = event.citations.flatMap((c) => {
      // Of the expected events in the cited words, the one whose date the event has (a
      // sentence may report two happenings).
      const inCitation = (bySlug.get(c.sourceId)?.expected.events ?? [])
        .filter((e) => spansOf(c.sourceId, e.text).some((sp) => overlap(sp, c) > 0))
        .map((x) => ({ x, range: x.date === null ? null : (expectedRange(x.date, x.precision) ?? null) }));
      const best = inCitation.find((e) => e.range !== null && dateFits(event.date, e.range)) ?? inCitation[0];
      return best ? [{ sourceId: c.sourceId, ...best }] : [];
    });
    let problem: string | undefined;
    for (const [i, a] of matched.entries()) {
      for (const b of matched.slice(i + 1)) {
        const datesApart = (ra: DayRange | null, rb: DayRange | null): boolean => (ra === null) !== (rb === null) || (ra !== null && rb !== null && !rangesMeet(ra, rb));
        if ((a.sourceId === b.sourceId && a.x !== b.x && datesApart(a.range, b.range)) || (a.sourceId !== b.sourceId && datesApart(a.range, b.range))) {
          problem ??= `event “${short(a.x.text, 40)}” (${a.x.date}) + “${short(b.x.text, 40)}” (${b.x.date})`;
        }
      }
    }
    if (problem) merges.push({ sources: [...new Set(event.citations.map((c) => c.sourceId))], note: problem });
  }
  return merges;
}
