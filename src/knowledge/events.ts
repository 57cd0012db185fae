/**
 * The timeline stage: dated happenings from the report sentences.
 *
 * A sentence gives an event when it has a date {@link findDates} can resolve and a word that
 * names a happening (announced, encircled, took over, killed, fell, clashes, invasion…). The
 * same happening told by several sentences (two outlets, or one outlet twice) is one event
 * with several citations. Photo captions give no events: their dates are the photo's, and a
 * caption's version of history ranks below the report (disagreements surface as conflicts).
 */
import { datesOverlap, addDays, spanDays } from './analysis-calendar.js';
import { citationOf, contentWords, mentionsBySource, mentionsWithin, overlap, shortHash } from './analysis-text.js';
import { tidyWhitespace } from './text.js';
import { describingClauses, findDates, relativeClauses, toDateRef, type DateMention, type RelativeClause } from './dates.js';
import type { Citation, DateRef, Source, StoryEvent } from './model.js';
import type { AnalysisInput, Mention, Sentence } from './sentence.js';
import { anaphoricDay, ANAPHORIC_DAY, eventKinds, kindMatches, mainKind } from './event-words.js';
import { dateRetellings, possessivePhrase } from './events-retold.js';

export { anaphoricDay, eventKinds, kindMatches, mainKind } from './event-words.js';

/** Minimum share of content words two tellings need to be taken for the same event. */
const SAME_EVENT_OVERLAP = 0.3;
/**
 * An undated telling and a dated one are about the same actor when the first entity each
 * names (the subject, as a rule) is the same, or the undated one names none.
 */
function sameActor(dated: Telling, undated: Telling, first: (t: Telling) => string | undefined): boolean {
  if (first(undated) === undefined) return true;
  // "Forces fighting the Taliban have said …": the sentence's subject is not the first name in it.
  return undated.subjectNamed && first(undated) === first(dated);
}

/**
 * The first entity a telling names that is not a reporter (a news agency or newspaper that
 * reports the happening is not its actor), worked out once per telling.
 */
function firstActor(reporters: ReadonlySet<string>): (t: Telling) => string | undefined {
  const memo = new Map<Telling, string | undefined>();
  return (t) => {
    if (!memo.has(t)) memo.set(t, [...t.entities].find((e) => !reporters.has(e)));
    return memo.get(t);
  };
}

/**
 * Words before a name that put it in a phrase of its own rather than at the head of the
 * subject: a preposition ("forces putting up a resistance against the Taliban") or a verb
 * ("… have said the Taliban").
 */
const NOT_THE_SUBJECT = /\b(?:against|fighting|opposing|resisting|of|by|from|near|with|for|to|in|on|at|into|said|says|told|has|have|had|is|are|was|were|will)\b/iu;
/**
 * A death is one happening only when both tellings name the same person: two killings of one
 * week by the same party ("The Taliban shot dead the brother of …") are not one.
 */
function sameVictim(dated: Telling, undated: Telling, people: ReadonlySet<string>): boolean {
  if (dated.kind !== 'kill' || undated.kind !== 'kill') return true;
  return [...undated.entities].some((e) => people.has(e) && dated.entities.has(e));
}

/** An undated report sentence tells recent news: it may join events of the week before publication. */
const RECENT_DAYS = 7;

/** One sentence's telling of a happening: the sentence, and the words of it that tell it. */
export interface Telling {
  sentence: Sentence;
  /** The clause(s) of the sentence around its date, whitespace-tidied (the whole sentence when it has one date). */
  text: string;
  kind: string | undefined;
  words: Set<string>;
  entities: Set<string>;
  /** Whether the first entity named heads the sentence's subject (nothing but a determiner or title before it). */
  subjectNamed: boolean;
}

export interface Draft {
  date: DateRef;
  /** Tellings that gave the date; the event's text is taken from one of them. */
  dated: Telling[];
  /** Undated report sentences of other sources that tell the same recent happening. */
  undated: Telling[];
  /** Dated only by a date carried over from a sentence before: too weak to date another report's sentence. */
  carried?: boolean;
}

/**
 * How well two tellings match as one happening (0 = not the same): the same main kind of
 * happening (never "said" alone), and enough shared content words.
 */
function sameHappening(a: Telling, b: Telling): number {
  if (!a.kind || a.kind !== b.kind) return 0;
  const sharedEntities = [...a.entities].filter((e) => b.entities.has(e)).length;
  const score = overlap(a.words, b.words) + 0.05 * sharedEntities;
  return score >= SAME_EVENT_OVERLAP ? score : 0;
}

/**
 * Among dates of one sentence that overlap ("in 2001, at the time of the September 11
 * attack") only the first is the event's; the others locate it.
 */
function distinctDates(text: string, dates: DateMention[]): DateMention[] {
  const kept: DateMention[] = [];
  for (const d of dates) {
    if (kept.some((k) => datesOverlap(k, d))) continue;
    // "on Wednesday and Thursday", "in the 1980s and 1990s": one happening told over two dates
    // is placed at the first, where it began.
    const last = kept.at(-1);
    if (last && /^\s*(?:and|or|to|through|until|till|[-–—])\s*$/iu.test(text.slice(last.index + last.length, d.index))) continue;
    kept.push(d);
  }
  return kept;
}

/** Words that count from the day they are said. */
const DEICTIC_DAY = /^(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))$/iu;

/**
 * "Today" inside a quotation is the speaker's today, not the day of publication: the report
 * often prints a statement of the day before. With no date for the statement, it dates nothing.
 */
