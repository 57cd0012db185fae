/**
 * Quotes and speakers. Every passage between quotation marks is found (“ ” " " ‘ ’ ' ' « »,
 * telling apostrophes such as Massoud’s or don’t apart) and classified:
 *
 * - `title`: the name of a work ("the American newspaper “The Washington Post”");
 * - `term`: a nickname, a term or a translation in scare quotes ("which means “Five Lions”");
 * - `speech`: words someone said, wrote or tweeted. Only these become {@link Quote}s.
 *
 * The speaker comes from the attribution around the quote ("…," said X; "…," X said; X said
 * "…"; X said that … "…"; according to X), from a pronoun ("he added" → the last named speaker),
 * from a spokesman's organisation (via the registry's `spokesman-for` link, when exactly one
 * person has it), or from the previous quote when a quote continues without attribution. When
 * no speaker can be found with confidence the quote is kept with `speakerId: null`.
 */
import { mentionsWithin } from './analysis-text.js';
import { blockQuoteOf, FIRST_PERSON } from './blocks.js';
import { findMentions, type MentionableEntity } from './mentions.js';
import type { Citation, EntityId, EntityType, LinkRelation, Quote, QuoteMode, Source } from './model.js';
import type { Mention, Sentence } from './sentence.js';
import { samePersonName } from './provisional.js';
import { fold, tidyWhitespace } from './text.js';

/** What attribution needs to know of an entity. */
export interface SpeakerEntity {
  id: EntityId;
  type: EntityType;
  /** The names it goes by, when known: a block quote's credit line is matched against them. */
  label?: string;
  aliases?: string[];
  role?: string;
  links: Array<{ relation: LinkRelation; target: EntityId }>;
}

export type PassageKind = 'speech' | 'title' | 'term';

/** A passage between quotation marks, as a span of the raw text (marks excluded). */
export interface QuotedPassage {
  sourceId: string;
  /** Offsets of the quoted words (trimmed, a trailing comma left out) in the raw text. */
  start: number;
  end: number;
  text: string;
  /** Offsets of the opening and closing marks within the sentence text. */
  open: number;
  close: number;
  kind: PassageKind;
}

/** A quote before ids and dates are attached by the build. */
export interface QuoteDraft extends Omit<Quote, 'id' | 'date'> {
  sourceId: string;
  /** The sentence the quote is in. */
  sentence: Sentence;
  /** Sentences whose date is the quote's date, in order of preference (attribution first). */
  dateSentences: Sentence[];
}

// ── Finding quoted passages ───────────────────────────────────────────────────────────

const DOUBLE_PAIRS: Record<string, string> = { '“': '”', '«': '»', '„': '“' };

interface RawPassage {
  open: number;
  close: number;
}

