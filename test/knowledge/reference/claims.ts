// The whole-story version of src/knowledge/claims.ts from before it kept state between builds:
// the reference build's own copy (test/knowledge/reference-build.ts). Not product code.
/**
 * The claims stage: what a party asserts that others dispute or nobody could verify.
 *
 * Found by general patterns, never by the seed sentences' wording:
 * - an attribution ("X said/says/announced/tweeted that …", "X claiming …", "… who says he is
 *   …", "reports of …") whose statement tells a happening or a state of affairs (surrounded,
 *   took, massing, holding strong, "he is the legitimate president") — not an intention
 *   ("wants to negotiate", "would not bow"), which is a quote, not a claim;
 * - a denial ("X deny/dismissed …") is the counter-claim of the claim it best matches;
 * - the sources' own verdict: "impossible to independently verify", "difficult to confirm"
 *   (unverified, for every claim of that article), "unconfirmed reports" (unconfirmed, for
 *   that claim); a claim with a counter-claim is disputed.
 * The same claim told by two outlets is one claim with both citations.
 */
import { addDays, datesOverlap } from '../../../src/knowledge/analysis-calendar.js';
import { contentWords, citationOf, mentionsBySource, mentionsWithin, overlap, shortHash } from '../../../src/knowledge/analysis-text.js';
import { tidyWhitespace } from '../../../src/knowledge/text.js';
import { findDates, toDateRef } from '../../../src/knowledge/dates.js';
import { eventKinds, mainKind } from '../../../src/knowledge/events.js';
import type { Citation, Claim, DateRef, Entity, EntityId, Source, VerificationStatus } from '../../../src/knowledge/model.js';
import type { AnalysisInput, Mention, Sentence } from '../../../src/knowledge/sentence.js';

/** Words with which a source says it could not verify what it reports. */
export const UNVERIFIED_WORDING =
  /\b(?:(?:impossible|difficult|hard|unable|not possible)\s+to\s+(?:be\s+)?(?:independently\s+)?(?:verify|confirm)|(?:could|can)\s*not\s+(?:be\s+)?(?:independently\s+)?(?:verified|confirmed|verify|confirm)|(?:has|have|had)\s+not\s+been\s+(?:independently\s+)?(?:verified|confirmed)|no\s+independent\s+(?:confirmation|verification))\b/iu;
/** A report the source itself calls unconfirmed. */
export const UNCONFIRMED_WORDING = /\bunconfirmed\b/iu;
/** A report the source says was confirmed independently. */
export const CONFIRMED_WORDING = /\b(?:independently\s+(?:verified|confirmed)|(?:verified|confirmed)\s+by\s+(?:independent|several|multiple))\b/iu;

/**
 * The words of a sentence that give its verification status, e.g. "impossible to
 * independently verify", or `undefined` when it gives none.
 */
export function verificationWording(text: string): { status: VerificationStatus; words: string } | undefined {
  const unverified = UNVERIFIED_WORDING.exec(text);
  if (unverified) return { status: 'unverified', words: unverified[0] };
  const unconfirmed = UNCONFIRMED_WORDING.exec(text);
  if (unconfirmed) return { status: 'unconfirmed', words: unconfirmed[0] };
  const confirmed = CONFIRMED_WORDING.exec(text);
  if (confirmed) return { status: 'confirmed', words: confirmed[0] };
  return undefined;
}

const ATTRIBUTION = /\b(says|said|claim(?:s|ed|ing)?|announc(?:ed|es)|tweeted|saying|reports?|reported|told)\b/giu;
const DENIAL = /\b(deny|denies|denied|dismiss(?:ed|es)?|reject(?:ed|s)?|refut(?:ed|es)|disput(?:ed|es))\b/iu;
/** Where a statement or a claimant phrase ends. */
const CLAUSE_END = /,\s+(?:with|and|but|while|whereas)\s+|\s+but\s+|;\s+|,\s+(?=\S+\s+(?:said|says|tweeted|added)\b)|[.!?](?:\s|$)/u;
/** Statements that tell a plan or a wish are quotes, not claims. */
const INTENTION = /^(?:(?:it|he|she|they|we|the group)\s+)?(?:wants?|hopes?|would|will|prefers?|is trying|are trying|ready|is ready|are ready|(?:is|are|were|was) looking to|seeks?|plans?|intends?)\b/iu;
/** A party's description of its own standing ("he is the country's legitimate interim president"). */
const SELF_STATUS = /^(?:he|she|they|it|we)\s+(?:is|are|was|were)\b.*\b(?:president|leader|legitimate|head|government|ruler)\b/iu;
/** States of affairs a party may claim, beyond the event kinds ("holding strong", "pushed back"). */
const STATE_OF_AFFAIRS = /\b(?:holding (?:strong|out|firm)|held out|pushed back|stationed|positioned|in control|besieged|surrounded|advanc\w*|massing)\b/iu;
const CLAIM_KINDS = new Set(['surround', 'capture', 'move', 'clash', 'kill', 'conquer', 'control', 'collapse']);

