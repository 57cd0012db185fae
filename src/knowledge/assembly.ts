/**
 * The story-wide stages ({@link assembleKnowledge} in build.ts) with their state kept between
 * builds. A live story grows at its end: a newly fetched article is the latest, so it sorts
 * after every other in the build's canonical order. For such an article the kept state is
 * extended in place — its sentences, mentions and passages appended, its mentions added to
 * their entities, its quotes and facts carried on through the same greedy corroboration pass,
 * only the merged quotes it joined re-worded, its candidate names added — and the result is
 * exactly the knowledge base the whole-story build gives for the longer list (same items, ids
 * and order). Anything else (an article that sorts earlier, one that left or changed, another
 * registry or story, a new unregistered speaker's spelling) builds the whole story again.
 *
 * The analysis stages keep their state the same way ({@link KeptEvents}, {@link KeptClaims},
 * {@link KeptConflicts}); an added article that narrows an earlier event's date makes the
 * timeline read the whole story again (same result, the whole story's cost).
 */
import type { ArticleKnowledge } from './article-knowledge.js';
import type { StoryMeta } from './build.js';
import { KeptClaims } from './claims.js';
import { KeptConflicts } from './conflicts.js';
import { Corroboration, FACT_SIMILARITY_THRESHOLD, QUOTE_SIMILARITY_THRESHOLD, type CorroborateOptions } from './corroborate.js';
import { KeptEvents } from './events.js';
import { addCandidateNames, clusterCandidates } from './mentions.js';
import type { Citation, DateRef, Entity, EntityCandidate, Fact, KnowledgeBase, Quote, Source } from './model.js';
import { ProvisionalSpeakers } from './provisional.js';
import { citationKey, preferredWording } from './quote-wording.js';
import type { QuotedPassage } from './quotes.js';
import { resolveEvidence, type Registry } from './registry.js';
import type { Mention, Sentence } from './sentence.js';
import { contentTokens } from './text-similarity.js';

/** The knowledge base and the intermediate units it was built from (for analysis and review). */
export interface KnowledgeTrace {
  kb: KnowledgeBase;
  sentences: Sentence[];
  mentions: Mention[];
  /** Every passage in quotation marks, with its kind (speech, title, term). */
  passages: QuotedPassage[];
}

function withEarlierDate<T extends { date?: DateRef }>(kept: T, other: T): T {
  return kept.date || !other.date ? kept : { ...kept, date: other.date };
}

/** A quote reported by two outlets: the more specific "how" wins ("tweeted" over "said"). */
function fillQuote(kept: Quote, other: Quote): Quote {
  const dated = withEarlierDate(kept, other);
  const mode = (!dated.mode || dated.mode === 'said') && other.mode ? other.mode : dated.mode;
  return {
    ...dated,
    ...(mode ? { mode } : {}),
    ...(!dated.context && other.context ? { context: other.context } : {}),
    ...(!dated.speakerText && other.speakerText ? { speakerText: other.speakerText } : {}),
  };
}

const QUOTE_OPTIONS: CorroborateOptions<Quote> = { threshold: QUOTE_SIMILARITY_THRESHOLD, sameSpeaker: true, fill: fillQuote };
const FACT_OPTIONS: CorroborateOptions<Fact> = {
  threshold: FACT_SIMILARITY_THRESHOLD,
  sameSpeaker: false,
  fill: withEarlierDate,
  // A caption describes a photo; it does not corroborate a report's sentence, nor the reverse.
  compatible: (a: Fact, b: Fact) => a.rank === b.rank,
};

/** How often each content word occurs in the items' texts (the prefix filter's word order). */
function frequencies(items: ReadonlyArray<{ text: string }>): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const item of items) for (const token of contentTokens(item.text)) frequency.set(token, (frequency.get(token) ?? 0) + 1);
  return frequency;
}

const mentionOf = (m: Mention): Citation => ({ sourceId: m.sourceId, start: m.start, end: m.end, text: m.text });

