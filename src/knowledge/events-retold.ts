/**
 * Days a report gives by telling a happening twice: the lede tells the news and the body dates
 * it when it retells it, and "A day earlier" ties two happenings into a chain one known day
 * dates from end to end. Used by the timeline stage (events.ts).
 */
import { addDays } from './analysis-calendar.js';
import { contentWords, mentionsWithin } from './analysis-text.js';
import type { DateMention } from './dates.js';
import { ANAPHORIC_DAY, anaphoricDay, eventKinds, kindMatches } from './event-words.js';
import type { Draft, Telling } from './events.js';
import type { DateRef } from './model.js';
import type { Mention, Sentence } from './sentence.js';

/** How many sentences after a report's lede the body may retell it with its date. */
const LEDE_REACH = 6;

/**
 * The phrase a date names when written as a possessive ("Sunday's fall of Kabul", "last week's
 * attack"): from the date to the end of its clause. Such a date dates that noun only.
 */
export function possessivePhrase(text: string, d: DateMention): [number, number] | undefined {
  const after = text.slice(d.index + d.length);
  if (!/[’']s$/u.test(d.text) && !/^[’']s\s/u.test(after)) return undefined;
  const rest = /[,;:—–(]|\s(?:when|while|as|after|before)\s/u.exec(after);
  return [d.index, d.index + d.length + (rest ? rest.index : after.length)];
}

/** Words that tell when, not what: they never show two sentences tell the same happening. */
const TIME_WORDS = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|earlier|later|week|month|year|night|morning|evening|day|days)$/iu;

/**
 * The words of a telling that say what happened, as stems of five letters ("avoid" / "avoided"):
 * no names (the words of its entity mentions), no reporting verbs, no time words.
 */
function happeningStems(told: Pick<Telling, 'sentence' | 'words'>, mentions: readonly Mention[]): Set<string> {
  const s = told.sentence;
  const names = contentWords(mentionsWithin(mentions, s.sourceId, s.start, s.end).map((m) => m.text).join(' '));
  return new Set(
    [...told.words].filter((w) => w.length >= 4 && w !== 'say' && !names.has(w) && !TIME_WORDS.test(w) && !/^talib/u.test(w)).map((w) => w.slice(0, 5)),
  );
}

/** Happening words a lede's action needs to share with the account that dates it ("shot" … "his driver"). */
const ACCOUNT_SHARED_WORDS = 2;

/**
 * The body gives its account of the lede's happening over two sentences: the one that dates it
 * ("was driving to the town on Thursday when fighters stopped him at a checkpoint") and the one
 * that goes on without a day of its own ("“They shot him and his driver,” he said"). Together
 * they retell the lede's action ("Fighters shot dead X and his driver") when they name one of
 * its parties and share at least {@link ACCOUNT_SHARED_WORDS} of its happening words.
 */
function accountRetells(lede: Telling, dated: Sentence, next: Sentence | undefined, mentions: readonly Mention[]): boolean {
  if (!lede.kind || lede.kind === 'say') return false;
  const parts = [dated, ...(next ? [next] : [])];
  const stems = new Set(parts.flatMap((s) => [...happeningStems({ sentence: s, words: contentWords(s.text) }, mentions)]));
  const entities = new Set(parts.flatMap((s) => mentionsWithin(mentions, s.sourceId, s.start, s.end).map((m) => m.entityId)));
  if (![...lede.entities].some((e) => entities.has(e))) return false;
  return [...happeningStems(lede, mentions)].filter((w) => stems.has(w)).length >= ACCOUNT_SHARED_WORDS;
}

/**
 * A sentence retells what another told when both name the same person, tell the same kind of
 * happening (a statement is a statement: "warned" / "tweeted") and share a word of what happened
 * ("to avoid entering the valley" / "terrains to be avoided").
 */
function retells(a: Telling, b: Telling, people: ReadonlySet<string>, mentions: readonly Mention[]): boolean {
  if (![...a.entities].some((e) => people.has(e) && b.entities.has(e))) return false;
  const kinds = new Set(eventKinds(b.sentence.text));
  if (!eventKinds(a.text).some((k) => kinds.has(k))) return false;
  const stems = happeningStems(b, mentions);
  return [...happeningStems(a, mentions)].some((w) => stems.has(w));
}

export interface Retelling {
  drafts: Draft[];
  /** Where the second rule's events go (default `drafts`): the build orders them after the first rule's. */
  ledes?: Draft[];
  pending: readonly Telling[];
  nounDated: ReadonlyMap<Sentence, Telling>;
  ownDay: ReadonlyMap<Sentence, { date: DateRef; draft: Draft }>;
  carried: ReadonlySet<Telling>;
  sentences: readonly Sentence[];
  people: ReadonlySet<string>;
  mentions: ReadonlyMap<string, Mention[]>;
}