/** Finds the top-level quoted passages of a text (positions of the marks within it). */
export function findQuoteMarks(text: string): RawPassage[] {
  const passages: RawPassage[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const closer = DOUBLE_PAIRS[ch] ?? (ch === '"' ? '"' : undefined);
    if (closer !== undefined) {
      const close = text.indexOf(closer, i + 1);
      // „…“ and „…” are both German; “…" (a typographic opening closed by a straight mark)
      // is a slip of the keyboard common on news sites.
      const alt = ch === '„' ? text.indexOf('”', i + 1) : ch === '“' && close === -1 ? text.indexOf('"', i + 1) : -1;
      const end = close === -1 ? alt : alt === -1 ? close : Math.min(close, alt);
      if (end > i + 1) {
        passages.push({ open: i, close: end });
        i = end;
      }
      continue;
    }
    if (ch === '‘' || ch === "'") {
      // An opening single quote follows a space or bracket and precedes a letter; "Massoud’s"
      // and "don't" have a letter before the mark, so they are apostrophes.
      const before = text[i - 1];
      if (before !== undefined && !/[\s([“"—–-]/u.test(before)) continue;
      if (!/[\p{L}\p{N}]/u.test(text[i + 1] ?? '')) continue;
      for (let j = i + 2; j < text.length; j++) {
        const c = text[j];
        if (c !== '’' && c !== "'") continue;
        if (/[\p{L}]/u.test(text[j + 1] ?? '')) continue; // an apostrophe inside the quote
        if (/\s/u.test(text[j - 1] ?? '')) continue;
        passages.push({ open: i, close: j });
        i = j;
        break;
      }
    }
  }
  return passages;
}

/** Paired quotation marks and an unpaired one's passage, in order. */
export function allQuoteMarks(text: string): RawPassage[] {
  return [...findQuoteMarks(text), ...unclosedMarks(text)].sort((a, b) => a.open - b.open);
}

/**
 * A double quotation mark left unpaired in a sentence: a quotation that runs on past the
 * sentence (over several sentences or paragraphs, or cut off by the scraper), or the end of
 * one that began before it. Returned as a passage to the sentence's end or from its start.
 */
function unclosedMarks(text: string): RawPassage[] {
  const paired = findQuoteMarks(text);
  const inPaired = (i: number): boolean => paired.some((p) => i >= p.open && i <= p.close);
  const lone = [...text.matchAll(/["“”«»]/gu)].map((m) => m.index).filter((i) => !inPaired(i));
  if (lone.length !== 1) return [];
  const at = lone[0] ?? 0;
  const ch = text[at] ?? '';
  const opens = ch === '“' || ch === '«' || (ch === '"' && /^\p{L}/u.test(text[at + 1] ?? '') && !/\p{L}/u.test(text[at - 1] ?? ''));
  if (opens && /\p{L}/u.test(text.slice(at + 1)) && !paired.some((p) => p.open > at)) {
    // Sentence punctuation at the end stays outside the passage.
    let end = text.length;
    while (end > at + 1 && /[\s.,;:!?]/u.test(text[end - 1] ?? '')) end--;
    return end - at > 3 ? [{ open: at, close: end }] : [];
  }
  if (!opens && at > 3 && !paired.some((p) => p.close < at)) return [{ open: -1, close: at }];
  return [];
}

// ── Classifying ───────────────────────────────────────────────────────────────────────

const TITLE_BEFORE =
  /\b(newspaper|magazine|journal|daily|weekly|paper|book|novel|film|movie|documentary|series|programme|program|show|song|album|titled|entitled|headlined|column|op-ed|article)\s*$/iu;
const TERM_BEFORE =
  /\b(nickname|nicknamed|known as|called|dubbed|means|meaning|so-called|term|word|words|slogan|translated as|translates as|literally|label|labelled|labeled|branded)(\s+(the|a|an))?\s*$/iu;
const TERM_AFTER = /^\s*[,)]?\s*(in free translation|in translation|literally|as (it|he|she|they) (is|are|was|were) known)\b/iu;

const VERBS =
  'said|says|say|saying|added|adds|adding|telling|called on|calls on|called for|calls for|described|describes|describing|termed|terms|denouncing|denounced|condemned|told|tells|tweeted|tweets|tweeting|wrote|writes|writing|stated|states|announced|announces|declared|declares|insisted|warned|warns|claimed|claims|claiming|appealed|urged|stressed|explained|noted|replied|vowed|posted|asked|continued|pledged|pledges|promised|promises|vows|exclaimed|exclaims|highlighted|highlights|pointed out|warning|calling for|calling on|urging|stressing|according to';
/** Words that report speech; group 1 is the verb as written. */
const REPORTING_VERB = new RegExp(`(?<![-\\p{L}])(${VERBS})\\b`, 'giu');
const IS_REPORTING_VERB = new RegExp(`^(${VERBS})$`, 'iu');

function hasReportingVerb(text: string): boolean {
  REPORTING_VERB.lastIndex = 0;
  return REPORTING_VERB.test(text);
}

/** The sentence with every quoted passage blanked out (so verbs inside quotes do not count). */
function outsideQuotes(text: string, marks: readonly RawPassage[]): string {
  let out = text;
  for (const m of marks) {
    const open = Math.max(0, m.open);
    out = out.slice(0, open) + ' '.repeat(Math.min(m.close + 1, out.length) - open) + out.slice(m.close + 1);
  }
  return out;
}

/**
 * Classifies each quoted passage of a sentence as speech, a title or a term, and returns
 * them with raw offsets.
 */
export function quotedPassages(sentence: Sentence): QuotedPassage[] {
  const marks = allQuoteMarks(sentence.text);
  const outside = outsideQuotes(sentence.text, marks);
  const reported = hasReportingVerb(outside);
  return marks.map((mark, i) => {
    const before = sentence.text.slice(0, Math.max(0, mark.open));
    const after = sentence.text.slice(mark.close + 1);
    const inner = sentence.text.slice(mark.open + 1, mark.close);
    const lead = inner.length - inner.trimStart().length;
    const trimmed = inner.trim().replace(/,$/u, '').trimEnd();
    const previous = marks[i - 1];
    const translationOfPrevious = previous !== undefined && /^\s*\(\s*$/u.test(sentence.text.slice(previous.close + 1, mark.open));
    let kind: PassageKind;
    if (TITLE_BEFORE.test(before)) kind = 'title';
    else if (TERM_BEFORE.test(before) || TERM_AFTER.test(after) || translationOfPrevious) kind = 'term';
    // "the 'caretaker' President": words in quotes used as a modifier are a term, not speech.
    else if (/(?:\b(?:the|a|an|his|her|its|their|our)|\p{L}['’]s)\s*$/iu.test(before) && /^\s*\p{L}/u.test(after) && !/^\s*(against|for|in|on|at|to|of|from|with|and|or|but|that|which|as|by|is|was|were|are|has|had|will|would|if|when|amid)\b/iu.test(after) && trimmed.split(/\s+/u).length <= 3) kind = 'term';
    // Scare quotes mark a word or a short phrase; a quoted clause of five words or more is
    // borrowed wording, someone's words, as are words in the first person.
    else if (reported || isFullSentence(trimmed, before) || FIRST_PERSON.test(trimmed) || (/^\p{Ll}/u.test(trimmed) && trimmed.split(/\s+/u).length >= 5)) kind = 'speech';
    else kind = 'term';
    const start = sentence.start + mark.open + 1 + lead;
    return {
      sourceId: sentence.sourceId,
      start,
      end: start + trimmed.length,
      text: trimmed,
      open: mark.open,
      close: mark.close,
      kind,
    };
  });
}

/** A quote that stands as a sentence of its own: capitalised, at the start or after a colon. */
function isFullSentence(text: string, before: string): boolean {
  return /^\p{Lu}/u.test(text) && text.split(/\s+/u).length >= 3 && /(^|[:.]\s*)$/u.test(before.trim());
}

/** A quote is partial when it is a fragment woven into the reporter's own sentence. */
function isPartial(p: QuotedPassage, sentence: Sentence): boolean {
  // A list bullet or dash before the quote is no word of the reporter's ("• “We will …”").
  const before = sentence.text.slice(0, Math.max(0, p.open)).replace(/^[^\p{L}\p{N}]+$/u, '').trimEnd();
  // "[Taliban] forces assumed …": an editor's bracket opens the quoted sentence.
  if (!/^[[(]?\p{Lu}/u.test(p.text)) return true;
  // He asked “Afghanistan’s friends” to intercede: the reporter's sentence runs on through the quote.
  const after = sentence.text.slice(p.close + 1);
  if (!/[.,;:!?…]$/u.test(p.text) && /^\s+(?:to|in|on|at|for|with|and|or|as|that|from|by|of|if|when|will|would|could|should|was|were|is|are|has|had|have)\b/u.test(after)) return true;
  // After a colon, a comma or a dash (a dateline: "KABUL (Reuters) - “…”") the quote stands whole.
  if (before === '' || /[:,\-–—]$/u.test(before)) return false;
  const lastWord = /(\S+)$/u.exec(before)?.[1] ?? '';
  return !IS_REPORTING_VERB.test(lastWord);
}

// ── Attribution ───────────────────────────────────────────────────────────────────────

interface Attribution {
  speakerId: EntityId | null;
  speakerText?: string;
  mode: QuoteMode;
  context?: string;
}

const PRONOUN = /^(he|she)$/iu;
const SPOKESMAN_FOR = /\bspokes(?:man|woman|person)\s+(?:for|of)\s+(.+)$/iu;
const ORG_SPOKESMAN = /^(?:a|an|the)?\s*(.+?)\s+spokes(?:man|woman|person)$/iu;

function modeOf(verb: string, sentenceText: string): QuoteMode {
  if (/\binterview\b/iu.test(sentenceText)) return 'interview';
  if (/^tweet/iu.test(verb) || /\bon twitter\b/iu.test(sentenceText)) return 'tweeted';
  if (/^(wrote|writes|writing|posted)$/iu.test(verb)) return 'wrote';
  if (/^(announced|announces|declared|declares|stated|states)$/iu.test(verb) || /\bstatement\b/iu.test(sentenceText)) {
    return 'statement';
  }
  return 'said';
}

const CONTEXT_PATTERNS = [
  /\b[Ii]n an? (?:interview|statement|video|message|speech|post|press conference|televised address)(?: (?:with|to|on|posted on|broadcast by) [^,.;:]+)?/u,
  /\btold (?:the )?\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*(?: news agency)?/u,
  /\bon (?:Twitter|Facebook|Telegram|X|social media|television|state television)\b/u,
  /\b(?:quoted|cited) by (?:the )?\p{Lu}[^,.;:]*?(?= as\b|[,.;:]|$)/u,
];

/** "in an interview with Reuters news agency", "told AFP", "on Twitter": how it reached the outlet. */
export function contextOf(text: string): string | undefined {
  for (const pattern of CONTEXT_PATTERNS) {
    const m = pattern.exec(text);
    if (m) return m[0].replace(/^In/u, 'in').trim();
  }
  return undefined;
}

/** Who a pronoun refers to: the last speaker named, or the subject of a later sentence. */
interface Named {
  speakerId: EntityId | null;
  speakerText: string;
}

interface Resolver {
  entities: ReadonlyMap<EntityId, SpeakerEntity>;
  /** The person last named in the current source (for "he added", "she said"). */
  lastNamed: Named | undefined;
  /** True when the last sentence named two or more people: "the spokesman" is then doubtful. */
  doubtful?: boolean;
  /** The organisation last named (for "the group said"). */
  lastOrganisation?: Named;
  /** The plural speakers last described ("resistance sources") for "they said". */
  lastGroup?: string;
  /** The source last introduced ("a National Resistance Front source") for "the source said". */
  lastSource?: string;
  /** The organisation whose sources the report last cited ("sources from the National Resistance Front"). */
  sourcesOf?: string;
  /**
   * True when a sentence since the person last named was about an organisation or a place
   * ("Pakistan denied involvement."): "he", "the spokesman" are then doubtful.
   */
  subjectChanged?: boolean;
  /** True when the last sentence's subject was two people ("X and Y met"): "he" is then doubtful. */
  pairedSubject?: boolean;
  /** The speaker of the last quote: the one the report is following. */
  currentSpeaker?: Named;
  /** How each speaker quoted so far was introduced ("X, the head of the Taliban's commission"). */
  described?: ReadonlyArray<{ named: Named; text: string }>;
}

/** The one person whose `spokesman-for` link points at `orgId`, if exactly one. */
function spokesmanOf(orgId: EntityId, r: Resolver): EntityId | null {
  const people = [...r.entities.values()].filter((e) =>
    e.links.some((l) => l.relation === 'spokesman-for' && l.target === orgId),
  );
  return people.length === 1 ? (people[0]?.id ?? null) : null;
}

/**
 * Resolves a noun phrase naming a speaker (a span of the sentence) to an entity: the person
 * or organisation the phrase is headed by, never one that only qualifies another noun
 * ("pro-Taliban Twitter accounts" is neither the Taliban nor Twitter).
 */
function resolveSpeaker(
  sentence: Sentence,
  npStart: number,
  npEnd: number,
  mentions: readonly Mention[],
  r: Resolver,
): Attribution['speakerId'] {
  const np = sentence.text.slice(npStart, npEnd).trim();
  if (PRONOUN.test(np)) return r.pairedSubject || r.subjectChanged ? null : (r.lastNamed?.speakerId ?? null);
  const inNp = mentions.filter(
    (m) => m.start >= sentence.start + npStart && m.end <= sentence.start + npEnd,
  );
  const spokesman = SPOKESMAN_FOR.exec(np) ?? ORG_SPOKESMAN.exec(np);
  if (spokesman) {
    const orgs = inNp.filter((m) => r.entities.get(m.entityId)?.type === 'organisation');
    const named = inNp.find((m) => r.entities.get(m.entityId)?.type === 'person' && isHead(m, sentence, npEnd));
    if (named) return named.entityId;
    const org = orgs[orgs.length - 1];
    return org ? spokesmanOf(org.entityId, r) : null;
  }
  for (const m of [...inNp].reverse()) {
    const type = r.entities.get(m.entityId)?.type;
    if (type === 'place') continue;
    if (isHead(m, sentence, npEnd)) return m.entityId;
  }
  return null;
}

/** Words around a speaker phrase that are not the speaker: adverbs, auxiliaries, a scraper's date label. */
const LEADING_NOISE = /^(?:date \d{4}-\d{2}-\d{2}\s+|(?:earlier|later|meanwhile|also|and|but|then|however|reportedly|separately|previously|now|with|as)\b[,\s]+)/iu;
const TRAILING_NOISE =
  /(?:[,\s]+(?:also|reportedly|further|later|earlier|then|again|once again|too|has|had|have|is|was|were|would|will|himself|herself|themselves)|\s+(?:on|last|this|late|early) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|night|morning|evening)|\s+(?:is|was|were|has been|had been)\s+(?:heard|quoted|cited|seen|reported|shown)(?:\s+by\s+[^,;]+?)?(?:\s+as)?|\s+as)$/iu;
/** After an inverted verb ('posted Muhammadi from his handle'), the phrase ends before a preposition. */
const PHRASE_END = /\s(?:from|on|in|at|via|during|after|before|while|when|to|through|over|with|amid|as)\s/u;

/** Narrows a speaker phrase to the words that name the speaker. */
function trimSpeakerSpan(text: string, start: number, end: number, inverted: boolean): { start: number; end: number } {
  let s = start;
  let e = end;
  const relative = /,\s*(?:who|which|whose)\b/u.exec(text.slice(s, e));
  if (relative) e = s + relative.index;
  for (let m = LEADING_NOISE.exec(text.slice(s, e)); m && m[0].length > 0; m = LEADING_NOISE.exec(text.slice(s, e))) s += m[0].length;
  if (inverted) {
    const cut = PHRASE_END.exec(text.slice(s, e));
    if (cut) e = s + cut.index;
  }
  for (let m = TRAILING_NOISE.exec(text.slice(s, e)); m && m[0].length > 0; m = TRAILING_NOISE.exec(text.slice(s, e))) e -= m[0].length;
  while (e > s && /[\s,;:]/u.test(text[e - 1] ?? '')) e--;
  while (s < e && /[\s,;:]/u.test(text[s] ?? '')) s++;
  return { start: s, end: e };
}

/**
 * "The leader of the resistance movement": a definite description that the role of exactly
 * one registry person fits (the same head noun and another word in common).
 */
function byRole(text: string, r: Resolver): EntityId | null {
  const words = (t: string): string[] => fold(t).split(/[^\p{L}]+/u).filter((w) => w.length > 2 && !['the', 'and', 'for', 'of'].includes(w));
  const described = words(text.replace(/^the\s+/iu, ''));
  const head = described[0];
  if (!head) return null;
  const fits = [...r.entities.values()].filter((e) => {
    const role = e.type === 'person' && e.role ? words(e.role) : [];
    return role[0] === head && described.slice(1).some((w) => role.slice(1).some((x) => x.startsWith(w.slice(0, 6))));
  });
  return fits.length === 1 ? (fits[0]?.id ?? null) : null;
}

/** "the group", "the movement": a definite description of an organisation. */
const ORG_ANAPHOR = /^the (?:group|movement|militants?|insurgents?|organi[sz]ation|militia|front|outfit|islamist group|militant group)$/iu;
/** "the spokesman", "the former minister", "the senior Taliban official": a definite description of a person. */
const PERSON_ANAPHOR = /^the (?:[\p{L}-]+ ){0,3}(?:spokes(?:man|woman|person)|minister|official|commander|leader|president|vice[- ]president|politician|journalist|resident|analyst|diplomat|envoy|general|governor|chief|lawmaker|source|man|woman)$/iu;

/**
 * The attribution a phrase gives: the entity it names, a pronoun or a definite description
 * resolved from the sentences before ("he", "the spokesman", "the group"), or the words as
 * written. An anaphor that cannot be resolved with confidence gives no speaker at all.
 */
function speakerFromPhrase(
  sentence: Sentence,
  start: number,
  end: number,
  mentions: readonly Mention[],
  r: Resolver,
  inverted = false,
): { speakerId: EntityId | null; speakerText?: string } {
  const span = trimSpeakerSpan(sentence.text, start, end, inverted);
  let text = sentence.text.slice(span.start, span.end).trim();
  // "The TV channel also quoted him as saying": the one quoted is the speaker.
  const quoted = /\bquot(?:ed|es|ing)\s+(him|her|them|[^,]+?)(?:\s+as)?$/iu.exec(text);
  if (quoted?.[1]) {
    const at = span.start + (quoted.index + quoted[0].indexOf(quoted[1]));
    return speakerFromPhrase(sentence, at, at + quoted[1].length, mentions, r);
  }
  if (PRONOUN.test(text) || /^(him|her)$/iu.test(text)) {
    // "Saleh and Massoud met on Sunday. “…,” he said": either of them — no guess. Nor after a
    // sentence about something else ("Pakistan denied involvement. “…,” he said").
    if (r.pairedSubject || r.subjectChanged) return { speakerId: null };
    return r.lastNamed ? { speakerId: r.lastNamed.speakerId, speakerText: r.lastNamed.speakerText } : { speakerId: null };
  }
  if (/^they$/iu.test(text)) return r.lastGroup ? { speakerId: null, speakerText: r.lastGroup } : { speakerId: null };
  if (ORG_ANAPHOR.test(text)) {
    const marks = findQuoteMarks(sentence.text);
    const before = mentions.filter(
      (m) => m.end <= sentence.start + span.start && r.entities.get(m.entityId)?.type === 'organisation' && !marks.some((q) => m.start - sentence.start > q.open && m.end - sentence.start <= q.close),
    );
    const here = [...new Set(before.map((m) => m.entityId))];
    if (here.length > 1) return { speakerId: null };
    const org = here.length === 1 ? { speakerId: here[0] ?? null, speakerText: before[0]?.text ?? '' } : r.lastOrganisation;
    return org ? { speakerId: org.speakerId, speakerText: org.speakerText } : { speakerId: null };
  }
  const inSpan = mentions.filter((m) => m.start >= sentence.start + span.start && m.end <= sentence.start + span.end);
  const inPhrase = inSpan.some((m) => r.entities.get(m.entityId)?.type !== 'organisation');
  if (PERSON_ANAPHOR.test(text) && !inPhrase) {
    const head = /(\S+)$/u.exec(text)?.[1]?.toLowerCase() ?? '';
    if (head === 'source') return r.lastSource ? { speakerId: null, speakerText: r.lastSource } : { speakerId: null };
    const orgs = inSpan.filter((m) => r.entities.get(m.entityId)?.type === 'organisation');
    if (orgs.length > 0) return byQualifiedDescription(sentence, span, orgs, mentions, r, text);
    // "the Foreign Office spokesman": capitalised words qualify the description as an
    // organisation does; the person must be one they describe.
    const qualifiers = text.replace(/^the\s+/iu, '').split(/\s+/u).filter((w) => /^\p{Lu}/u.test(w));
    if (qualifiers.length > 0) {
      const phrase = qualifiers.join(' ');
      const fits = (n: Named | undefined): n is Named => n !== undefined && describedBy(n, phrase, r);
      if (r.lastNamed && !r.doubtful && !r.subjectChanged && fits(r.lastNamed)) return { speakerId: r.lastNamed.speakerId, speakerText: r.lastNamed.speakerText };
      if (fits(r.currentSpeaker)) return { speakerId: r.currentSpeaker.speakerId, speakerText: r.currentSpeaker.speakerText };
      return r.lastNamed || r.currentSpeaker ? { speakerId: null } : { speakerId: null, speakerText: tidyWhitespace(text) };
    }
    if (r.lastNamed) return r.doubtful || r.subjectChanged ? { speakerId: null } : { speakerId: r.lastNamed.speakerId, speakerText: r.lastNamed.speakerText };
    // Nobody named before: "the envoy" is an unnamed speaker, known by the description.
    return { speakerId: null, speakerText: tidyWhitespace(text) };
  }
  if (text === '') return { speakerId: null };
  text = tidyWhitespace(text);
  const namesSomeone = mentions.some(
    (m) => m.start >= sentence.start + span.start && m.end <= sentence.start + span.end && r.entities.get(m.entityId)?.type !== 'place',
  );
  if (/^the\s/iu.test(text) && !namesSomeone) {
    const described = byRole(text, r);
    if (described) return { speakerId: described, speakerText: text };
  }
  return { speakerId: resolveSpeaker(sentence, span.start, span.end, mentions, r), speakerText: text };
}

/**
 * "The Taliban spokesman", "the senior Taliban official": a description qualified by an
 * organisation. The registry's spokesman of it, if any; else the person last named or the
 * speaker the report is following, whichever the organisation describes (their links, role or
 * the words that introduced them). Someone else named since, who does not fit, does not make
 * it doubtful; nobody fitting does: then no speaker. With nobody named at all, the description.
 */
function byQualifiedDescription(
  sentence: Sentence,
  span: { start: number; end: number },
  orgs: readonly Mention[],
  mentions: readonly Mention[],
  r: Resolver,
  text: string,
): { speakerId: EntityId | null; speakerText?: string } {
  const registered = resolveSpeaker(sentence, span.start, span.end, mentions, r);
  if (registered && r.entities.get(registered)?.type === 'person') return { speakerId: registered, speakerText: tidyWhitespace(text) };
  const fits = (n: Named | undefined): n is Named => n !== undefined && orgs.every((o) => describes(n, o, r));
  if (r.lastNamed && !r.doubtful && fits(r.lastNamed)) return { speakerId: r.lastNamed.speakerId, speakerText: r.lastNamed.speakerText };
  if (fits(r.currentSpeaker)) return { speakerId: r.currentSpeaker.speakerId, speakerText: r.currentSpeaker.speakerText };
  return r.lastNamed || r.currentSpeaker ? { speakerId: null } : { speakerId: null, speakerText: tidyWhitespace(text) };
}

/** True when an organisation describes a person: a registry link or role, or the words that introduced them. */
function describes(n: Named, org: Mention, r: Resolver): boolean {
  const entity = n.speakerId ? r.entities.get(n.speakerId) : undefined;
  if (entity?.links.some((l) => l.target === org.entityId)) return true;
  return describedBy(n, org.text.replace(/^the\s+/iu, ''), r);
}

/** True when words ("Taliban", "Foreign Office") are in a person's registry role or in the words that introduced them. */
function describedBy(n: Named, words: string, r: Resolver): boolean {
  const entity = n.speakerId ? r.entities.get(n.speakerId) : undefined;
  const name = fold(words);
  const introduced = (r.described ?? [])
    .filter((d) => (n.speakerId !== null && d.named.speakerId === n.speakerId) || (n.speakerId === null && d.named.speakerId === null && samePersonName(d.named.speakerText, n.speakerText)))
    .map((d) => d.text);
  return [entity?.role ?? '', ...introduced].some((t) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}`, 'u').test(fold(t)));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/**
 * The words that introduce a quote's speaker in its sentence: from the name to the reporting
 * verb ("Mullah X, the head of the Taliban's commission, reportedly said" → "Mullah X, the head
 * of the Taliban's commission, reportedly").
 */
function introductionOf(sentence: Sentence, speakerText: string): string {
  const outside = outsideQuotes(sentence.text, allQuoteMarks(sentence.text));
  const at = outside.indexOf(speakerText);
  if (at < 0) return speakerText;
  const rest = outside.slice(at + speakerText.length);
  const verb = verbsIn(rest)[0];
  return speakerText + rest.slice(0, verb ? verb.index : Math.min(rest.length, 160));
}

/** A mention heads the phrase when nothing but an apposition follows it and no "pro-" precedes. */
function isHead(m: Mention, sentence: Sentence, npEnd: number): boolean {
  if (sentence.text[m.start - sentence.start - 1] === '-') return false;
  const rest = sentence.text.slice(m.end - sentence.start, npEnd).trim();
  return rest === '' || /^,/u.test(rest) || /^\([^)]*\)\s*(,|$)/u.test(rest);
}

/** The noun phrase before a verb: the last clause chunk, relative clauses cut off. */
function subjectSpan(text: string, verbAt: number, from: number): { start: number; end: number; relative: boolean } {
  let chunk = text.slice(from, verbAt);
  const relative = /\b(who|which|that)\s*$/iu.test(chunk);
  if (relative) return { start: from, end: from + chunk.replace(/\s*\b(who|which|that)\s*$/iu, '').length, relative };
  // "Saleh, who was one of …, said": the subject is what precedes the relative clause.
  const rel = /^(.*?),\s*(?:who|which)\b[^]*,\s*$/u.exec(chunk);
  if (rel?.[1] !== undefined) chunk = rel[1];
  // "Despite the speech, pro-Taliban accounts": the last comma chunk is the subject. When it
  // is empty or an adverb ("Mullah X, the head of Y, reportedly said"), the subject is the
  // chunk before the appositions and participles ("the head of …", "led by …").
  const pieces: Array<{ start: number; text: string }> = [];
  let at = 0;
  for (const part of chunk.split(/,\s/u)) {
    pieces.push({ start: at, text: part });
    at += part.length + 2;
  }
  let index = pieces.length - 1;
  const noise = (t: string): boolean => /^\s*((reportedly|also|earlier|later|then|further|again|now|once again|too|meanwhile|however|in turn|has|had|have|is|are|was|were|would|will)\s*)*$/iu.test(t);
  if (pieces.length > 1 && noise(pieces[index]?.text ?? '')) {
    while (index > 0 && noise(pieces[index]?.text ?? '')) index--;
    while (index > 0 && /^\s*(?:the|a|an|his|her|its|their|one of|who|which|whose|led|based|known|backed|appointed|named|\p{Ll}+ed|\p{Ll}+ing)\b/u.test(pieces[index]?.text ?? '') && !/^\s*the\s+\p{Lu}/u.test(pieces[index]?.text ?? '')) index--;
  }
  const piece = pieces[index] ?? { start: 0, text: chunk };
  const start = from + piece.start;
  const end = index === pieces.length - 1 ? from + chunk.trimEnd().length : start + piece.text.trimEnd().length;
  return { start, end: Math.max(start, end), relative: false };
}

interface VerbHit {
  index: number;
  verb: string;
}

function verbsIn(text: string): VerbHit[] {
  const hits: VerbHit[] = [];
  REPORTING_VERB.lastIndex = 0;
  for (let m = REPORTING_VERB.exec(text); m; m = REPORTING_VERB.exec(text)) {
    // A capital inside a sentence makes a name of it ("the United States"), not a verb.
    if (/^\p{Lu}/u.test(m[0]) && /[^\s.!?:"“”]\s*$/u.test(text.slice(0, m.index))) continue;
    hits.push({ index: m.index, verb: m[1] ?? m[0] });
  }
  return hits;
}

/** A speaker phrase for a body or for several people ("the ministry", "local residents"): no "he". */
const NOT_ONE_PERSON =
  /\b(?:ministry|office|government|agency|group|front|movement|council|committee|party|forces|army|media|channel|statement|sources|officials|residents|people|accounts|fighters|leaders|elders|villagers|witnesses|they)$/iu;

/** A sentence that opens with a definite description of a person ("The senior Taliban official …"). */
const OPENING_DESCRIPTION =
  /^((?:the)\s+(?:[\p{L}’'-]+\s+){0,3}?(?:spokes(?:man|woman|person)|minister|official|commander|leader|president|politician|envoy|governor|chief|man|woman))\s+\p{Ll}/iu;

/** Those who tell a reporter, in the plural ("local sources", "neighbours", "they"). */
const PLURAL_INFORMANTS =
  /(?:^|\s)(?:sources|officials|residents|witnesses|neighbou?rs|relatives|villagers|locals|people|activists|friends|colleagues|members|elders|they)$/iu;

/** "I", "me", "my": words one person says of themselves. */
const FIRST_PERSON_SINGULAR = /(?<![\p{L}’'])(?:I|I’m|I'm|I’ve|I've|I’d|I'd|me|my|My)(?![\p{L}’'])/u;
const FIRST_PERSON_PLURAL = /(?<![\p{L}’'])(?:we|We|our|Our|us)(?![\p{L}’'])/u;

/**
 * "Local sources said the man would not flee, telling them: “I am just a shop owner.”" The
 * participle could belong to the sources or to the man; words in the first person singular
 * cannot be those of a plural subject, so they are the reported clause's subject's — resolved
 * like any description ("the man" → the man last named), or no one.
 */
function reportedClauseSpeaker(
  sentence: Sentence,
  outside: string,
  earlier: readonly VerbHit[],
  participle: VerbHit,
  p: QuotedPassage,
  mentions: readonly Mention[],
  r: Resolver,
): { speakerId: EntityId | null; speakerText?: string } | undefined {
  const report = earlier[earlier.length - 1];
  const first = earlier[0];
  if (!report || !first || !FIRST_PERSON_SINGULAR.test(p.text) || FIRST_PERSON_PLURAL.test(p.text)) return undefined;
  const main = subjectSpan(outside, first.index, 0);
  if (!PLURAL_INFORMANTS.test(sentence.text.slice(main.start, main.end).trim())) return undefined;
  const from = report.index + report.verb.length;
  const clause = /^\s*(?:that\s+)?((?:the|this|that)\s+(?:[\p{L}-]+\s+){0,2}?[\p{L}-]+|he|she)\s+(?:would|will|could|was|is|had|has|did|does|can|refused|wanted)\b/iu.exec(outside.slice(from, participle.index));
  if (!clause?.[1]) return undefined;
  const start = from + clause[0].indexOf(clause[1]);
  const found = speakerFromPhrase(sentence, start, start + clause[1].length, mentions, r);
  return found.speakerId !== null || (found.speakerText && /\p{Lu}/u.test(found.speakerText)) ? found : undefined;
}

/** Words for people or bodies whose stance a report gives: the head of a party's description. */
const PARTY_HEAD =
  /\b(?:society|government|officials|leaders|leadership|activists|residents|groups?|fighters|forces|commanders|elders|ministry|council|front|movement|party|people|villagers|farmers|sources|authorities|administration|opposition|militants|rebels|protesters|women|men|families|students|clerics|diplomats)$/iu;

/** The subject of a sentence, up to its first finite verb ("Tajik civil society did not want …"). */
const SUBJECT_THEN_VERB =
  /^((?:[\p{L}’'-]+\s+){0,5}?[\p{L}’'-]+)\s+(?:did|does|do|has|have|had|is|are|was|were|will|would|could|should|can|may|might|must|wants|wanted|refuses|refused|demands|demanded|insists|insisted|rejects|rejected|wants)\b/u;

/**
 * Words quoted inside a sentence with no reporting verb ("Civil society did not want him to
 * visit until he “stops meddling in the region”") are those of the party whose stance the
 * sentence reports: its subject, when the subject names someone (a capitalised name or
 * description); otherwise no one.
 */
function subjectsWords(sentence: Sentence, outside: string, mentions: readonly Mention[], r: Resolver): Attribution | undefined {
  const m = SUBJECT_THEN_VERB.exec(outside);
  const subject = m?.[1];
  if (!m || !subject || !/^\p{Lu}/u.test(subject) || PRONOUN.test(subject) || /\s{2}/u.test(m[0])) return undefined;
  // The subject must be a party: someone the registry knows, or a phrase headed by a word for
  // people or a body ("Tajik civil society", "Valley farmers"); "The plan", "Roads" are not.
  const party = mentions.some((x) => x.end <= sentence.start + subject.length && r.entities.get(x.entityId)?.type !== 'place');
  if (!party && !PARTY_HEAD.test(subject)) return undefined;
  const found = speakerFromPhrase(sentence, 0, subject.length, mentions, r);
  if (found.speakerId === null && !(found.speakerText && /^\p{Lu}/u.test(found.speakerText))) return undefined;
  return { ...found, mode: 'said' };
}

/** What is left before a second verb of one subject: "and are", "but also". */
const COORDINATED = /^(?:(?:and|but|or|then|also|are|is|was|were|has|have|had|will|would)\b\s*)+$/iu;
/** "… are warning that the roads are closed and are": a verb phrase ending in "and (are)" before the second verb. */
const COORDINATED_TAIL = /\s(?:and|but)(?:\s+(?:are|is|was|were|has|have|had|will|would|also))*\s*$/iu;

/**
 * Attribution of the speech passages in one sentence. Returns one attribution per passage,
 * or `undefined` for a passage whose sentence carries no attribution at all.
 */
function attributeSentence(
  sentence: Sentence,
  passages: readonly QuotedPassage[],
  mentions: readonly Mention[],
  r: Resolver,
  /** True inside a quotation: only a reporting verb there credits words to someone else. */
  nested = false,
): Array<Attribution | undefined> {
  const marks = allQuoteMarks(sentence.text);
  const outside = outsideQuotes(sentence.text, marks);
  const verbs = verbsIn(outside);
  const context = contextOf(outside);
  const results: Array<Attribution | undefined> = [];
  let previous: Attribution | undefined;

  for (const p of passages) {
    let attribution: Attribution | undefined;
    const verbsBefore = verbs.filter((v) => v.index < p.open);
    const nearest = verbsBefore[verbsBefore.length - 1];
    if (nearest) {
      // Anything named between the previous quote and this verb? ("… and appealed" has not.)
      const prevClose = passages.filter((q) => q.close < nearest.index).pop()?.close ?? -1;
      const from = prevClose === -1 ? 0 : prevClose + 1;
      const np = subjectSpan(outside, nearest.index, from);
      const npText = sentence.text.slice(np.start, np.end).trim();
      const participle = /^(adding|saying|telling)$/iu.test(nearest.verb) && /,\s*$/u.test(outside.slice(0, nearest.index));
      const sameReport = participle && previous !== undefined && !/\b(?:that|would|will|was|were|is|are|had|has|have|could|should)\b/iu.test(outside.slice(from, nearest.index));
      if (sameReport) {
        // "“…,” a commander told Reuters, adding: “…”": the participle goes on with the same report.
        attribution = previous;
      } else if (participle && !/^according to$/iu.test(nearest.verb)) {
        // The participle's subject is the sentence's subject, unless another report precedes it
        // ("Sources said the man would not flee, telling them: …"): then it is doubtful.
        const earlier = verbs.filter(
          (v) => v.index < nearest.index && !/^(adding|saying|telling|called on|calls on|called for|calls for|urged|appealed)$/iu.test(v.verb),
        );
        const subject = earlier.length === 0 ? mentions.filter((m) => r.entities.get(m.entityId)?.type !== 'place')[0] : undefined;
        // The name must open the sentence ("Massoud called for …"), not qualify its subject
        // ("The senior Taliban official blamed …, saying"): that would be a guess.
        const atStart =
          subject &&
          /^\W*(?:(?:but|and|meanwhile|earlier|later|however|also|mr|mrs|ms|dr)\b[,\s]*)*$/iu.test(sentence.text.slice(0, subject.start - sentence.start));
        // A sentence opening with a description ("The senior Taliban official blamed …, saying")
        // is resolved like one: to the person it fits, or to no one.
        const opening = earlier.length === 0 && !(subject && atStart) ? OPENING_DESCRIPTION.exec(sentence.text) : null;
        const described = opening?.[1] ? speakerFromPhrase(sentence, 0, opening[1].length, mentions, r) : undefined;
        const reported = earlier.length > 0 ? reportedClauseSpeaker(sentence, outside, earlier, nearest, p, mentions, r) : undefined;
        attribution = subject && atStart
          ? { speakerId: subject.entityId, speakerText: subject.text, mode: modeOf(nearest.verb, sentence.text), context }
          : { speakerId: null, ...(described ?? reported), mode: modeOf(nearest.verb, sentence.text), context };
      } else if (/^according to$/iu.test(nearest.verb)) {
        const end = nearest.index + nearest.verb.length;
        const target = /^\s*([^,.;:]+)/u.exec(outside.slice(end));
        if (target?.[1]) {
          const s = end + (target[0].length - target[1].length);
          attribution = { ...speakerFromPhrase(sentence, s, s + target[1].trimEnd().length, mentions, r), mode: 'said', context };
        }
      } else if (np.relative) {
        const antecedent = mentions
          .filter((m) => m.end <= sentence.start + np.end && r.entities.get(m.entityId)?.type === 'person')
          .pop();
        attribution = { speakerId: antecedent?.entityId ?? null, speakerText: antecedent?.text, mode: modeOf(nearest.verb, sentence.text), context };
      } else if (npText === '' || /^(and|but|then|also)$/iu.test(npText)) {
        attribution = previous;
      } else if (COORDINATED.test(npText) || (COORDINATED_TAIL.test(npText) && verbs[0] !== nearest)) {
        // "X are warning that … and are calling for a “…”": the second verb shares the first one's subject.
        const first = verbs[0];
        const np0 = first && first.index < nearest.index ? subjectSpan(outside, first.index, 0) : undefined;
        attribution = previous ?? (np0 && !np0.relative ? { ...speakerFromPhrase(sentence, np0.start, np0.end, mentions, r), mode: modeOf(first?.verb ?? '', sentence.text), context } : undefined);
      } else {
        attribution = { ...speakerFromPhrase(sentence, np.start, np.end, mentions, r), mode: modeOf(nearest.verb, sentence.text), context };
      }
    }
    if (!attribution) attribution = attributeAfter(sentence, p, outside, mentions, r, context);
    if (!attribution && previous) attribution = previous;
    if (!attribution && !nested && verbs.length === 0 && isPartial(p, sentence)) attribution = subjectsWords(sentence, outside, mentions, r);
    results.push(attribution);
    if (attribution) previous = attribution;
  }
  return results;
}

/** Attribution after the quote: ', said X' / ', X said' / ', according to X'. */
function attributeAfter(
  sentence: Sentence,
  p: QuotedPassage,
  outside: string,
  mentions: readonly Mention[],
  r: Resolver,
  context: string | undefined,
): Attribution | undefined {
  const from = p.close + 1;
  const tail = outside.slice(from);
  const verbs = verbsIn(tail);
  const first = verbs[0];
  if (!first) return undefined;
  const lead = tail.slice(0, first.index);
  // ', said Zabihullah Mujahid, a Taliban spokesman.' / ', according to X'
  if (/^[\s,.;:–—-]*$/u.test(lead)) {
    const afterVerb = from + first.index + first.verb.length;
    const npMatch = /^\s*([^.;:!?]+?)\s*(?:[.;:!?]|, (?:saying|adding|who)\b|$)/u.exec(outside.slice(afterVerb));
    if (!npMatch?.[1]) return undefined;
    const start = afterVerb + npMatch[0].indexOf(npMatch[1]);
    return { ...speakerFromPhrase(sentence, start, start + npMatch[1].length, mentions, r, !/^according to$/iu.test(first.verb)), mode: modeOf(first.verb, sentence.text), context };
  }
  // ', local media said, quoting Panjshiri politician Abdul': the one quoted is the speaker.
  const quoting = /^[^.;]*?,\s*quoting\s+([^,.;]+)/u.exec(outside.slice(from + first.index + first.verb.length));
  if (quoting?.[1]) {
    const start = from + first.index + first.verb.length + quoting[0].length - quoting[1].length;
    return { ...speakerFromPhrase(sentence, start, start + quoting[1].length, mentions, r), mode: modeOf(first.verb, sentence.text), context };
  }
  // ', spokesman Ali Maisam Nazary said.' / ', he added.' / ', Fahim Dashty, who works with X, was quoted as saying'
  const withoutRelative = lead.replace(/,\s*(?:who|which)\b[^,]*,/u, (m) => ' '.repeat(m.length));
  const np = /^[\s,]*(.*?)\s*$/u.exec(withoutRelative);
  // An initial ("Franklin D. Roosevelt") is no sentence end.
  if (!np?.[1] || np[1].split(/\s+/u).length > 12 || /[.;:!?]/u.test(np[1].replace(/\b(?:\p{Lu}|Mr|Mrs|Ms|Dr|Gen|Maj|Lt|Col)\./gu, ''))) return undefined;
  // "…, the 'caretaker' President of Afghanistan, refuted reports claiming": a clause, not a name.
  if (/,\s+(?!the\b|a\b|an\b)\p{Ll}/u.test(np[1])) return undefined;
  const start = from + withoutRelative.indexOf(np[1]);
  return { ...speakerFromPhrase(sentence, start, start + np[1].length, mentions, r), mode: modeOf(first.verb, sentence.text), context };
}

/** A capitalised name of two or more words that no registry entity matched ("Nasrin Rahimi"). */
const UNKNOWN_FULL_NAME = /\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)+/gu;
const SENTENCE_OPENER = /^(The|A|An|In|On|At|But|And|Also|Despite|Following|Former|After|Before|When|While|His|Her|Their)\s/u;

/**
 * The first person a sentence names (a registry person, or an unknown full name), so that a
 * later "she said" refers to her and not to an earlier speaker.
 */
function sentenceSubject(
  sentence: Sentence,
  mentions: readonly Mention[],
  entities: ReadonlyMap<EntityId, SpeakerEntity>,
): Named | undefined {
  const people = mentions
    .filter((m) => entities.get(m.entityId)?.type === 'person')
    .map((m) => ({ at: m.start - sentence.start, named: { speakerId: m.entityId, speakerText: m.text } as Named }));
  for (const m of sentence.text.matchAll(UNKNOWN_FULL_NAME)) {
    const start = sentence.start + m.index;
    const overlaps = mentions.some((x) => x.start < start + m[0].length && x.end > start);
    // "In Kabul", "The Taliban": a capitalised sentence opener is not a first name.
    if (!overlaps && !SENTENCE_OPENER.test(m[0])) people.push({ at: m.index, named: { speakerId: null, speakerText: m[0] } });
  }
  return people.sort((a, b) => a.at - b.at)[0]?.named;
}

const GROUP_SPEAKERS =
  /\b((?:[\p{L}’'-]+\s){0,3}(?:sources|officials|residents|witnesses|accounts|fighters|leaders|elders|militants|commanders|villagers|diplomats|analysts))\s+(?:said|say|says|told|reported|claimed|added|insisted)\b/giu;
const SOURCE_INTRODUCED = /\b((?:a|an|one)\s+(?:[\p{L}’'-]+\s){0,5}source)\b/giu;
/**
 * An unnamed informant the report introduces as telling it something ("a local journalist told
 * the agency"): a later "the source said" is that informant.
 */
const INFORMANT_INTRODUCED =
  /\b((?:a|an|one)\s+(?:[\p{L}’'-]+\s){0,3}(?:journalist|reporter|resident|official|witness|commander|fighter|diplomat|villager|doctor|activist|elder|lawmaker|politician))\s+(?:told|tells|said|says)\b/giu;
/** "a source", "one source": a source the words do not place. */
const BARE_SOURCE = /^(?:a|an|one)\s+source$/iu;
/** Words before an organisation whose sources the report cites ("sources from the", "sources within"). */
const SOURCES_OF = /\bsources\s+(?:from|in|within|inside|of|close to)\s+(?:the\s+)?$/iu;

/**
 * What a sentence gives later anaphors to refer to: the organisation it names (when only
 * one), speakers it describes in the plural ("resistance sources said"), a source it
 * introduces ("a National Resistance Front source"), and whether it names several people.
 */
function antecedentsIn(sentence: Sentence, allMentions: readonly Mention[], r: Resolver): Partial<Resolver> {
  const out: Partial<Resolver> = {};
  // Names inside a quotation are the speaker's words, not antecedents of the reporter's "the group".
  const marks = findQuoteMarks(sentence.text);
  const mentions = allMentions.filter((m) => !marks.some((q) => m.start - sentence.start > q.open && m.end - sentence.start <= q.close));
  const orgs = [...new Set(mentions.filter((m) => r.entities.get(m.entityId)?.type === 'organisation').map((m) => m.entityId))];
  if (orgs.length === 1) {
    const m = mentions.find((x) => x.entityId === orgs[0]);
    out.lastOrganisation = { speakerId: orgs[0] ?? null, speakerText: m?.text ?? '' };
  } else if (orgs.length > 1) out.lastOrganisation = undefined;
  const groups = [...sentence.text.matchAll(GROUP_SPEAKERS)];
  const group = groups[groups.length - 1]?.[1];
  if (group) out.lastGroup = group.trim();
  // "sources from the National Resistance Front told …", "Taliban sources said": a bare "one
  // source" later in the report is one of them.
  for (const m of mentions) {
    if (r.entities.get(m.entityId)?.type !== 'organisation') continue;
    const before = sentence.text.slice(Math.max(0, m.start - sentence.start - 30), m.start - sentence.start);
    const after = sentence.text.slice(m.end - sentence.start, m.end - sentence.start + 10);
    if (SOURCES_OF.test(before) || /^\s+sources\b/iu.test(after)) out.sourcesOf = m.text.replace(/^the\s+/iu, '');
  }
  const sources = [...sentence.text.matchAll(SOURCE_INTRODUCED), ...sentence.text.matchAll(INFORMANT_INTRODUCED)].sort((a, b) => a.index - b.index);
  const source = sources[sources.length - 1]?.[1]?.trim();
  const sourcesOf = out.sourcesOf ?? r.sourcesOf;
  if (source) out.lastSource = BARE_SOURCE.test(source) && sourcesOf ? `a ${sourcesOf} source` : source;
  const people = new Set(mentions.filter((m) => r.entities.get(m.entityId)?.type === 'person').map((m) => m.entityId));
  for (const m of sentence.text.matchAll(UNKNOWN_FULL_NAME)) {
    const start = sentence.start + m.index;
    if (!mentions.some((x) => x.start < start + m[0].length && x.end > start) && !SENTENCE_OPENER.test(m[0])) people.add(fold(m[0]));
  }
  if (people.size > 0) out.doubtful = people.size > 1;
  // Two people joined as the subject ("Saleh and Massoud met …"): a later "he" could be either.
  const p1 = mentions.find((m) => r.entities.get(m.entityId)?.type === 'person');
  if (people.size > 0) {
    out.pairedSubject =
      p1 !== undefined &&
      /^\s*(?:and|&)\s+\p{Lu}/u.test(sentence.text.slice(p1.end - sentence.start)) &&
      /^\W*$/u.test(sentence.text.slice(0, p1.start - sentence.start));
  }
  return out;
}

/** The person a sentence reports as speaking ("Ahmad Massoud said on Sunday that …"), if any. */
function reportedSpeaker(sentence: Sentence, mentions: readonly Mention[], r: Resolver): EntityId | null {
  const marks = allQuoteMarks(sentence.text);
  const outside = outsideQuotes(sentence.text, marks);
  const verb = verbsIn(outside)[0];
  if (!verb) return null;
  const np = subjectSpan(outside, verb.index, 0);
  return resolveSpeaker(sentence, np.start, np.end, mentions, { ...r, lastNamed: undefined });
}

/** The speaker a sentence without quotes reports as speaking ("X, a resident, says that …"), if named. */
function reportedSpeakerPhrase(
  sentence: Sentence,
  mentions: readonly Mention[],
  r: Resolver,
): { speakerId: EntityId | null; speakerText?: string } | undefined {
  if (allQuoteMarks(sentence.text).length > 0) return undefined;
  const verb = verbsIn(sentence.text).find((v) => !/^(according to|adding|saying|telling)$/iu.test(v.verb));
  if (!verb) return undefined;
  const np = subjectSpan(sentence.text, verb.index, 0);
  if (np.relative) return undefined;
  const found = speakerFromPhrase(sentence, np.start, np.end, mentions, r);
  return found.speakerId !== null || (found.speakerText && /\p{Lu}/u.test(found.speakerText)) ? found : undefined;
}

/**
 * Extracts the speech quotes of every sentence (sentences of each source in reading order),
 * with speaker, mode, context and whether they are partial. Titles and terms in quotation
 * marks are returned as passages but not as quotes.
 *
 * @example
 * const { quotes } = extractQuotes(sentences, mentions, entities);
 * // “Our fighters are positioned near Panjshir,” said Zabihullah Mujahid → speakerId 'zabihullah-mujahid'
 */
export function extractQuotes(
  sentences: readonly Sentence[],
  mentions: readonly Mention[],
  entities: readonly SpeakerEntity[],
  sources: ReadonlyArray<Pick<Source, 'id' | 'raw' | 'removed'>> = [],
): { quotes: QuoteDraft[]; passages: QuotedPassage[] } {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  const paragraphs = paragraphsOf(sentences);
  const mentionable = entities.filter((e): e is SpeakerEntity & MentionableEntity => e.label !== undefined && e.aliases !== undefined);
  const quotes: QuoteDraft[] = [];
  const passages: QuotedPassage[] = [];
  let resolver: Resolver = { entities: byId, lastNamed: undefined };
  let currentSource = '';
  let previousQuote: QuoteDraft | undefined;
  let previousSentence: Sentence | undefined;
  /** First sentences of paragraphs that are block quotations (the rest of them is skipped). */
  const blockParagraphs = new Set<Sentence>();
  /** Quotes left open at the end of their sentence, and quotes that close one begun before. */
  const runsOn = new Set<QuoteDraft>();
  const continuing = new Set<QuoteDraft>();

  for (const [index, sentence] of sentences.entries()) {
    const lastOfSource = sentences[index + 1]?.sourceId !== sentence.sourceId;
    if (sentence.sourceId !== currentSource) {
      currentSource = sentence.sourceId;
      resolver = { entities: byId, lastNamed: undefined };
      previousQuote = undefined;
      previousSentence = undefined;
    }
    const paragraph = paragraphs.get(`${sentence.sourceId}\u0000${sentence.paragraph}`) ?? [sentence];
    if (paragraph[0] !== sentence && blockParagraphs.has(paragraph[0] as Sentence)) {
      previousSentence = sentence;
      continue;
    }
    if (paragraph[0] === sentence) {
      const block =
        blockQuoteDraft(paragraph, sourceById.get(sentence.sourceId), mentionable) ??
        firstPersonBlock(paragraph, previousQuote, sourceById.get(sentence.sourceId));
      if (block) {
        // The block's words are its author's: names in it are no antecedents for the report.
        blockParagraphs.add(sentence);
        quotes.push(block);
        previousQuote = block;
        previousSentence = sentence;
        continue;
      }
    }
    const found = quotedPassages(sentence);
    passages.push(...found);
    const speech = found.filter((p) => p.kind === 'speech');
    const sentenceMentions = mentionsWithin(mentions, sentence.sourceId, sentence.start, sentence.end);
    const attributions = attributeSentence(sentence, speech, sentenceMentions, resolver);

    speech.forEach((p, i) => {
      let attribution = attributions[i];
      let dateSentences = [sentence];
      const partial = isPartial(p, sentence);
      const standsAlone = !partial && sentence.text.slice(0, Math.max(0, p.open)).trim() === '';
      if (!attribution && standsAlone && previousSentence && previousSentence !== previousQuote?.sentence && previousSentence.paragraph >= sentence.paragraph - 1) {
        // A quote standing alone after a sentence that reports someone speaking
        // ("Mustafa, a Kabul resident, says that …" then “All my relatives …”).
        const named = reportedSpeakerPhrase(previousSentence, mentionsWithin(mentions, previousSentence.sourceId, previousSentence.start, previousSentence.end), resolver);
        if (named) {
          attribution = { ...named, mode: modeOf('', previousSentence.text), context: contextOf(previousSentence.text) };
          dateSentences = [previousSentence, sentence];
        }
      }
      // A quotation the page cuts off (opened, never closed, nothing after it) may have lost its
      // own attribution with its end: it does not simply continue the previous speaker.
      const cutOff = lastOfSource && p.open >= 0 && !/["”»]/u.test(sentence.text.slice(p.open + 1));
      if (!attribution && !partial && !cutOff && previousQuote && previousQuote.sentence.paragraph >= sentence.paragraph - 1) {
        // A quote that simply continues the previous speaker's words.
        attribution = {
          speakerId: previousQuote.speakerId,
          speakerText: previousQuote.speakerText,
          mode: previousQuote.mode ?? 'said',
          context: previousQuote.context,
        };
        dateSentences = previousQuote.dateSentences;
      }
      if (attribution?.speakerId && !attribution.context && previousSentence && previousSentence.paragraph >= sentence.paragraph - 1) {
        // "In an interview with Reuters, X said on Sunday that …" followed by "“…,” X said.":
        // the quote comes from the same interview on the same day.
        const context = contextOf(previousSentence.text);
        if (context && reportedSpeaker(previousSentence, mentions, resolver) === attribution.speakerId) {
          attribution = { ...attribution, context, mode: modeOf('', previousSentence.text) };
          dateSentences = [sentence, previousSentence];
        }
      }
      const citation: Citation = { sourceId: sentence.sourceId, start: p.start, end: p.end, text: p.text };
      const inQuote = sentenceMentions.filter((m) => m.start >= p.start && m.end <= p.end).map((m) => m.entityId);
      if (attribution?.speakerText && PRONOUN.test(attribution.speakerText) && resolver.lastNamed) {
        attribution = { ...attribution, speakerText: resolver.lastNamed.speakerText };
      }
      const speakerId = attribution?.speakerId ?? null;
      const draft: QuoteDraft = {
        sourceId: sentence.sourceId,
        sentence,
        dateSentences,
        text: tidyWhitespace(p.text),
        speakerId,
        ...(attribution?.speakerText ? { speakerText: tidyWhitespace(attribution.speakerText) } : {}),
        ...(attribution?.mode ? { mode: attribution.mode } : {}),
        ...(attribution?.context ? { context: attribution.context } : {}),
        partial,
        entities: [...new Set([...(speakerId ? [speakerId] : []), ...inQuote])],
        citations: [citation],
      };
      quotes.push(draft);
      if (p.open < 0) continuing.add(draft);
      else if (p.close >= sentence.text.replace(/[\s.,;:!?]+$/u, '').length && !/["”»]/u.test(sentence.text.slice(p.close))) runsOn.add(draft);
      previousQuote = draft;
      if (draft.speakerText) {
        const named = { speakerId, speakerText: draft.speakerText };
        // Only a person is a later "he"'s antecedent, not "the ministry" or "residents".
        const person = speakerId ? byId.get(speakerId)?.type === 'person' : !NOT_ONE_PERSON.test(draft.speakerText);
        resolver = {
          ...resolver,
          ...(person ? { lastNamed: named, subjectChanged: false, pairedSubject: false } : {}),
          currentSpeaker: named,
          described: [...(resolver.described ?? []), { named, text: introductionOf(sentence, draft.speakerText) }],
        };
      }
    });
    for (const p of speech) quotes.push(...nestedQuotes(sentence, p, sentenceMentions, byId));
    resolver = { ...resolver, ...antecedentsIn(sentence, sentenceMentions, resolver) };
    if (speech.length === 0) {
      const subject = sentenceSubject(sentence, sentenceMentions, byId);
      const opening = sentenceMentions.find((m) => /^\W*(?:the\s+)?$/iu.test(sentence.text.slice(0, m.start - sentence.start)));
      if (subject) resolver = { ...resolver, lastNamed: subject, subjectChanged: false };
      else if (opening && byId.get(opening.entityId)?.type !== 'person') resolver = { ...resolver, subjectChanged: true };
    }
    previousSentence = sentence;
  }
  return { quotes: creditRunOnQuotes(quotes, runsOn, continuing), passages };
}

/** The sentences of each paragraph, keyed by source and paragraph index. */
function paragraphsOf(sentences: readonly Sentence[]): Map<string, Sentence[]> {
  const out = new Map<string, Sentence[]>();
  for (const s of sentences) {
    const key = `${s.sourceId}\u0000${s.paragraph}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/** A paragraph as one span of the raw text. */
function paragraphSpan(paragraph: readonly Sentence[], raw: string): Citation | undefined {
  const first = paragraph[0];
  const last = paragraph[paragraph.length - 1];
  if (!first || !last || first.caption) return undefined;
  return { sourceId: first.sourceId, start: first.start, end: last.end, text: raw.slice(first.start, last.end) };
}

/** The page line right after a span, when cleaning removed it (a credit line), if any. */
function removedLineAfter(source: Pick<Source, 'raw' | 'removed'>, end: number): Citation | undefined {
  return source.removed.find((r) => r.start >= end && source.raw.slice(end, r.start).trim() === '');
}

/**
 * A paragraph printed as a block quotation and credited on the line below it (an embedded
 * post, a pull quote): a quote of the author the credit names.
 */
function blockQuoteDraft(
  paragraph: readonly Sentence[],
  source: Pick<Source, 'raw' | 'removed'> | undefined,
  entities: ReadonlyArray<SpeakerEntity & MentionableEntity>,
): QuoteDraft | undefined {
  const first = paragraph[0];
  const span = source && paragraphSpan(paragraph, source.raw);
  if (!first || !source || !span) return undefined;
  const block = blockQuoteOf(span, removedLineAfter(source, span.end));
  if (!block) return undefined;
  // The author is a registry entity when the credit's name is one of its names.
  const creditSentence: Sentence = { ...first, start: block.credit.start, end: block.credit.end, text: block.credit.text };
  const named = findMentions([creditSentence], entities).find((m) => fold(m.text) === fold(block.name));
  const text = source.raw.slice(block.start, block.end);
  return {
    sourceId: first.sourceId,
    sentence: first,
    // A post's credit carries its date.
    dateSentences: [creditSentence, ...paragraph],
    text: tidyWhitespace(text),
    speakerId: named?.entityId ?? null,
    speakerText: block.speakerText,
    mode: block.kind === 'post' ? 'tweeted' : 'said',
    partial: false,
    entities: named ? [named.entityId] : [],
    citations: [{ sourceId: first.sourceId, start: block.start, end: block.end, text }],
  };
}

/** What a newsroom says of its own work in the first person. */
const OUTLET_FIRST_PERSON =
  /\b(?:verif(?:y|ied)|confirm(?:ed)?|reach(?:ed)? (?:for|him|her|them)|contact(?:ed)?|for comment|our (?:correspondent|reporter|team|newsroom|journalists?)|this (?:story|article|report)|updated?)\b/iu;

/**
 * A short paragraph in the first person, without quotation marks or a reporting verb, right
 * after a paragraph quoting someone: the same speaker's words, set apart as a block (a pull
 * quote of an op-ed). Only when nothing of the page (a removed line) stands between them.
 */
function firstPersonBlock(
  paragraph: readonly Sentence[],
  previousQuote: QuoteDraft | undefined,
  source: Pick<Source, 'raw' | 'removed'> | undefined,
): QuoteDraft | undefined {
  const first = paragraph[0];
  const last = paragraph[paragraph.length - 1];
  if (!first || !last || !source || !previousQuote || first.caption) return undefined;
  if (previousQuote.sourceId !== first.sourceId || previousQuote.sentence.paragraph !== first.paragraph - 1) return undefined;
  if (!previousQuote.speakerId && !previousQuote.speakerText) return undefined;
  const text = source.raw.slice(first.start, last.end);
  if (paragraph.length > 3 || /["“”«»]/u.test(text) || !FIRST_PERSON.test(text) || verbsIn(text).length > 0) return undefined;
  // An outlet speaks in the first person only of its own reporting ("We could not verify …").
  if (OUTLET_FIRST_PERSON.test(text)) return undefined;
  const previousEnd = previousQuote.sentence.end;
  if (source.removed.some((r) => r.start >= previousEnd && r.end <= first.start)) return undefined;
  return {
    sourceId: first.sourceId,
    sentence: first,
    dateSentences: previousQuote.dateSentences,
    text: tidyWhitespace(text),
    speakerId: previousQuote.speakerId,
    ...(previousQuote.speakerText ? { speakerText: previousQuote.speakerText } : {}),
    ...(previousQuote.mode ? { mode: previousQuote.mode } : {}),
    ...(previousQuote.context ? { context: previousQuote.context } : {}),
    partial: false,
    entities: previousQuote.speakerId ? [previousQuote.speakerId] : [],
    citations: [{ sourceId: first.sourceId, start: first.start, end: last.end, text }],
  };
}

/**
 * Quotes inside a quote: the speaker's own sentence credits words in single marks to someone
 * (“America can be a ‘beacon of hope,’ as a former president said,” she wrote). Such a nested
 * quote is kept only when the quoted sentence names who said it; the words it merely repeats
 * are the outer speaker's quote already.
 */
function nestedQuotes(
  sentence: Sentence,
  outer: QuotedPassage,
  mentions: readonly Mention[],
  entities: ReadonlyMap<EntityId, SpeakerEntity>,
): QuoteDraft[] {
  if (outer.open < 0 || !/["“«„]/u.test(sentence.text[outer.open] ?? '')) return [];
  const inner: Sentence = { ...sentence, start: sentence.start + outer.open + 1, end: sentence.start + outer.close, text: sentence.text.slice(outer.open + 1, outer.close) };
  const passages = quotedPassages(inner).filter((p) => p.kind === 'speech' && /[‘']/u.test(inner.text[p.open] ?? ''));
  if (passages.length === 0) return [];
  const innerMentions = mentions.filter((m) => m.start >= inner.start && m.end <= inner.end);
  // Inside someone's words a pronoun is theirs to resolve, not the reporter's: nothing carries over.
  const attributions = attributeSentence(inner, passages, innerMentions, { entities, lastNamed: undefined }, true);
  return passages.flatMap((p, i) => {
    const a = attributions[i];
    const named = a && (a.speakerId !== null || (a.speakerText !== undefined && /^\p{Lu}/u.test(a.speakerText) && !PRONOUN.test(a.speakerText)));
    if (!a || !named) return [];
    const inQuote = innerMentions.filter((m) => m.start >= p.start && m.end <= p.end).map((m) => m.entityId);
    return [{
      sourceId: sentence.sourceId,
      sentence,
      dateSentences: [sentence],
      text: tidyWhitespace(p.text),
      speakerId: a.speakerId,
      ...(a.speakerText ? { speakerText: tidyWhitespace(a.speakerText) } : {}),
      mode: a.mode,
      partial: isPartial(p, inner),
      entities: [...new Set([...(a.speakerId ? [a.speakerId] : []), ...inQuote])],
      citations: [{ sourceId: sentence.sourceId, start: p.start, end: p.end, text: p.text }],
    }];
  });
}

/**
 * A quotation that runs over paragraphs has its attribution at its end ("… the resistance,"
 * said X): each paragraph of it left open is credited like the paragraph that closes it.
 */
function creditRunOnQuotes(quotes: QuoteDraft[], runsOn: ReadonlySet<QuoteDraft>, continuing: ReadonlySet<QuoteDraft>): QuoteDraft[] {
  const out = [...quotes];
  // A middle paragraph (opened, not closed) is credited through the paragraph that closes it.
  const credited = new Set<number>();
  for (let i = out.length - 1; i >= 0; i--) {
    const draft = out[i];
    if (!draft || !runsOn.has(draft)) continue;
    const next = out[i + 1];
    const closes =
      next &&
      (continuing.has(quotes[i + 1] as QuoteDraft) || credited.has(i + 1)) &&
      next.sourceId === draft.sourceId &&
      next.sentence.paragraph === draft.sentence.paragraph + 1;
    if (!closes || (!next.speakerId && !next.speakerText)) continue;
    credited.add(i);
    out[i] = {
      ...draft,
      speakerId: next.speakerId,
      ...(next.speakerText ? { speakerText: next.speakerText } : {}),
      ...(next.mode ? { mode: next.mode } : {}),
      entities: [...new Set([...(next.speakerId ? [next.speakerId] : []), ...draft.entities.filter((e) => e !== draft.speakerId)])],
    };
  }
  return out;
}