function entitiesOf(registry: Registry, sources: readonly Source[], mentions: readonly Mention[]): Entity[] {
  const raws = new Map(sources.map((s) => [s.id, s.raw]));
  const byEntity = new Map<string, Mention[]>();
  for (const m of mentions) {
    const list = byEntity.get(m.entityId);
    if (list) list.push(m);
    else byEntity.set(m.entityId, [m]);
  }
  return registry.entities.map((e) => ({
    id: e.id,
    type: e.type,
    label: e.label,
    aliases: e.aliases,
    ...(e.role ? { role: e.role } : {}),
    description: e.description,
    descriptionCitation: resolveEvidence(e.evidence, raws, { file: registry.file, entityId: e.id, field: 'evidence' }),
    links: e.links.map((link, i) => ({
      relation: link.relation,
      target: link.target,
      citation: resolveEvidence(link.evidence, raws, { file: registry.file, entityId: e.id, field: `links.${i}.evidence` }),
    })),
    mentions: (byEntity.get(e.id) ?? []).map(mentionOf),
  }));
}

/**
 * The story-wide stages' state after one build, able to take one more article that sorts last.
 * Made by {@link KeptAssembly.build} (the whole story); {@link KeptAssembly.append} extends it.
 */
export class KeptAssembly {
  private readonly sources: Source[];
  private readonly sentences: Sentence[];
  private readonly mentions: Mention[];
  private readonly passages: QuotedPassage[];
  private entities: Entity[];
  private readonly entityIndex: Map<string, number>;
  private readonly provisional: ProvisionalSpeakers;
  private readonly drafts: Map<string, Quote>;
  private readonly sourceOf: Map<string, Source>;
  private readonly quoteMerge: Corroboration<Quote>;
  private worded: Quote[];
  private readonly factMerge: Corroboration<Fact>;
  /** Where each report's facts went: the merged fact's index and the report's citations in it, in merged order. */
  private readonly factsBySource = new Map<string, Array<{ at: number; citations: Citation[] }>>();
  private readonly names = new Map<string, EntityCandidate>();
  private readonly claims: KeptClaims;
  private readonly conflicts: KeptConflicts;
  private readonly timeline: KeptEvents;
  private current: KnowledgeTrace;

  private constructor(
    private readonly story: StoryMeta,
    private readonly units: ArticleKnowledge[],
    registry: Registry,
  ) {
    this.sources = units.map((u) => u.source);
    this.sentences = units.flatMap((u) => u.sentences);
    this.mentions = units.flatMap((u) => u.mentions);
    this.passages = units.flatMap((u) => u.passages);
    this.entities = entitiesOf(registry, this.sources, this.mentions);
    this.entityIndex = new Map(this.entities.map((e, i) => [e.id, i]));

    // Speakers named but not in the registry get a provisional entity before quotes merge.
    this.provisional = new ProvisionalSpeakers(
      units.flatMap((u) => u.quotes),
      this.sources,
      new Set(this.entities.map((e) => e.id)),
    );
    const quotes = this.provisional.quotes;
    this.quoteMerge = new Corroboration(QUOTE_OPTIONS, frequencies(quotes));
    for (const q of quotes) this.quoteMerge.add(q);
    // Each merged quote shows its fullest, untranslated wording first.
    this.drafts = new Map(quotes.flatMap((d) => d.citations.map((c) => [citationKey(c), d] as const)));
    this.sourceOf = new Map(this.sources.map((s) => [s.id, s]));
    this.worded = this.quoteMerge.merged.map((q) => preferredWording(q, this.drafts, this.sourceOf));

    const facts = units.flatMap((u) => u.facts);
    this.factMerge = new Corroboration(FACT_OPTIONS, frequencies(facts));
    for (const unit of units) this.addFacts(unit.facts);

    for (const unit of units) addCandidateNames(this.names, unit.names);
    this.claims = new KeptClaims(this.entities);
    this.claims.add(this.sources, this.sentences, this.mentions);
    this.conflicts = new KeptConflicts(this.entities);
    this.conflicts.add(this.sources, this.sentences, this.mentions);
    this.timeline = new KeptEvents(this.entities);
    this.timeline.add(this.sources, this.sentences, this.mentions);
    this.current = this.analyse();
  }

  /**
   * The whole-story build of `units` (per-article results in canonical order).
   *
   * @throws RegistryError when registry evidence is not found in the named article
   */
  static build(story: StoryMeta, registry: Registry, units: readonly ArticleKnowledge[]): KeptAssembly {
    return new KeptAssembly(story, [...units], registry);
  }

  /** The knowledge base of the articles so far. */
  get trace(): KnowledgeTrace {
    return this.current;
  }

  /** The per-article results the state was built from, in canonical order. */
  get articles(): readonly ArticleKnowledge[] {
    return this.units;
  }