function speakersDay(text: string, d: DateMention): boolean {
  if (!DEICTIC_DAY.test(d.text)) return false;
  const before = text.slice(0, d.index);
  const count = (re: RegExp): number => (before.match(re) ?? []).length;
  return count(/“/gu) > count(/”/gu) || count(/"/gu) % 2 === 1;
}

/**
 * A dateline ("Kabul/New Delhi, August 31 (IANS):") gives the day the report was filed, not the
 * day of what it tells.
 */
function datelineDate(text: string, d: DateMention): boolean {
  const lead = text.slice(0, d.index);
  const after = text.slice(d.index + d.length);
  return /^[A-Z][\p{L}/ .'-]{1,40},\s*$/u.test(lead) && /^\s*(?:\([^)]{1,30}\))?\s*[:—–-]/u.test(after);
}

/** The narrower of two dates (the more precise statement of when it happened). */
function narrower(a: DateRef, b: DateRef): DateRef {
  return spanDays(b) < spanDays(a) ? b : a;
}

/** Where clauses part: punctuation, and the words that open a subordinate or parallel clause. */
const CLAUSE_BREAK = /\s*[,;:]\s+|\s+[—–]\s+|\s+(?=(?:when|while|nor|whereas|because|although)\b)/gu;

/** A clause that is only a time adverbial ("in the 1980s") or leans on the clause before it. */
const LEANS_LEFT = /^(?:in|on|at|during|between|from|since|until|when|while|whereas|because|although|nor)\b/iu;

/**
 * For a sentence with several dates, the words that go with each: the date's own clause,
 * widened left while it is only a time adverbial or a dependent clause ("when it controlled
 * the country between 1996 and 2001" takes its main clause), and right until it names a
 * happening. A sentence with one date is told whole.
 */
function clauseWindows(text: string, dates: DateMention[]): Array<[number, number]> {
  if (dates.length === 1) return [[0, text.length]];
  const bounds: Array<[number, number]> = [];
  let from = 0;
  for (const m of text.matchAll(CLAUSE_BREAK)) {
    bounds.push([from, m.index]);
    from = m.index + m[0].length;
  }
  bounds.push([from, text.length]);
  const clause = (i: number): string => text.slice(bounds[i]![0], bounds[i]![1]);
  return dates.map((d) => {
    const own = Math.max(0, bounds.findIndex(([a, b]) => d.index >= a && d.index < b));
    let first = own;
    while (first > 0 && LEANS_LEFT.test(clause(first))) first--;
    let last = own;
    const happening = (): boolean => mainKind(eventKinds(text.slice(bounds[first]![0], bounds[last]![1]))) !== undefined;
    while (last < bounds.length - 1 && !happening()) last++;
    return [bounds[first]![0], bounds[last]![1]];
  });
}

/**
 * A clause as a timeline line: whitespace tidied, a leading "But"/"And" dropped, first letter
 * capitalised. Nothing else changes, so the cited sentence still contains the line (case aside).
 */
function lineText(text: string): string {
  const t = tidyWhitespace(text)
    .replace(/^(?:but|and|so|yet)\s+/iu, '')
    .replace(/[,;:]$/u, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/**
 * One sentence's telling of the words `from`…`to`. Words in `cut` (a clause dated apart, "a day
 * after they got trapped…") stay in the line shown but do not say what happened or who did it.
 */
function telling(sentence: Sentence, from: number, to: number, mentions: Mention[], cut?: [number, number]): Telling {
  const text = lineText(sentence.text.slice(from, to));
  const own = cut && cut[0] >= from && cut[1] <= to ? sentence.text.slice(from, cut[0]) + ' ' + sentence.text.slice(cut[1], to) : text;
  const span = mentionsWithin(mentions, sentence.sourceId, sentence.start + from, sentence.start + to).filter(
    (m) => !cut || m.start - sentence.start < cut[0] || m.start - sentence.start >= cut[1],
  );
  const sorted = span.sort((a, b) => a.start - b.start);
  const lead = sorted[0] ? sentence.text.slice(from, sorted[0].start - sentence.start) : '';
  return {
    sentence,
    text,
    kind: mainKind(eventKinds(own)),
    words: contentWords(own),
    entities: new Set(sorted.map((m) => m.entityId)),
    subjectNamed: sorted.length > 0 && !NOT_THE_SUBJECT.test(lead),
  };
}

/**
 * Dated events of the story, oldest first, each citing every sentence that tells it.
 *
 * @example
 * const events = extractEvents({ sources, sentences, mentions, entities, facts: [], quotes: [] });
 * events[0]; // { date: { text: 'in the 1980s', precision: 'decade', … }, text: '…', citations: [...] }
 */
export function extractEvents(input: AnalysisInput): StoryEvent[] {
  const sources = new Map<string, Source>(input.sources.map((s) => [s.id, s]));
  const mentions = mentionsBySource(input.mentions);
  const drafts: Draft[] = [];
  const undated: Telling[] = [];
  /** Undated tellings of the report, for carrying a date over from the sentences around them. */
  const pending: Telling[] = [];
  /** The day a sentence tells, when it names exactly one (a day of its own, not a clause's). */
  const ownDay = new Map<Sentence, { date: DateRef; draft: Draft }>();
  /** Sentences dated only by a date that names a noun ("Sunday's fall of Kabul"), their statement told without it. */
  const nounDated = new Map<Sentence, Telling>();
  const index = new DraftIndex();
  /**
   * The first draft (in the order drafts were made) this telling is the same happening as: an
   * overlapping date, no telling of the same sentence yet, a telling that matches. Only drafts
   * with a telling of the same kind can match ({@link sameHappening}), so only those are read.
   */
  const sameDraft = (told: Telling, date: DateRef): Draft | undefined => {
    if (!told.kind) return undefined;
    return index.withKind(told.kind).find(
      (draft) =>
        datesOverlap(draft.date, date) &&
        !index.hasSentence(draft, told.sentence) &&
        index.tellings(draft, told.kind!).some((t) => sameHappening(t, told) > 0),
    );
  };

  for (const sentence of input.sentences) {
    const source = sources.get(sentence.sourceId);
    if (!source || sentence.caption) continue;
    const reading = readSentence(sentence, source, mentions.get(sentence.sourceId) ?? []);
    if (!reading) continue;
    if (reading.undated) {
      if (reading.undated.noDate) undated.push(reading.undated.told);
      pending.push(reading.undated.told);
      continue;
    }
    if (reading.nounDated) nounDated.set(sentence, reading.nounDated);
    const single = reading.single;
    // A date is a fresh object per build: the knowledge base holds it, the reading is kept.
    const tellings = reading.tellings.map(({ told, date }) => ({ told, date: { ...date } }));
    tellings.forEach(({ told, date }) => {
      const same = sameDraft(told, date);
      const draft = same ?? { date, dated: [], undated: [] };
      if (same) {
        same.dated.push(told);
        same.date = narrower(same.date, date);
      } else {
        draft.dated.push(told);
        drafts.push(draft);
      }
      index.add(draft, told);
      if (single && date.precision === 'day' && !ownDay.has(sentence)) ownDay.set(sentence, { date, draft });
    });
  }

  const reporters = new Set(input.entities.filter((e) => /\b(news|agency|newspaper|magazine|broadcaster|channel|social network)\b/iu.test(e.role ?? '')).map((e) => e.id));
  const people = new Set(input.entities.filter((e) => e.type === 'person').map((e) => e.id));
  // People and places tie two sentences to one happening; a party named everywhere (an army, a movement) does not.
  const named = new Set(input.entities.filter((e) => e.type === 'person' || e.type === 'place').map((e) => e.id));
  const carried = carryDates(drafts, pending, input.sentences, people, named);
  for (const t of dateRetellings({ drafts, pending, nounDated, ownDay, carried, sentences: input.sentences, people, mentions })) carried.add(t);
  // From here on the drafts and their dated tellings are settled: only undated tellings join them.
  const settled = new DraftIndex();
  for (const draft of drafts) for (const told of draft.dated) settled.add(draft, told);
  attachUndatedReports(drafts, undated.filter((t) => !carried.has(t)), sources, reporters, people, settled);
  attachTemporalClauses(drafts, undated.filter((t) => !carried.has(t)), sources, mentions, named, settled);
  const order = new Map(input.sources.map((s, i) => [s.id, i]));
  return drafts.map((d) => toEvent(d, order)).sort(byDate);
}

/** Where events made by later rules start in the order of drafts (after any number of first-pass drafts). */
const CARRIED_PLACE = 2 ** 40;
const RETOLD_PLACE = 2 ** 41;
const LEDE_PLACE = 2 ** 42;

/** An undated report sentence's best telling of a draft so far, per report. */
interface Attached {
  told: Telling;
  score: number;
}

/** A temporal clause of an undated sentence, read once per telling. */
interface TemporalClause {
  kind: string;
  words: Set<string>;
  places: Set<string>;
}

/**
 * The timeline stage's state ({@link extractEvents}), kept so that a story growing at its end
 * (every added report sorts after the others) is extended in place: {@link KeptEvents.events}
 * gives exactly what {@link extractEvents} gives over all the reports added so far.
 *
 * - The first pass (dated tellings joining the first draft they match) simply goes on.
 * - Carrying dates over and dating retold ledes read only a report's own sentences and the
 *   drafts of its own tellings: a new report's are added after the others'.
 * - An undated report sentence joins, for each draft, as the best of its report's sentences (the
 *   first best): a draft's score is the best over its dated tellings, so a draft the new report
 *   joined is only reconsidered against the tellings it gained, a new draft against every
 *   undated sentence, and every draft against the new report's undated sentences.
 * - Temporal clauses are matched again over the kept drafts (their readings are kept).
 *
 * A new report that narrows the date of an earlier draft changes what the later rules read of
 * it: then the whole story is read again (still the same result, at the whole story's cost).
 */
export class KeptEvents {
  private readonly sources = new Map<string, Source>();
  private readonly order = new Map<string, number>();
  private readonly recent = new Map<string, DateRef>();
  private readonly mentions = new Map<string, Mention[]>();
  private readonly sentences: Sentence[] = [];
  private readonly reporters: Set<string>;
  private readonly people: Set<string>;
  private readonly named: Set<string>;
  private drafts: Draft[] = [];
  private carriedDrafts: Draft[] = [];
  private retoldDrafts: Draft[] = [];
  private ledeDrafts: Draft[] = [];
  /** Undated report sentences (no date at all), in reading order, by kind. */
  private undatedByKind = new Map<string, Telling[]>();
  private undatedAt = new Map<Telling, number>();
  private undatedCount = 0;
  /** Undated report sentences with a temporal clause, in reading order. */
  private withClauses: Array<{ told: Telling; clauses: TemporalClause[] }> = [];
  private pending: Telling[] = [];
  private ownDay = new Map<Sentence, { date: DateRef; draft: Draft }>();
  private nounDated = new Map<Sentence, Telling>();
  private index = new DraftIndex();
  private settled = new DraftIndex();
  private carried = new Set<Telling>();
  /** For each first-pass draft, the best undated telling of each report. */
  private attached = new Map<Draft, Map<string, Attached>>();
  private made = new WeakMap<Draft, { dated: number; undated: Telling[]; date: DateRef; event: StoryEvent }>();
  /** Whole rebuilds since creation (a new report narrowed an earlier draft's date). */
  rebuilds = 0;

  constructor(entities: readonly { id: string; type: string; role?: string }[]) {
    this.reporters = new Set(entities.filter((e) => /\b(news|agency|newspaper|magazine|broadcaster|channel|social network)\b/iu.test(e.role ?? '')).map((e) => e.id));
    this.people = new Set(entities.filter((e) => e.type === 'person').map((e) => e.id));
    // People and places tie two sentences to one happening; a party named everywhere (an army, a movement) does not.
    this.named = new Set(entities.filter((e) => e.type === 'person' || e.type === 'place').map((e) => e.id));
  }

  /** Read more reports (each sorting after every report read so far): sources, their sentences and mentions in order. */
  add(sources: readonly Source[], sentences: readonly Sentence[], mentions: readonly Mention[]): void {
    for (const s of sources) {
      this.sources.set(s.id, s);
      this.order.set(s.id, this.order.size);
    }
    for (const m of mentions) (this.mentions.get(m.sourceId) ?? this.mentions.set(m.sourceId, []).get(m.sourceId)!).push(m);
    const known = this.drafts.length;
    const dates = new Map(this.drafts.map((d) => [d, d.date]));
    for (const s of sentences) this.sentences.push(s);

    // The first pass goes on: dated tellings join the first draft they match.
    const grown = new Map<Draft, Telling[]>();
    const newUndated: Telling[] = [];
    const newPending: Telling[] = [];
    for (const sentence of sentences) {
      const source = this.sources.get(sentence.sourceId);
      if (!source || sentence.caption) continue;
      const reading = readSentence(sentence, source, this.mentions.get(sentence.sourceId) ?? []);
      if (!reading) continue;
      if (reading.undated) {
        if (reading.undated.noDate) newUndated.push(reading.undated.told);
        newPending.push(reading.undated.told);
        continue;
      }
      if (reading.nounDated) this.nounDated.set(sentence, reading.nounDated);
      const single = reading.single;
      // A date is a fresh object per build: the knowledge base holds it, the reading is kept.
      const tellings = reading.tellings.map(({ told, date }) => ({ told, date: { ...date } }));
      tellings.forEach(({ told, date }) => {
        const same = this.sameDraft(told, date);
        const draft = same ?? { date, dated: [], undated: [] };
        if (same) {
          same.dated.push(told);
          same.date = narrower(same.date, date);
        } else {
          draft.dated.push(told);
          this.drafts.push(draft);
          this.index.place(draft, this.drafts.length - 1);
          this.settled.place(draft, this.drafts.length - 1);
        }
        this.index.add(draft, told);
        this.settled.add(draft, told);
        (grown.get(draft) ?? grown.set(draft, []).get(draft)!).push(told);
        if (single && date.precision === 'day' && !this.ownDay.has(sentence)) this.ownDay.set(sentence, { date, draft });
      });
    }
    // An earlier draft whose date the new report narrowed reads differently to every later rule.
    if ([...dates].some(([d, date]) => d.date !== date)) {
      this.rebuild();
      return;
    }

    // Dates carried over and retold ledes: the new reports' own sentences, after the others'.
    const ownDrafts = [...grown.keys()].sort((a, b) => this.index.position(a) - this.index.position(b));
    const scratch = [...ownDrafts];
    const carried = carryDates(scratch, newPending, sentences, this.people, this.named);
    for (const d of scratch.slice(ownDrafts.length)) this.addLater(d, this.carriedDrafts, CARRIED_PLACE);
    const retold: Draft[] = [];
    const ledes: Draft[] = [];
    const dated = dateRetellings({ drafts: retold, ledes, pending: newPending, nounDated: this.nounDated, ownDay: this.ownDay, carried, sentences, people: this.people, mentions: this.mentions });
    for (const d of retold) this.addLater(d, this.retoldDrafts, RETOLD_PLACE);
    for (const d of ledes) this.addLater(d, this.ledeDrafts, LEDE_PLACE);
    for (const t of carried) this.carried.add(t);
    for (const t of dated) this.carried.add(t);
    for (const t of newPending) this.pending.push(t);

    // Undated report sentences join, per draft, as the best of their report.
    const fresh = newUndated.filter((t) => !this.carried.has(t));
    const freshFrom = this.undatedCount;
    for (const t of fresh) {
      this.undatedAt.set(t, this.undatedCount++);
      if (t.kind) (this.undatedByKind.get(t.kind) ?? this.undatedByKind.set(t.kind, []).get(t.kind)!).push(t);
      // Temporal clauses are read once; only sentences that have one are matched on each build.
      const clauses = temporalClauses(t, this.mentions.get(t.sentence.sourceId) ?? [], this.named);
      if (clauses.length > 0) this.withClauses.push({ told: t, clauses });
    }
    const first = firstActor(this.reporters);
    // Earlier drafts: the tellings they gained, against the earlier undated sentences.
    for (const [draft, added] of grown) {
      if (this.index.position(draft) >= known) continue;
      for (const kind of new Set(added.map((t) => t.kind).filter((k): k is string => k !== undefined))) {
        const mine = added.filter((t) => t.kind === kind);
        for (const u of this.undatedByKind.get(kind) ?? []) {
          if (this.undatedAt.get(u)! >= freshFrom) break; // the new reports' come last; they are read below against every telling
          this.consider(draft, u, mine, first);
        }
      }
    }
    // Every earlier draft: the new reports' undated sentences, against all its tellings.
    for (const u of fresh) {
      if (!u.kind) continue;
      for (const draft of this.settled.withKind(u.kind)) {
        if (draft.carried || this.settled.position(draft) >= known) continue;
        this.consider(draft, u, this.settled.tellings(draft, u.kind), first);
      }
    }
    // New drafts: every undated sentence, in reading order, against all their tellings.
    for (const draft of this.drafts.slice(known)) {
      for (const kind of new Set(draft.dated.map((t) => t.kind).filter((k): k is string => k !== undefined))) {
        for (const u of this.undatedByKind.get(kind) ?? []) this.consider(draft, u, this.settled.tellings(draft, kind), first);
      }
    }
  }

  /** A draft made by a later rule: kept in its list, indexed after every first-pass draft. */
  private addLater(draft: Draft, list: Draft[], from: number): void {
    list.push(draft);
    this.settled.place(draft, from + list.length - 1);
    for (const told of draft.dated) this.settled.add(draft, told);
  }

  /** The first draft (in the order drafts were made) a dated telling is the same happening as (see extractEvents). */
  private sameDraft(told: Telling, date: DateRef): Draft | undefined {
    if (!told.kind) return undefined;
    return this.index.withKind(told.kind).find(
      (draft) => datesOverlap(draft.date, date) && !this.index.hasSentence(draft, told.sentence) && this.index.tellings(draft, told.kind!).some((t) => sameHappening(t, told) > 0),
    );
  }

  /** Score undated telling `u` against some of `draft`'s tellings; it replaces its report's best when higher (or as high and read first). */
  private consider(draft: Draft, u: Telling, tellings: readonly Telling[], first: (t: Telling) => string | undefined): void {
    if (!u.kind || draft.carried || this.settled.hasSource(draft, u.sentence.sourceId)) return;
    const recent = this.recentOf(u.sentence.sourceId);
    if (!recent || !datesOverlap(draft.date, recent)) return;
    let score = 0;
    for (const t of tellings) if (t.kind === u.kind && sameActor(t, u, first) && sameVictim(t, u, this.people)) score = Math.max(score, sameHappening(t, u));
    if (score <= 0) return;
    const byReport = this.attached.get(draft) ?? this.attached.set(draft, new Map()).get(draft)!;
    const best = byReport.get(u.sentence.sourceId);
    if (!best || score > best.score || (score === best.score && this.undatedAt.get(u)! < this.undatedAt.get(best.told)!)) {
      byReport.set(u.sentence.sourceId, { told: u, score: best?.told === u ? Math.max(score, best.score) : score });
    }
  }

  /** The week up to a report's publication (when its undated sentences happened), worked out once per report. */
  private recentOf(sourceId: string): DateRef | undefined {
    let recent = this.recent.get(sourceId);
    const source = this.sources.get(sourceId);
    if (recent === undefined && source !== undefined) {
      recent = { text: '', precision: 'span', start: addDays(source.published, -RECENT_DAYS), end: source.published };
      this.recent.set(sourceId, recent);
    }
    return recent;
  }

  /** Read every report again from nothing (after a change the state cannot take in place). */
  private rebuild(): void {
    const sources = [...this.sources.values()];
    const sentences = [...this.sentences];
    const mentions = [...this.mentions.values()].flat();
    for (const d of [...this.drafts, ...this.carriedDrafts, ...this.retoldDrafts, ...this.ledeDrafts]) d.undated = [];
    Object.assign(this, {
      drafts: [], carriedDrafts: [], retoldDrafts: [], ledeDrafts: [], undatedByKind: new Map(), undatedAt: new Map(), undatedCount: 0, withClauses: [],
      pending: [], ownDay: new Map(), nounDated: new Map(), index: new DraftIndex(), settled: new DraftIndex(), carried: new Set(), attached: new Map(),
    });
    this.sources.clear();
    this.order.clear();
    this.recent.clear();
    this.mentions.clear();
    this.sentences.length = 0;
    this.rebuilds++;
    this.add(sources, sentences, mentions);
  }

  /** The events of every report read so far, oldest first. */
  events(): StoryEvent[] {
    const drafts = [...this.drafts, ...this.carriedDrafts, ...this.retoldDrafts, ...this.ledeDrafts];
    // Undated sentences that joined by the best-of-report rule, then by a temporal clause.
    const joined = new Map<Draft, Telling[]>();
    for (const [draft, byReport] of this.attached) joined.set(draft, [...byReport.values()].map((a) => a.told));
    for (const { told, clauses } of this.withClauses) this.temporal(told, clauses, joined);
    return drafts
      .map((d) => {
        const undated = [...d.undated, ...(joined.get(d) ?? [])];
        const made = this.made.get(d);
        if (made && made.dated === d.dated.length && made.date === d.date && made.undated.length === undated.length && made.undated.every((t, i) => t === undated[i])) return made.event;
        const event = toEvent({ ...d, undated }, this.order);
        this.made.set(d, { dated: d.dated.length, undated, date: d.date, event });
        return event;
      })
      .sort(byDate);
  }

  /** An undated sentence whose time clause names a dated happening of the week before joins it (see attachTemporalClauses). */
  private temporal(told: Telling, clauses: readonly TemporalClause[], joined: Map<Draft, Telling[]>): void {
    const source = this.sources.get(told.sentence.sourceId);
    if (!source) return;
    const recent: DateRef = { text: '', precision: 'span', start: addDays(source.published, -RECENT_DAYS), end: source.published };
    for (const { kind, words, places } of clauses) {
      const draft = this.settled.withKind(kind).find(
        (d) => datesOverlap(d.date, recent) && this.settled.tellings(d, kind).some((t) => overlap(words, t.words) >= 0.5 && [...places].some((e) => t.entities.has(e))),
      );
      if (draft && !draft.undated.includes(told) && !(joined.get(draft) ?? []).includes(told)) {
        (joined.get(draft) ?? joined.set(draft, []).get(draft)!).push(told);
        break;
      }
    }
  }
}

/** The temporal clauses of an undated sentence that name a person or place (see attachTemporalClauses). */
function temporalClauses(told: Telling, mentions: readonly Mention[], named: ReadonlySet<string>): TemporalClause[] {
  const out: TemporalClause[] = [];
  for (const m of told.sentence.text.matchAll(TEMPORAL_CLAUSE)) {
    // The clause up to its first coordination; its happening told in its first words
    // ("as Kabul fell …", not "as president and fled …").
    const clause = (m[1] ?? '').split(/\s+(?:and|but|or)\s+/u)[0] ?? '';
    const kind = mainKind(eventKinds(clause.split(/\s+/u).slice(0, 5).join(' ')));
    if (!kind || kind === 'say') continue;
    const words = contentWords(clause);
    if (words.size < 2) continue;
    // The clause names where or whom it happened to ("as Kabul fell"): the event must too.
    const from = told.sentence.start + m.index + m[0].length - (m[1] ?? '').length;
    const places = new Set(
      mentionsWithin(mentions, told.sentence.sourceId, from, from + clause.length)
        .map((x) => x.entityId)
        .filter((e) => named.has(e)),
    );
    if (places.size === 0) continue;
    out.push({ kind, words, places });
  }
  return out;
}

/** What one sentence tells the timeline, before it is matched with other sentences. */
interface SentenceReading {
  /** A sentence with no date of its own, and whether it has no date at all (not even the speaker's "today"). */
  undated?: { told: Telling; noDate: boolean };
  /** Its dated tellings, in order. */
  tellings: Array<{ told: Telling; date: DateRef }>;
  /** Whether the sentence has exactly one date. */
  single: boolean;
  /** Its statement told without a date that names a noun ("Sunday's fall of Kabul"). */
  nounDated?: Telling;
}

/**
 * Readings kept per sentence: a sentence reads the same in every build as long as its report's
 * publication day and the entity mentions inside it are the same (the per-article results are
 * kept in memory between builds, so adding an article re-reads only its own sentences).
 */
const readings = new WeakMap<Sentence, { published: string; mentions: Mention[]; reading: SentenceReading | undefined }>();

/** A sentence's reading (see {@link SentenceReading}), or `undefined` when it names no happening. */
function readSentence(sentence: Sentence, source: Source, sourceMentions: readonly Mention[]): SentenceReading | undefined {
  // Every span a telling reads lies inside the sentence's text: only these mentions matter.
  const own = mentionsWithin(sourceMentions, sentence.sourceId, sentence.start, sentence.start + sentence.text.length);
  const kept = readings.get(sentence);
  if (kept && kept.published === source.published && kept.mentions.length === own.length && kept.mentions.every((m, i) => m === own[i])) return kept.reading;
  const reading = freshReading(sentence, source, own);
  readings.set(sentence, { published: source.published, mentions: own, reading });
  return reading;
}

function freshReading(sentence: Sentence, source: Source, own: Mention[]): SentenceReading | undefined {
  if (eventKinds(sentence.text).length === 0) return undefined;
  const found = findDates(sentence.text, source.published).filter((d) => !datelineDate(sentence.text, d));
  const dates = distinctDates(sentence.text, found.filter((d) => !speakersDay(sentence.text, d)));
  // Dated by the speaker's "today" alone, the sentence gives no day of its own: like an
  // undated one, it takes a date only from the sentences around it (see carryDates).
  if (dates.length === 0) {
    return { undated: { told: telling(sentence, 0, sentence.text.length, own), noDate: found.length === 0 }, tellings: [], single: false };
  }
  // A date inside a clause that describes someone dates that description only ("who fought
  // the Soviets in the 1980s"), never the statement the sentence reports.
  const describing = describingClauses(sentence.text);
  const windows = clauseWindows(sentence.text, dates).map((w, i): [number, number] => {
    const at = dates[i]?.index ?? -1;
    // "On the tenth anniversary of …, they did X": the anniversary dates the whole sentence.
    if (/anniversary of$/iu.test(dates[i]?.text ?? '')) return [0, sentence.text.length];
    const clause = describing.find(([from, to]) => at >= from && at < to);
    if (!clause) return w;
    const lead = /^[\s,]*/u.exec(sentence.text.slice(clause[0], clause[1]))?.[0].length ?? 0;
    return [clause[0] + lead, clause[1]];
  });
  // "Sunday's fall of Kabul" dates the fall, not what the sentence's subject did.
  const possessive = dates.length === 1 ? possessivePhrase(sentence.text, dates[0]!) : undefined;
  const nounDated = possessive ? telling(sentence, 0, sentence.text.length, own, possessive) : undefined;
  const relative = relativeClauses(sentence.text, source.published);
  const tellings: Array<{ told: Telling; date: DateRef }> = [];
  dates.forEach((d, i) => {
    const [from, to] = windows[i] ?? [0, sentence.text.length];
    // A clause dated from this one ("a day after they got trapped…") is its own happening,
    // on its own day; the rest of the window tells this date's happening.
    const rel: RelativeClause | undefined =
      d.precision === 'day' ? relative.find((r) => r.index >= from && r.index + r.length <= to) : undefined;
    const cut: [number, number] | undefined = rel ? [rel.index, rel.index + rel.length] : undefined;
    tellings.push({ told: telling(sentence, from, to, own, cut), date: toDateRef(d) });
    if (rel && cut) {
      const day = addDays(d.start, rel.offset);
      const text = sentence.text.slice(cut[0], cut[1]);
      tellings.push({ told: telling(sentence, cut[0], cut[1], own), date: { text, precision: 'day', start: day, end: day } });
    }
  });
  return { tellings, single: dates.length === 1, ...(nounDated ? { nounDated } : {}) };
}

/** How many sentences back a report's date still carries to an undated sentence. */
const CARRY_SENTENCES = 3;

/**
 * A report dates a happening once and goes on about it without repeating the date: "The two
 * sides held talks on Wednesday. The meeting took place in the provincial capital." An undated
 * sentence takes the date of the nearest dated sentence of the same report before it (at most
 * {@link CARRY_SENTENCES} sentences back, with no other dated sentence between) when it tells
 * the same kind of happening — or of the next sentence, when that one dates the same kind of
 * happening and the undated one opens the paragraph. It joins that event when it is the same
 * happening (for a death, the same person); otherwise ("another commander was also killed")
 * it is its own event on that day.
 *
 * @returns the tellings that took a date
 */
function carryDates(
  drafts: Draft[],
  pending: Telling[],
  sentences: readonly Sentence[],
  people: ReadonlySet<string>,
  named: ReadonlySet<string>,
): Set<Telling> {
  const carried = new Set<Telling>();
  const index = new Map<Sentence, number>();
  sentences.forEach((s, i) => index.set(s, i));
  const datedBy = new Map<Sentence, Array<{ draft: Draft; told: Telling }>>();
  for (const draft of drafts) for (const told of draft.dated) datedBy.set(told.sentence, [...(datedBy.get(told.sentence) ?? []), { draft, told }]);
  for (const told of pending) {
    // A sentence that opens with a quotation is the speaker's words, not the report's telling.
    if (/^\W*[“"‘]/u.test(told.sentence.text)) continue;
    const at = index.get(told.sentence);
    if (at === undefined) continue;
    const near: Array<{ draft: Draft; told: Telling }> = [];
    for (let i = at - 1; i >= Math.max(0, at - CARRY_SENTENCES); i--) {
      const s = sentences[i]!;
      if (s.sourceId !== told.sentence.sourceId) break;
      const dated = datedBy.get(s);
      if (dated) {
        near.push(...dated);
        break;
      }
    }
    // "A day earlier, …", "The next day …": counted from the day the report has just told.
    const shift = anaphoricDay(told.sentence.text);
    if (shift !== undefined) {
      const anchor = near.find(({ draft }) => draft.date.precision === 'day');
      if (anchor && eventKinds(told.sentence.text).length > 0) {
        const dayOf = addDays(anchor.draft.date.start, shift);
        drafts.push({ date: { text: ANAPHORIC_DAY.exec(told.sentence.text)?.[0].trim() ?? '', precision: 'day', start: dayOf, end: dayOf }, dated: [told], undated: [], carried: true });
        carried.add(told);
      }
      continue;
    }
    if (!told.kind) continue;
    const next = sentences[at + 1];
    const opensParagraph = at === 0 || sentences[at - 1]!.sourceId !== told.sentence.sourceId || sentences[at - 1]!.paragraph !== told.sentence.paragraph;
    if (near.length === 0 && next && next.sourceId === told.sentence.sourceId && opensParagraph) near.push(...(datedBy.get(next) ?? []));
    // Going on about it shows: "also", a definite "the talks" / "the attack", or the same names.
    const refersBack = (t: Telling): boolean =>
      /\balso\b/iu.test(told.sentence.text) ||
      kindMatches(told.sentence.text, told.kind!).some((k) => /\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+){0,3}$/iu.test(told.sentence.text.slice(0, k.index))) ||
      [...told.entities].some((e) => named.has(e) && t.entities.has(e));
    const match = near.find(({ told: t }) => t.kind !== undefined && eventKinds(t.text).includes(told.kind!) && refersBack(t));
    if (!match) continue;
    carried.add(told);
    if (sameVictim(match.told, told, people) && match.told.kind === told.kind) match.draft.undated.push(told);
    else drafts.push({ date: match.draft.date, dated: [{ ...told }], undated: [], carried: true });
  }
  return carried;
}



/** "as Kabul fell", "when the talks began": a clause that dates its sentence by a happening told elsewhere. */
const TEMPORAL_CLAUSE = /\b(?:as soon as|just as|as|when|while)\s+([^,;:.!?“”"]+)/giu;

/**
 * An undated sentence whose time clause names a dated happening of the week before ("Saleh
 * tweeted as Kabul fell to the militants") happened then: it joins that event. The clause must
 * name the person or place of the event ("as clashes were reported in Andarab" is not the
 * clashes in Panjshir).
 */
function attachTemporalClauses(
  drafts: Draft[],
  undated: Telling[],
  sources: Map<string, Source>,
  mentions: Map<string, Mention[]>,
  named: ReadonlySet<string>,
  index: DraftIndex,
): void {
  for (const told of undated) {
    const source = sources.get(told.sentence.sourceId);
    if (!source) continue;
    const recent: DateRef = { text: '', precision: 'span', start: addDays(source.published, -RECENT_DAYS), end: source.published };
    for (const { kind, words, places } of temporalClauses(told, mentions.get(told.sentence.sourceId) ?? [], named)) {
      // Only drafts with a dated telling of this kind can match; read in the order they were made.
      const draft = index.withKind(kind).find(
        (d) =>
          datesOverlap(d.date, recent) &&
          index.tellings(d, kind).some((t) => overlap(words, t.words) >= 0.5 && [...places].some((e) => t.entities.has(e))),
      );
      if (draft && !draft.undated.includes(told)) {
        draft.undated.push(told);
        break;
      }
    }
  }
}

/**
 * A report often tells the latest news without a date ("The Taliban has said their fighters
 * had surrounded…"). Such a sentence joins the recent event it best matches, once per source.
 */
function attachUndatedReports(
  drafts: Draft[],
  undated: Telling[],
  sources: Map<string, Source>,
  reporters: ReadonlySet<string>,
  people: ReadonlySet<string>,
  index: DraftIndex,
): void {
  const best = new Map<string, { draft: Draft; told: Telling; score: number }>();
  const first = firstActor(reporters);
  const position = new Map(drafts.map((d, i) => [d, i]));
  for (const told of undated) {
    const source = sources.get(told.sentence.sourceId);
    // A telling of no kind is the same happening as nothing (see sameHappening).
    if (!source || !told.kind) continue;
    const recent: DateRef = { text: '', precision: 'span', start: addDays(source.published, -RECENT_DAYS), end: source.published };
    // Only drafts with a dated telling of the same kind can score; read in the order they were made.
    for (const draft of index.withKind(told.kind)) {
      if (draft.carried || index.hasSource(draft, told.sentence.sourceId)) continue;
      if (!datesOverlap(draft.date, recent)) continue;
      // An undated sentence is only taken for a dated event told of the same actor: "He did not
      // comment on claims…" or another party's capture of the same districts corroborates nothing.
      let score = 0;
      for (const t of index.tellings(draft, told.kind)) {
        if (sameActor(t, told, first) && sameVictim(t, told, people)) score = Math.max(score, sameHappening(t, told));
      }
      const key = `${position.get(draft)!}|${told.sentence.sourceId}`;
      if (score > 0 && score > (best.get(key)?.score ?? 0)) best.set(key, { draft, told, score });
    }
  }
  for (const { draft, told } of best.values()) draft.undated.push(told);
}

/**
 * Drafts by the kinds of happening their dated tellings tell, kept in the order the drafts were
 * made, so a search for "the first draft that matches" reads only drafts that can match and
 * finds the same one a scan of every draft would.
 */
class DraftIndex {
  private readonly order = new Map<Draft, number>();
  private readonly byKind = new Map<string, Draft[]>();
  private readonly kinds = new Map<Draft, Map<string, Telling[]>>();
  private readonly sentences = new Map<Draft, Set<Sentence>>();
  private readonly sources = new Map<Draft, Set<string>>();

  /** Give a draft its place in the order before it is first seen (otherwise it goes after every draft seen). */
  place(draft: Draft, at: number): void {
    if (!this.order.has(draft)) this.order.set(draft, at);
  }

  /** Record that `told` is a dated telling of `draft` (a draft is numbered when first seen). */
  add(draft: Draft, told: Telling): void {
    if (!this.order.has(draft)) this.order.set(draft, this.order.size);
    (this.sentences.get(draft) ?? this.sentences.set(draft, new Set()).get(draft)!).add(told.sentence);
    (this.sources.get(draft) ?? this.sources.set(draft, new Set()).get(draft)!).add(told.sentence.sourceId);
    if (!told.kind) return;
    const kinds = this.kinds.get(draft) ?? this.kinds.set(draft, new Map()).get(draft)!;
    const same = kinds.get(told.kind);
    if (same) {
      same.push(told);
      return;
    }
    kinds.set(told.kind, [told]);
    const list = this.byKind.get(told.kind) ?? this.byKind.set(told.kind, []).get(told.kind)!;
    // Insert in the order drafts were made (an older draft may take a new kind late).
    const at = this.order.get(draft)!;
    let i = list.length;
    while (i > 0 && this.order.get(list[i - 1]!)! > at) i--;
    list.splice(i, 0, draft);
  }

  /** The draft's place in the order. */
  position(draft: Draft): number {
    return this.order.get(draft) ?? Infinity;
  }

  /** Drafts with a dated telling of `kind`, oldest first. */
  withKind(kind: string): readonly Draft[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The draft's dated tellings of `kind`, in the order they joined. */
  tellings(draft: Draft, kind: string): readonly Telling[] {
    return this.kinds.get(draft)?.get(kind) ?? [];
  }

  hasSentence(draft: Draft, sentence: Sentence): boolean {
    return this.sentences.get(draft)?.has(sentence) ?? false;
  }

  hasSource(draft: Draft, sourceId: string): boolean {
    return this.sources.get(draft)?.has(sourceId) ?? false;
  }
}

function toEvent(draft: Draft, order: ReadonlyMap<string, number>): StoryEvent {
  // The shortest dated telling reads best on a timeline; every telling stays cited.
  const text = [...draft.dated].sort((a, b) => a.text.length - b.text.length)[0]?.text ?? '';
  const tellings = [...draft.dated, ...draft.undated].sort(
    (a, b) => (order.get(a.sentence.sourceId) ?? 0) - (order.get(b.sentence.sourceId) ?? 0) || a.sentence.start - b.sentence.start,
  );
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const t of tellings) {
    const key = `${t.sentence.start}\u0000${t.sentence.sourceId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push(citationOf(t.sentence));
  }
  const entities = new Set<string>();
  for (const t of tellings) for (const e of t.entities) entities.add(e);
  return {
    id: `event-${draft.date.start}-${shortHash(`${draft.date.start}|${text}`)}`,
    date: draft.date,
    text,
    entities: [...entities],
    citations,
  };
}

/** Each date's span in days, worked out once per date object (a sort compares each event many times). */
const spans = new WeakMap<DateRef, number>();
function span(date: DateRef): number {
  let days = spans.get(date);
  if (days === undefined) spans.set(date, (days = spanDays(date)));
  return days;
}

function byDate(a: StoryEvent, b: StoryEvent): number {
  if (a.date.start !== b.date.start) return a.date.start < b.date.start ? -1 : 1;
  // Same first day: the wider period first ("2001" before "11 Sep 2001").
  const width = span(b.date) - span(a.date);
  if (width !== 0) return width;
  return a.text.localeCompare(b.text);
}