/**
 * Days a report gives by telling a happening twice. Two rules, as a reader links them:
 *
 * - A chain of relative days is one chain of constraints: "X tweeted: … A day earlier, X had
 *   warned Y." ties the warning to the tweet before it, so when the next sentence quotes that
 *   warning with its day ("…," X tweeted on Sunday), the warning is Sunday and the tweet before
 *   it Monday — dating either end dates both.
 * - The lede tells the news and the body gives its day: an undated first sentence (or one dated
 *   only by a noun, "after Sunday's fall of Kabul, X declared himself …") takes the day of a
 *   sentence of its next {@link LEDE_REACH} that retells it ("X claimed … in a Twitter post on
 *   Tuesday"), a day of its own or one reasoned out by the chain.
 *
 * A sentence that opens with a quotation only passes its day on: its words are the speaker's.
 *
 * @returns the tellings that took a date
 */
export function dateRetellings(r: Retelling): Set<Telling> {
  const dated = new Set<Telling>();
  const index = new Map<Sentence, number>();
  r.sentences.forEach((s, i) => index.set(s, i));
  const own = (s: Sentence): Mention[] => r.mentions.get(s.sourceId) ?? [];
  const pendingOf = new Map<Sentence, Telling>(r.pending.map((t) => [t.sentence, t]));
  /** Days reasoned out for sentences that have none of their own. */
  const reasoned = new Map<Sentence, DateRef>();
  for (const told of r.pending) {
    const shift = anaphoricDay(told.sentence.text);
    const at = index.get(told.sentence);
    if (shift === undefined || at === undefined || r.carried.has(told)) continue;
    const next = r.sentences[at + 1];
    const before = r.sentences[at - 1];
    const day = next && next.sourceId === told.sentence.sourceId ? r.ownDay.get(next) : undefined;
    const nextTold = day?.draft.dated.find((t) => t.sentence === next);
    if (!day || !nextTold || !retells(told, nextTold, r.people, own(told.sentence))) continue;
    const text = ANAPHORIC_DAY.exec(told.sentence.text)?.[0].trim() ?? '';
    r.drafts.push({ date: { ...day.date, text }, dated: [told], undated: [], carried: true });
    dated.add(told);
    if (before && before.sourceId === told.sentence.sourceId && !r.ownDay.has(before)) {
      // Its date words say how it was reasoned out: "a day after Sunday".
      const start = addDays(day.date.start, -shift);
      const count = Math.abs(shift) === 1 ? 'a day' : `${Math.abs(shift)} days`;
      const how = `${count} ${shift < 0 ? 'after' : 'before'} ${day.date.text.replace(/^on\s+/iu, '')}`;
      reasoned.set(before, { text: shift === 0 ? day.date.text : how, precision: 'day', start, end: start });
    }
  }
  const seen = new Set<string>();
  for (const [i, lede] of r.sentences.entries()) {
    if (lede.caption || seen.has(lede.sourceId)) continue;
    seen.add(lede.sourceId);
    const told = r.nounDated.get(lede) ?? pendingOf.get(lede);
    if (!told || r.carried.has(told) || dated.has(told) || /^\W*[“"‘]/u.test(lede.text)) continue;
    // "X announced that fighters have gathered": the news is what was reported, and the day of
    // the announcement is not the day of the gathering.
    if (kindMatches(told.text, 'say').some((m) => /^\s+that\b/iu.test(told.text.slice(m.index + m.length)))) continue;
    for (const s of r.sentences.slice(i + 1, i + 1 + LEDE_REACH)) {
      if (s.sourceId !== lede.sourceId) break;
      const mine = r.ownDay.get(s);
      const later = mine?.draft.dated.find((t) => t.sentence === s) ?? pendingOf.get(s);
      const date = mine?.date ?? reasoned.get(s);
      if (!later || !date) continue;
      const next = r.sentences[index.get(s)! + 1];
      const goesOn = next && next.sourceId === s.sourceId && !r.ownDay.has(next) ? next : undefined;
      const same = retells(told, later, r.people, own(lede));
      if (!same && !accountRetells(told, s, goesOn, own(lede))) continue;
      // The same statement told twice is one event; an account's day dates the lede's own happening.
      if (same && mine) mine.draft.undated.push(told);
      else (r.ledes ?? r.drafts).push({ date, dated: [told], undated: [], carried: true });
      dated.add(told);
      break;
    }
  }
  return dated;
}