/** A claim or counter-claim as found in one sentence, before matching across sentences. */
interface Assertion {
  sentence: Sentence;
  claimant: string;
  claimantEntity?: EntityId;
  statement: string;
  kinds: Set<string>;
  /** The main kind of happening the statement tells (see {@link mainKind}). */
  main: string | undefined;
  /** The attribution verb ("claiming", "announced"). */
  verb: string;
  words: Set<string>;
  entities: Set<EntityId>;
  date?: DateRef;
  /**
   * When the assertion was made, as far as the report tells: the sentence's date, else the week
   * up to publication (an undated report tells recent news, like an undated event sentence).
   */
  when: DateRef;
  /** The sentence's own verdict ("Unconfirmed reports of clashes"). */
  ownVerdict?: VerificationStatus;
}

function claimWorthy(statement: string, verb: string): boolean {
  if (statement.length < 8 || INTENTION.test(statement)) return false;
  // "reports of/about …" are a claim of whatever they report.
  if (/^reports?$/iu.test(verb) && contentWords(statement).size >= 3) return true;
  if (/^claim/iu.test(verb) || SELF_STATUS.test(statement) || STATE_OF_AFFAIRS.test(statement)) return true;
  return eventKinds(statement).some((k) => CLAIM_KINDS.has(k));
}