  /**
   * Add one article that sorts after every article so far. Returns `false` when it cannot be
   * added in place (see the module comment); the state is then unusable and the caller builds
   * the whole story.
   */
  append(unit: ArticleKnowledge): boolean {
    this.sourceOf.set(unit.source.id, unit.source);
    if (!this.provisional.append(unit.quotes, unit.source)) return false;
    this.units.push(unit);
    this.sources.push(unit.source);
    for (const s of unit.sentences) this.sentences.push(s);
    for (const m of unit.mentions) this.mentions.push(m);
    for (const p of unit.passages) this.passages.push(p);

    // Its mentions join their entities' lists (it is the last source, so they go last).
    const added = new Map<number, Citation[]>();
    for (const m of unit.mentions) {
      const at = this.entityIndex.get(m.entityId);
      if (at === undefined) continue;
      (added.get(at) ?? added.set(at, []).get(at)!).push(mentionOf(m));
    }
    if (added.size > 0) {
      this.entities = this.entities.map((e, i) => {
        const more = added.get(i);
        return more ? { ...e, mentions: [...e.mentions, ...more] } : e;
      });
    }

    const fresh = this.provisional.quotes.slice(this.provisional.quotes.length - unit.quotes.length);
    for (const d of fresh) for (const c of d.citations) this.drafts.set(citationKey(c), d);
    const touched = new Set<number>();
    for (const q of fresh) touched.add(this.quoteMerge.add(q));
    const merged = this.quoteMerge.merged;
    this.worded = this.worded.slice();
    for (const at of [...touched].sort((a, b) => a - b)) this.worded[at] = preferredWording(merged[at] as Quote, this.drafts, this.sourceOf);

    this.addFacts(unit.facts);
    addCandidateNames(this.names, unit.names);
    this.claims.add([unit.source], unit.sentences, unit.mentions);
    this.conflicts.add([unit.source], unit.sentences, unit.mentions);
    this.timeline.add([unit.source], unit.sentences, unit.mentions);
    this.current = this.analyse();
    return true;
  }

  /** One article's facts through corroboration; where each went is kept by report (for the conflicts' facts). */
  private addFacts(facts: readonly Fact[]): void {
    const touched = new Set<string>();
    for (const f of facts) {
      const at = this.factMerge.add(f);
      // A merged fact holds one item per report (corroboration never joins two of one report).
      const own = new Map<string, Citation[]>();
      for (const c of f.citations) (own.get(c.sourceId) ?? own.set(c.sourceId, []).get(c.sourceId)!).push(c);
      for (const [id, citations] of own) {
        (this.factsBySource.get(id) ?? this.factsBySource.set(id, []).get(id)!).push({ at, citations });
        touched.add(id);
      }
    }
    for (const id of touched) this.factsBySource.get(id)!.sort((a, b) => a.at - b.at);
  }

  /** The analysis stages over the state, and the knowledge base. */
  private analyse(): KnowledgeTrace {
    const sources = [...this.sources];
    const corroboratedFacts = [...this.factMerge.merged];
    const quotes = [...this.worded];
    // Story analysis (timeline, contested claims, contradictions), each stage's state kept.
    const events = this.timeline.events();
    const claims = this.claims.claims();
    const { conflicts, factConflicts } = this.conflicts.result(claims, (id) =>
      (this.factsBySource.get(id) ?? []).map(({ at, citations }) => ({ fact: corroboratedFacts[at] as Fact, citations })),
    );
    const facts = corroboratedFacts.map((f) => ({ ...f, conflicts: factConflicts.get(f.id) ?? [] }));
    const candidates = clusterCandidates(this.names);
    const story = this.story;
    const kb: KnowledgeBase = {
      story: { id: story.id, title: story.title, ...(story.description ? { description: story.description } : {}) },
      sources,
      entities: [...this.entities, ...this.provisional.entities],
      facts,
      quotes,
      events,
      claims,
      conflicts,
      candidates,
    };
    // The units' lists are copied only when read (the refresh path reads only the knowledge base).
    const lists = { sentences: this.sentences.length, mentions: this.mentions.length, passages: this.passages.length };
    const copies: Partial<Omit<KnowledgeTrace, 'kb'>> = {};
    const [sentences, mentions, passages] = [this.sentences, this.mentions, this.passages];
    return {
      kb,
      get sentences() {
        return (copies.sentences ??= sentences.slice(0, lists.sentences));
      },
      get mentions() {
        return (copies.mentions ??= mentions.slice(0, lists.mentions));
      },
      get passages() {
        return (copies.passages ??= passages.slice(0, lists.passages));
      },
    };
  }
}