/** Trim a claimant phrase to its noun phrase: no leading adverbials, no trailing auxiliaries. */
function claimantPhrase(text: string, keepAppositive = false): string {
  let t = text.replace(/[“”"]+|(?<!\p{L})[‘’]|[‘’](?!\p{L})/gu, ' ').trim();
  const lastBreak = keepAppositive
    ? Math.max(t.lastIndexOf(': '), t.lastIndexOf('; '))
    : Math.max(t.lastIndexOf(', '), t.lastIndexOf(': '), t.lastIndexOf('; '));
  if (lastBreak >= 0 && t.length - lastBreak > 3) t = t.slice(lastBreak + 2);
  t = t
    // A dateline glued to the first sentence ("KABUL –The Taliban") is not the claimant's name.
    .replace(/^\p{Lu}[\p{Lu}\s/,]*\s*[–—-]\s*/u, '')
    .replace(/^(?:despite [^,]*,\s*|also\s+|with\s+|and\s+|but\s+|while\s+)+/iu, '')
    .replace(/\s+(?:had|has|have|was|were|is|are|also|then|now|who)$/iu, '')
    // "The Taliban on Tuesday rejected …": the day is when, not who.
    .replace(/\s+(?:on\s+|last\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|earlier|later)$/iu, '');
  return tidyWhitespace(t);
}

/** The statement after an attribution verb, up to the end of its clause; `that` dropped. */
function statementAfter(text: string, from: number, relativeClause = false): [number, number] {
  let start = from;
  const rest = text.slice(start);
  const that = /^[^,.“"]{0,40}?\bthat\s+/iu.exec(rest);
  if (that) start += that[0].length;
  else start += rest.length - rest.trimStart().length;
  // "X, who says he is …, fled": a relative clause ends at its comma.
  const end = (relativeClause ? /,\s|[.!?](?:\s|$)/u : CLAUSE_END).exec(text.slice(start));
  return [start, end ? start + end.index : text.length];
}

/** An assertion from its parts: entities of the claimant and statement spans, date, own verdict. */
function assertion(
  sentence: Sentence,
  source: Source,
  mentions: Mention[],
  types: EntityTypes,
  claimant: { text: string; start: number; end: number },
  statement: string,
  [from, to]: [number, number],
  verb: string,
): Assertion {
  const inClaimant = mentionsWithin(mentions, sentence.sourceId, sentence.start + claimant.start, sentence.start + claimant.end);
  const inStatement = mentionsWithin(mentions, sentence.sourceId, sentence.start + from, sentence.start + to);
  const claimantMention = partyMention(inClaimant, types, sentence);
  const kinds = eventKinds(statement).filter((k) => k !== 'say');
  const date = findDates(sentence.text, source.published)[0];
  return {
    sentence,
    when: date ? toDateRef(date) : recentWeek(source),
    claimant: claimant.text,
    ...(claimantMention ? { claimantEntity: claimantMention.entityId } : {}),
    statement,
    kinds: new Set(kinds),
    main: mainKind(kinds),
    verb,
    words: contentWords(statement),
    entities: new Set([...inClaimant, ...inStatement].map((x) => x.entityId)),
    ...(date ? { date: toDateRef(date) } : {}),
    ...(UNCONFIRMED_WORDING.test(`${claimant.text} ${statement}`) ? { ownVerdict: 'unconfirmed' as const } : {}),
  };
}

/** How long an undated report's news is taken to be recent (the events stage reads it alike). */
const RECENT_DAYS = 7;

/** The week up to a source's publication: when an undated sentence of it was said. */
function recentWeek(source: Source): DateRef {
  return { text: '', precision: 'span', start: addDays(source.published, -RECENT_DAYS), end: source.published };
}

/** What follows the noun "reports" when they tell something: "of", "that", "have emerged that", "suggest". */
const REPORTS_SAY = /^\s+(?:of|about|that|(?:have\s+|had\s+)?(?:emerged|surfaced|circulated|suggest(?:ed)?|say|said|indicate[ds]?)(?:\s+that)?)\b/iu;
/** A possessor right before "claims": "the rebels' claims", "the Taliban's claim". */
const POSSESSOR = /((?:\b(?:the|a|an)\s+)?(?:\p{Lu}[\p{L}-]*\s+){0,2}[\p{L}-]+(?:['’]s|s['’]))\s*$/u;

/** Attributions of one sentence: who asserts what, with the spans of both. */
function assertionsIn(sentence: Sentence, source: Source, mentions: Mention[], types: EntityTypes): Assertion[] {
  const text = sentence.text;
  const found: Assertion[] = [];
  let coveredUntil = 0;
  let lastClaimant: { text: string; start: number; end: number } | undefined;
  const attributions = [...text.matchAll(ATTRIBUTION)];
  // "Heavy fighting broke out on Friday, according to residents": the main clause is the statement.
  const according = /,?\s+according to\s+([^,.;]+)/iu.exec(text);
  for (const m of according ? [according, ...attributions] : attributions) {
    if (m === according) {
      const from = m.index + m[0].length - (m[1] ?? '').length;
      const claimant = { text: claimantPhrase(m[1] ?? ''), start: from, end: from + (m[1] ?? '').length };
      const statement = tidyWhitespace(text.slice(0, m.index));
      if (claimant.text && claimWorthy(statement, 'according to')) {
        found.push(assertion(sentence, source, mentions, types, claimant, statement, [0, m.index], 'according to'));
      }
      continue;
    }
    if (m.index < coveredUntil) continue;
    const verb = m[1] ?? '';
    const afterVerb = m.index + m[0].length;
    let claimant: { text: string; start: number; end: number } | undefined;
    let statementSpan: [number, number];
    const before = text.slice(0, m.index);
    const reportNoun = /^reports?$/iu.test(verb) ? REPORTS_SAY.exec(text.slice(afterVerb)) : null;
    const possessor = /^claims?$/iu.test(verb) ? POSSESSOR.exec(before) : null;
    if (reportNoun) {
      // The noun: "scattered reports of clashes overnight", "reports have emerged that …".
      const phraseStart = before.search(/(?:\b\w+\s+)?$/u);
      claimant = { text: tidyWhitespace(text.slice(phraseStart, afterVerb)), start: phraseStart, end: afterVerb };
      statementSpan = statementAfter(text, afterVerb + reportNoun[0].length);
    } else if (possessor && /^\s+(?:of|that|to)\b/iu.test(text.slice(afterVerb))) {
      // "the rebels' claims that …": the claims are the possessor's, not the sentence subject's.
      const start = possessor.index;
      const owner = (possessor[1] ?? '').replace(/['’]s?$/u, '');
      claimant = { text: tidyWhitespace(owner), start, end: start + owner.length };
      statementSpan = statementAfter(text, afterVerb + (/^\s+(?:of|to)\b/iu.exec(text.slice(afterVerb))?.[0].length ?? 0));
    } else if (/^(?:saying|claiming)$/iu.test(verb) && /,\s*$/u.test(before) && lastClaimant) {
      // "…, spokesman X tweeted, saying they had the area surrounded": the same speaker goes on.
      claimant = lastClaimant;
      statementSpan = statementAfter(text, afterVerb);
    } else if (/[”"]\s*,?\s*$/u.test(before) || /^\s*[,.]/u.test(text.slice(afterVerb))) {
      // "“Our fighters are positioned near Panjshir,” said X" or "“…”, X tweeted": the quote is the statement.
      const quote = /[“"]([^”"]+)[”"]/u.exec(text);
      if (!quote) continue;
      const speakerEnd = text.slice(afterVerb).search(/[.,;]|$/u) + afterVerb;
      const inverted = text.slice(afterVerb, speakerEnd).trim().length > 0;
      const speakerFrom = quote.index + quote[0].length;
      claimant = inverted
        ? { text: claimantPhrase(text.slice(afterVerb, speakerEnd)), start: afterVerb, end: speakerEnd }
        : { text: claimantPhrase(text.slice(speakerFrom, m.index)), start: speakerFrom, end: m.index };
      statementSpan = [quote.index + 1, quote.index + 1 + (quote[1] ?? '').length];
    } else {
      // "Amrullah Saleh, the Afghan first vice president who says …": the appositive belongs to him.
      // "Zabihullah Mujahid, the Taliban spokesman, said …": the appositive too.
      const relative = /who\s+$/iu.test(before);
      const appositive = relative || /,\s*$/u.test(before);
      // "the Front, led by A and B, said": the participle describes the Front and names no claimant.
      const subject = before
        .replace(/,?\s*who\s+$/iu, '')
        .replace(/,\s*$/u, '')
        .replace(/,\s+(?:led|headed|backed|supported|founded|run|commanded)\s+by\s+[^,]*$/iu, '');
      const phrase = claimantPhrase(subject.split(/,\s+(?:with|and)\s+|:\s+|\s+and\s+(?=[A-Z])/u).at(-1) ?? subject, appositive);
      const at = subject.lastIndexOf(phrase.split(' ')[0] ?? '');
      claimant = { text: phrase, start: Math.max(0, at), end: subject.length };
      statementSpan = statementAfter(text, afterVerb, relative);
    }
    if (!claimant || claimant.text.length === 0) continue;
    lastClaimant = claimant;
    // "…, as well as having regained control of three districts": two claims.
    const parts = splitStatement(text, statementSpan);
    for (const [from, to] of parts) {
      const statement = tidyWhitespace(text.slice(from, to)).replace(/[,;:]$/u, '');
      if (!claimWorthy(statement, verb)) continue;
      found.push(assertion(sentence, source, mentions, types, claimant, statement, [from, to], verb));
      // A statement that is no claim leaves its words to the attributions inside it
      // ("said on Monday, adding they were investigating reports about …").
      coveredUntil = Math.max(coveredUntil, statementSpan[1]);
    }
  }
  return found;
}

function splitStatement(text: string, [start, end]: [number, number]): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let from = start;
  for (const m of text.slice(start, end).matchAll(/,?\s+as well as\s+/gu)) {
    parts.push([from, start + m.index]);
    from = start + m.index + m[0].length;
  }
  parts.push([from, end]);
  return parts;
}

/** A denial as a counter-claim: who denies, and the denial from its verb to the sentence end. */
function denialIn(sentence: Sentence, source: Source, mentions: Mention[], types: EntityTypes): Assertion | undefined {
  const text = sentence.text;
  const m = DENIAL.exec(text);
  const opening = m ? null : DENIAL_OPENING.exec(text);
  if (!m && !opening) return undefined;
  // "Dismissing reports that …, the source said: …": the denier is the main clause's subject.
  let claimantSpan: [number, number];
  let deniedFrom: number;
  if (m) {
    claimantSpan = [0, m.index];
    deniedFrom = m.index;
  } else {
    const comma = text.indexOf(', ', opening!.index);
    if (comma < 0) return undefined;
    const verb = /\s(?:said|says|told|added|stated|insisted|tweeted)\b/u.exec(text.slice(comma));
    claimantSpan = [comma + 2, comma + (verb?.index ?? text.length - comma)];
    deniedFrom = 0;
  }
  const claimant = claimantPhrase(text.slice(...claimantSpan));
  if (!claimant) return undefined;
  const statement = tidyWhitespace(text.slice(deniedFrom, m ? undefined : claimantSpan[0])).replace(/[.…,]+$/u, '');
  const claimantStart = text.lastIndexOf(claimant.split(' ')[0] ?? '', claimantSpan[1]);
  const claimantMention = partyMention(mentionsWithin(mentions, sentence.sourceId, sentence.start + Math.max(0, claimantStart), sentence.start + claimantSpan[1]), types, sentence);
  // What is denied is the clause right after the verb; "…, saying …" gives the denier's own version.
  const denied = statement.split(/,\s+(?:saying|claiming|adding)\b/u)[0] ?? statement;
  const kinds = eventKinds(denied).filter((k) => k !== 'say');
  const date = findDates(text, source.published)[0];
  return {
    sentence,
    when: date ? toDateRef(date) : recentWeek(source),
    claimant,
    ...(claimantMention ? { claimantEntity: claimantMention.entityId } : {}),
    statement,
    kinds: new Set(kinds),
    main: mainKind(kinds),
    verb: (m ?? opening)![1] ?? '',
    words: contentWords(denied),
    entities: new Set(mentionsWithin(mentions, sentence.sourceId, sentence.start, sentence.end).map((x) => x.entityId)),
  };
}

/** A denial that opens its sentence as a participle: "Dismissing reports that …, X said". */
const DENIAL_OPENING = /^\W*(denying|dismissing|rejecting|refuting|disputing)\b/iu;

/**
 * The claim a denial names in its own words ("refuted reports claiming he has fled", "dismissing
 * reports that the leaders died in combat"): what is denied is those reports, said by nobody
 * named. Returned as an assertion of the reports, or `undefined` when the denial names none.
 */
function deniedReport(denial: Assertion): Assertion | undefined {
  const m = NAMED_REPORT.exec(denial.statement);
  if (!m) return undefined;
  const statement = tidyWhitespace(denial.statement.slice(m.index + m[0].length).split(/,\s+(?:saying|claiming|adding|the|a|an|\p{Lu})/u)[0] ?? '');
  if (statement.length < 8) return undefined;
  const kinds = eventKinds(statement).filter((k) => k !== 'say');
  return {
    sentence: denial.sentence,
    when: denial.when,
    claimant: tidyWhitespace(m[1] ?? 'reports'),
    statement,
    kinds: new Set(kinds),
    main: mainKind(kinds),
    verb: 'reports',
    words: contentWords(statement),
    entities: denial.entities,
  };
}

/** "reports that …", "reports claiming …", "rumours of …": the denied claim of nobody named. */
const NAMED_REPORT = /(?<!(?:['’]s?|\b(?:earlier|previous|such|these|those))\s+)\b((?:media\s+)?(?:reports?|rumou?rs?|allegations?|claims?))\s+(?:that|of|claiming|saying|suggesting|alleging)\s+/iu;

/** "such claims", "these reports", "the allegations": a denial of what its report has just told. */
const BACK_REFERENCE = /\b(?:such|these|those|the|this|that)\s+(?:claims?|reports?|allegations?|rumou?rs?|accusations?)\b(?!\s+(?:that|of|by|about|claiming))/iu;

type EntityTypes = Map<EntityId, Entity['type']>;
/** Entities linked as one party: a spokesman speaks for his movement, a leader for his group. */
type Parties = Map<EntityId, Set<EntityId>>;

/**
 * The mention that names a party: a person or organisation (a place never claims), and not
 * one that only qualifies the claimant ("pro-Taliban accounts" are not the Taliban, "Twitter accounts" not Twitter).
 */
function partyMention(span: Mention[], types: EntityTypes, sentence: Sentence): Mention | undefined {
  return span.find((m) => {
    const before = sentence.text.slice(Math.max(0, m.start - sentence.start - 5), m.start - sentence.start);
    const after = sentence.text.slice(m.end - sentence.start, m.end - sentence.start + 12);
    const lead = sentence.text.slice(0, m.start - sentence.start).split(/[,;:]/u).at(-1) ?? '';
    return (
      types.get(m.entityId) !== 'place' &&
      !/\b(?:pro|anti)[-‐]$/iu.test(before) &&
      // "Forces putting up a resistance against the Taliban" are not the Taliban.
      !OPPOSED.test(lead) &&
      !/^\s*(?:accounts?|users?|posts?|channels?|pages?)\b/iu.test(after)
    );
  });
}

/** Words after which a name is who the claimant opposes, not the claimant. */
const OPPOSED = /\b(?:against|versus|opposed to|opposing|fighting|resisting)\b/iu;

function partiesOf(entities: Entity[]): Parties {
  const parties: Parties = new Map();
  const join = (a: EntityId, b: EntityId): void => {
    parties.set(a, (parties.get(a) ?? new Set([a])).add(b));
    parties.set(b, (parties.get(b) ?? new Set([b])).add(a));
  };
  for (const e of entities) {
    for (const link of e.links) if (['spokesman-for', 'member-of', 'leads'].includes(link.relation)) join(e.id, link.target);
  }
  return parties;
}

/** Whether two claimants are the same party: one entity, linked entities, or mostly the same words. */
function sameParty(a: Assertion, b: Assertion, parties: Parties): boolean {
  // "Reports of clashes" name no party: they agree with whoever reports the same.
  if (ANONYMOUS.test(a.claimant) || ANONYMOUS.test(b.claimant)) return true;
  if (a.claimantEntity && b.claimantEntity) {
    return a.claimantEntity === b.claimantEntity || (parties.get(a.claimantEntity)?.has(b.claimantEntity) ?? false);
  }
  // By their words, most of both must agree: "volunteers fighting the Taliban" are not "the Taliban".
  return sharedOfLarger(claimantWords(a), claimantWords(b)) >= 0.5;
}

/**
 * Per-assertion word sets the pairwise judgements read, worked out once per assertion (an
 * assertion is never changed once made) rather than once per pair compared.
 */
const memo = new WeakMap<Assertion, { claimantWords?: Set<string>; claimantNames?: Set<string>; statementNames?: Set<string> }>();
function memoOf(a: Assertion): { claimantWords?: Set<string>; claimantNames?: Set<string>; statementNames?: Set<string> } {
  return memo.get(a) ?? memo.set(a, {}).get(a)!;
}
function claimantWords(a: Assertion): Set<string> {
  const m = memoOf(a);
  return (m.claimantWords ??= contentWords(a.claimant));
}
function claimantNames(a: Assertion): Set<string> {
  const m = memoOf(a);
  return (m.claimantNames ??= namesIn(` ${a.claimant}`));
}
function statementNames(a: Assertion): Set<string> {
  const m = memoOf(a);
  return (m.statementNames ??= namesIn(a.statement));
}

const ANONYMOUS = /^(?:\p{L}+\s+)?reports?$/iu;

/** The names a statement mentions (capitalised words past its first), folded. */
function namesIn(statement: string): Set<string> {
  return new Set([...statement.matchAll(/(?<=\s)\p{Lu}[\p{Ll}'’-]+/gu)].map((m) => m[0].toLowerCase().replace(/['’]s$/u, '')));
}

/**
 * Two statements of one party are one proposition only if they are about the same place or
 * person: "captured the centre of Shutul district" and "took Khinj district" are two claims.
 */
function sameProposition(a: Assertion, b: Assertion): boolean {
  const party = new Set([...claimantNames(a), ...claimantNames(b)]);
  const na = [...statementNames(a)].filter((n) => !party.has(n));
  const nb = [...statementNames(b)].filter((n) => !party.has(n));
  if (na.length === 0 || nb.length === 0) return true;
  // Each naming a place or person the other does not ("the centre of Shutul district" against
  // "the Afghan province of Panjshir") tells of two different things.
  const onlyA = na.some((n) => !nb.includes(n));
  const onlyB = nb.some((n) => !na.includes(n));
  return na.some((n) => nb.includes(n)) && !(onlyA && onlyB);
}

/** How well two assertions say the same thing (0 = not the same): one party, one happening, shared words. */
function sameAssertion(a: Assertion, b: Assertion, parties: Parties): number {
  if (a.main !== b.main || !sameParty(a, b, parties)) return 0;
  // Two statements that tell no happening are the same only in nearly the same words.
  const threshold = a.main === undefined ? 0.6 : 0.3;
  // Said at times that cannot meet, it is a new claim, however alike the words.
  if (!datesOverlap(a.when, b.when)) return 0;
  if (!sameProposition(a, b)) return 0;
  // With no happening to compare, the shorter statement's words are not enough: most of both must agree.
  const score = a.main === undefined ? sharedOfLarger(a.words, b.words) : overlap(a.words, b.words);
  return score >= threshold ? score : 0;
}

/** Shared words over the larger set's size. */
function sharedOfLarger(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.max(a.size, b.size);
}

/** Kinds a denial may answer for one another: "the valley had not fallen" answers "captured the valley". */
const KIND_FAMILY: Record<string, string> = { capture: 'control', collapse: 'control', conquer: 'control', control: 'control', surround: 'control' };

/** How well a denial answers a claim (0 = it does not): it denies the happening the claim tells. */
function answers(denial: Assertion, claim: Assertion, parties: Parties, nearest: Sentence | undefined): number {
  // Nobody denies their own claim.
  if (denial.claimant.toLowerCase() === claim.claimant.toLowerCase()) return 0;
  if (denial.claimantEntity && claim.claimantEntity && sameParty(denial, claim, parties)) return 0;
  const sameReport = claim.sentence.sourceId === denial.sentence.sourceId;
  const before = sameReport && claim.sentence.start < denial.sentence.start;
  // "denied such claims": the claim its report has just told, whatever its words.
  const pointsBack = claim.sentence === nearest && BACK_REFERENCE.test(denial.statement);
  const denialOfClaims = /\bclaims?\b/iu.test(denial.statement) && /^claim/iu.test(claim.verb);
  const family = denial.main === undefined ? undefined : KIND_FAMILY[denial.main] ?? denial.main;
  const kindMatch = family !== undefined && [...claim.kinds].some((k) => (KIND_FAMILY[k] ?? k) === family);
  if (!kindMatch && !denialOfClaims && !pointsBack) return 0;
  // Across reports the word "claims" alone says nothing of which claim: the happening must match.
  if (!sameReport && !kindMatch) return 0;
  // Another report's claim is answered only if it was made by the time of the denial: a
  // denial of this week does not answer a claim of last month.
  if (!sameReport && !datesOverlap(denial.when, claim.when)) return 0;
  // A denial answers what its own report tells, the nearest claim before it first.
  const nearness = before ? 0.2 / (1 + (denial.sentence.start - claim.sentence.start) / 1000) : 0;
  return (sameReport ? 1 : 0) + (pointsBack ? 1 : 0) + (kindMatch ? 1 : 0) + (denialOfClaims ? 0.5 : 0) + overlap(denial.words, claim.words) + nearness;
}

interface ClaimDraft {
  main: Assertion;
  tellings: Assertion[];
  counters: Array<{ main: Assertion; tellings: Assertion[] }>;
}

/**
 * Contested or unverifiable claims of the story, in reading order, each with its counter-claims
 * and the verification status its sources give.
 *
 * @example
 * const claims = extractClaims({ sources, sentences, mentions, entities, facts: [], quotes: [] });
 * claims[0]; // { claimant: { text: 'The Taliban', entityId: 'taliban' }, statement: 'it has encircled the Panjshir Valley…',
 *            //   verification: { status: 'unverified', citations: [...] }, … }
 */
export function extractClaims(input: AnalysisInput): Claim[] {
  const sources = new Map<string, Source>(input.sources.map((s) => [s.id, s]));
  const mentions = mentionsBySource(input.mentions);
  const drafts: ClaimDraft[] = [];
  const denials: Assertion[] = [];
  const verdicts = new Map<string, Sentence[]>();
  const types: EntityTypes = new Map(input.entities.map((e) => [e.id, e.type]));
  const parties = partiesOf(input.entities);
  /** Drafts by the main happening of their claim as first told, in the order they were made. */
  const byMain = new Map<string | undefined, ClaimDraft[]>();

  for (const sentence of input.sentences) {
    const source = sources.get(sentence.sourceId);
    if (!source || sentence.caption) continue;
    const found = readSentence(sentence, source, mentions.get(sentence.sourceId) ?? [], types);
    if (found.verdict) {
      verdicts.set(sentence.sourceId, [...(verdicts.get(sentence.sourceId) ?? []), sentence]);
      continue;
    }
    if (found.denial) {
      denials.push(found.denial);
      continue;
    }
    for (const assertion of found.assertions) {
      // Compared with the claim as first told, not with its other tellings: a chain of
      // look-alikes ("took three districts" ~ "took districts" ~ "took the province") would
      // otherwise join statements that do not say the same thing.
      // Only a draft whose claim tells the same main happening can be the same (sameAssertion).
      const same = (byMain.get(assertion.main) ?? []).find((d) => sameAssertion(d.main, assertion, parties) > 0);
      if (same) same.tellings.push(assertion);
      else {
        const draft = { main: assertion, tellings: [assertion], counters: [] };
        drafts.push(draft);
        (byMain.get(assertion.main) ?? byMain.set(assertion.main, []).get(assertion.main)!).push(draft);
      }
    }
  }

  const index = new ClaimIndex();
  for (const draft of drafts) index.add(draft);

  for (const denial of denials) {
    // A denial that names what it denies ("refuted reports claiming he has fled") holds its claim.
    const named = deniedReport(denial);
    if (named) {
      const draft = { main: named, tellings: [named], counters: [{ main: denial, tellings: [denial] }] };
      drafts.push(draft);
      index.add(draft);
      continue;
    }
    let best: ClaimDraft | undefined;
    let bestScore = 0;
    // The claim its report told last before it: what "such claims" points back to (the first
    // told, in the order of the drafts, when two share a sentence).
    let nearest: Sentence | undefined;
    for (const draft of index.ofSource(denial.sentence.sourceId)) {
      for (const { sentence: s } of draft.tellings) {
        if (s.sourceId === denial.sentence.sourceId && s.start < denial.sentence.start && (!nearest || s.start > nearest.start)) nearest = s;
      }
    }
    // Only a claim of the denial's own report or one telling a happening of the denied kind can
    // be answered (see answers); every other telling scores 0, so only these are scored, the
    // drafts in the order they were made.
    const family = denial.main === undefined ? undefined : KIND_FAMILY[denial.main] ?? denial.main;
    for (const draft of index.candidates(denial.sentence.sourceId, family)) {
      let score = 0;
      for (const t of index.answerable(draft, denial.sentence.sourceId, family)) score = Math.max(score, answers(denial, t, parties, nearest));
      if (score > bestScore) [best, bestScore] = [draft, score];
    }
    if (!best) continue;
    // One counter-claim per party saying the same thing.
    const sameCounter = best.counters.find((c) => c.tellings.some((t) => sameParty(t, denial, parties) && overlap(t.words, denial.words) >= 0.25));
    if (sameCounter) sameCounter.tellings.push(denial);
    else best.counters.push({ main: denial, tellings: [denial] });
  }

  return drafts.map((d) => toClaim(d, verdicts));
}

/** What one sentence gives the claims stage, before it is matched with other sentences. */
interface SentenceClaims {
  /** The sentence gives its report's verdict ("impossible to independently verify"). */
  verdict: boolean;
  denial?: Assertion;
  assertions: Assertion[];
}

/**
 * Readings kept per sentence between builds (the per-article results stay in memory, so an
 * added article re-reads only its own sentences). A sentence reads the same while its text, its
 * report's publication day, the entity mentions inside it (by identity) and those entities'
 * types are the same; otherwise it is read again.
 */
const readings = new WeakMap<Sentence, { published: string; mentions: Mention[]; types: Array<Entity['type'] | undefined>; found: SentenceClaims }>();

function readSentence(sentence: Sentence, source: Source, sourceMentions: readonly Mention[], types: EntityTypes): SentenceClaims {
  // Every span the readers look at lies inside the sentence: only these mentions matter.
  const own = mentionsWithin(sourceMentions, sentence.sourceId, sentence.start, Math.max(sentence.end, sentence.start + sentence.text.length));
  const ownTypes = own.map((m) => types.get(m.entityId));
  const kept = readings.get(sentence);
  if (
    kept &&
    kept.published === source.published &&
    kept.mentions.length === own.length &&
    kept.mentions.every((m, i) => m === own[i] && kept.types[i] === ownTypes[i])
  ) {
    return kept.found;
  }
  const found = freshClaims(sentence, source, own, types);
  readings.set(sentence, { published: source.published, mentions: own, types: ownTypes, found });
  return found;
}

function freshClaims(sentence: Sentence, source: Source, own: Mention[], types: EntityTypes): SentenceClaims {
  if (UNVERIFIED_WORDING.test(sentence.text) || CONFIRMED_WORDING.test(sentence.text)) return { verdict: true, assertions: [] };
  const denial = denialIn(sentence, source, own, types);
  if (denial) return { verdict: false, denial, assertions: [] };
  return { verdict: false, assertions: assertionsIn(sentence, source, own, types) };
}

/**
 * Claim drafts by the reports that tell them and by the kind families of their happenings, in
 * the order the drafts were made, so a denial is scored only against claims it can answer.
 */
class ClaimIndex {
  private readonly order = new Map<ClaimDraft, number>();
  private readonly bySource = new Map<string, ClaimDraft[]>();
  private readonly byFamily = new Map<string, ClaimDraft[]>();
  private readonly tellingsBySource = new Map<ClaimDraft, Map<string, Assertion[]>>();
  private readonly tellingsByFamily = new Map<ClaimDraft, Map<string, Assertion[]>>();

  /** Index a draft and its tellings (drafts are added in the order they were made). */
  add(draft: ClaimDraft): void {
    this.order.set(draft, this.order.size);
    const sources = new Map<string, Assertion[]>();
    const families = new Map<string, Assertion[]>();
    for (const t of draft.tellings) {
      (sources.get(t.sentence.sourceId) ?? sources.set(t.sentence.sourceId, []).get(t.sentence.sourceId)!).push(t);
      for (const f of new Set([...t.kinds].map((k) => KIND_FAMILY[k] ?? k))) (families.get(f) ?? families.set(f, []).get(f)!).push(t);
    }
    this.tellingsBySource.set(draft, sources);
    this.tellingsByFamily.set(draft, families);
    for (const id of sources.keys()) (this.bySource.get(id) ?? this.bySource.set(id, []).get(id)!).push(draft);
    for (const f of families.keys()) (this.byFamily.get(f) ?? this.byFamily.set(f, []).get(f)!).push(draft);
  }

  /** Drafts with a telling from this report, oldest first. */
  ofSource(sourceId: string): readonly ClaimDraft[] {
    return this.bySource.get(sourceId) ?? [];
  }

  /** Drafts told by this report or telling a happening of this kind family, oldest first. */
  candidates(sourceId: string, family: string | undefined): ClaimDraft[] {
    const a = this.ofSource(sourceId);
    const b = family === undefined ? [] : this.byFamily.get(family) ?? [];
    const merged: ClaimDraft[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const x = a[i];
      const y = b[j];
      if (x && (!y || this.order.get(x)! <= this.order.get(y)!)) {
        merged.push(x);
        i++;
        if (x === y) j++;
      } else {
        merged.push(y!);
        j++;
      }
    }
    return merged;
  }

  /** The draft's tellings from this report or of this kind family. */
  answerable(draft: ClaimDraft, sourceId: string, family: string | undefined): Assertion[] {
    const own = this.tellingsBySource.get(draft)?.get(sourceId) ?? [];
    const kin = family === undefined ? [] : this.tellingsByFamily.get(draft)?.get(family) ?? [];
    return [...own, ...kin];
  }
}

function uniqueCitations(assertions: Assertion[]): Citation[] {
  const citations: Citation[] = [];
  for (const a of assertions) {
    if (!citations.some((c) => c.sourceId === a.sentence.sourceId && c.start === a.sentence.start)) citations.push(citationOf(a.sentence));
  }
  return citations;
}

function claimantOf(a: Assertion): Claim['claimant'] {
  return { text: a.claimant, ...(a.claimantEntity ? { entityId: a.claimantEntity } : {}) };
}

function toClaim(draft: ClaimDraft, verdicts: Map<string, Sentence[]>): Claim {
  const citations = uniqueCitations(draft.tellings);
  const counterClaims = draft.counters.map((c) => ({
    claimant: claimantOf(c.main),
    statement: c.main.statement,
    citations: uniqueCitations(c.tellings),
  }));
  // The sentence's own word ("Unconfirmed reports") outranks a dispute, which outranks the
  // article-wide caveat ("claims from either side were impossible to verify").
  const ownVerdicts = draft.tellings.filter((t) => t.ownVerdict);
  const sourceIds = new Set(citations.map((c) => c.sourceId));
  const articleVerdicts = [...sourceIds].flatMap((id) => verdicts.get(id) ?? []).map(citationOf);
  let status: VerificationStatus = 'unverified';
  let verdictCitations: Citation[] = articleVerdicts;
  const confirmed = articleVerdicts.some((c) => verificationWording(c.text)?.status === 'confirmed');
  if (ownVerdicts.length > 0) {
    status = ownVerdicts[0]!.ownVerdict!;
    verdictCitations = [...uniqueCitations(ownVerdicts), ...articleVerdicts];
  } else if (counterClaims.length > 0) {
    status = 'disputed';
  } else if (confirmed) {
    status = 'confirmed';
  }
  const entities = new Set<EntityId>();
  for (const t of draft.tellings) for (const e of t.entities) entities.add(e);
  const date = draft.tellings.find((t) => t.date)?.date;
  return {
    id: `claim-${shortHash(`${draft.main.sentence.sourceId}|${draft.main.sentence.start}|${draft.main.statement}`)}`,
    claimant: claimantOf(draft.main),
    statement: draft.main.statement,
    citations,
    counterClaims,
    verification: { status, citations: verdictCitations },
    entities: [...entities],
    // A copy: the knowledge base holds it, the assertion is kept between builds.
    ...(date ? { date: { ...date } } : {}),
  };
}
