/**
 * Provisional speakers: people the articles quote by name whom the registry does not know
 * yet. Each becomes an entity "<name> (not yet in the registry)" with every spelling the
 * sources use folded together (Motaqi, Muttaqi), so `/quote <surname>` finds their words and
 * an editor sees whom to add. Unnamed speakers ("a Taliban commander") stay descriptions.
 */
import type { Citation, Entity, EntityId, Quote, Source } from './model.js';
import { fold } from './text.js';

/** Words of a speaker phrase that are titles or descriptions, not the name. */
const TITLE_WORDS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'mullah', 'mawlawi', 'maulvi', 'maulana', 'sheikh', 'haji', 'hajji', 'gen', 'general', 'maj', 'major',
  'lt', 'col', 'colonel', 'capt', 'captain', 'commander', 'marshal', 'president', 'vice', 'first', 'former', 'minister',
  'spokesman', 'spokeswoman', 'spokesperson', 'leader', 'chief', 'senior', 'deputy', 'acting', 'foreign', 'defence', 'defense',
  'prime', 'secretary', 'ambassador', 'envoy', 'governor', 'sir', 'lord', 'the', 'a', 'an',
]);

/** Words that make a capitalised phrase an organisation, outlet or place rather than a person. */
const NOT_A_PERSON =
  /\b(news|agency|ministry|front|council|channel|tv|television|radio|media|times|post|press|daily|network|government|army|forces|party|movement|alliance|office|department|committee|commission|union|nations|republic|emirate|province|valley|district|city|sources|officials|residents)\b/iu;

const NAME_TOKEN = /^(?:\p{Lu}[\p{L}'’-]*\.?|(?:al|bin|ibn|de|van|von)-?)$/u;

/** The folded name words of a name, titles left out ("Maj. Gen. Babar Iftikhar" → babar iftikhar). */
export function nameWords(name: string): string[] {
  return fold(name)
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((w) => w.replace(/^['-]+|['-]+$/gu, ''))
    .filter((w) => w.length > 0 && !TITLE_WORDS.has(w));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** One name word in two transliterations (Motaqi / Muttaqi, Dashti / Dashty): two edits in 5+ letters. */
function sameWord(a: string, b: string): boolean {
  return a === b || (Math.min(a.length, b.length) >= 5 && editDistance(a, b) <= 2);
}

/** Two spellings of one person's name: the same surname, and the words of one among the other's. */
export function samePersonName(a: string, b: string): boolean {
  const wa = nameWords(a);
  const wb = nameWords(b);
  const lastA = wa[wa.length - 1];
  const lastB = wb[wb.length - 1];
  if (!lastA || !lastB || !sameWord(lastA, lastB)) return false;
  const within = (x: string[], y: string[]): boolean => x.every((w) => y.some((v) => sameWord(w, v)));
  return within(wa, wb) || within(wb, wa);
}

/** Full names (two or more capitalised words) written in a source's report, in reading order. */
function fullNamesIn(source: Source): string[] {
  const names: string[] = [];
  for (const paragraph of source.body) {
    for (const m of paragraph.text.matchAll(/\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)+/gu)) {
      const words = m[0].split(/\s+/u).filter((w) => !TITLE_WORDS.has(fold(w)));
      if (words.length >= 2 && !NOT_A_PERSON.test(m[0])) names.push(words.join(' '));
    }
  }
  return names;
}

/**
 * The person's name in a speaker phrase, if it names one: "Enamullah Samangani, the group's
 * cultural commission member" → "Enamullah Samangani"; "Pakistan military spokesperson Maj. Gen.
 * Babar Iftikhar" → "Babar Iftikhar"; "Dashti" → "Fahim Dashti" when the source names him in
 * full; "Mustafa, a Kabul resident" → "Mustafa". Descriptions ("local media") give none.
 */
export function personNameIn(phrase: string, source: Source): { name: string; spelled: string } | undefined {
  const [head = '', ...apposition] = phrase.split(/,\s*/u);
  const tokens = head.trim().split(/\s+/u);
  let run: string[] = [];
  let last: string[] = [];
  for (const token of tokens) {
    const bare = token.replace(/['’]s$/u, '');
    if (NAME_TOKEN.test(bare) && !TITLE_WORDS.has(fold(bare).replace(/\.$/u, ''))) run.push(bare);
    else {
      if (run.length > 0) last = run;
      run = [];
    }
  }
  if (run.length > 0) last = run;
  // The name closes the phrase ("Panjshiri politician Abdul" has none: "Abdul" alone is not one).
  if (last.length === 0 || last[last.length - 1] !== tokens[tokens.length - 1]?.replace(/['’]s$/u, '')) return undefined;
  const name = last.join(' ');
  if (NOT_A_PERSON.test(name) || /^\p{Lu}{2,}$/u.test(name)) return undefined;
  if (last.length >= 2) return { name, spelled: name };
  const full = fullNamesIn(source).find((n) => samePersonName(n, name));
  if (full) return { name: full, spelled: name };
  // "Mustafa, a Kabul resident": a single name introduced with who he is.
  const introduced =
    (apposition.length > 0 && /^(?:a|an)\s/iu.test(apposition[0] ?? '')) ||
    source.body.some((p) => new RegExp(`(^|[^\\p{L}])${name}, (?:a|an) `, 'u').test(p.text));
  return introduced ? { name, spelled: name } : undefined;
}

const kebab = (s: string): string =>
  fold(s)
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');

/**
 * Gives every quote whose speaker is named but unknown to the registry a provisional
 * entity, clustering spellings across sources; returns the quotes and the new entities.
 * Deterministic: clusters are built from the names sorted, whatever order sources came in.
 */
export function provisionalSpeakers(
  quotes: readonly Quote[],
  sources: readonly Source[],
  registered: ReadonlySet<EntityId>,
): { quotes: Quote[]; entities: Entity[] } {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const named = quotes.map((q) => {
    const citation = q.citations[0];
    const source = citation ? byId.get(citation.sourceId) : undefined;
    if (q.speakerId !== null || !q.speakerText || !source) return undefined;
    const found = personNameIn(q.speakerText, source);
    return found ? { ...found, source } : undefined;
  });

  const spellings = [...new Set(named.flatMap((n) => (n ? [n.name] : [])))].sort(
    (a, b) => nameWords(b).length - nameWords(a).length || a.localeCompare(b),
  );
  const clusters: string[][] = [];
  for (const spelling of spellings) {
    const cluster = clusters.find((c) => c.some((n) => samePersonName(n, spelling)));
    if (cluster) cluster.push(spelling);
    else clusters.push([spelling]);
  }

  const entities: Entity[] = [];
  const idOf = new Map<string, EntityId>();
  for (const cluster of clusters) {
    const canonical = cluster[0] ?? '';
    let id = `unregistered-${kebab(canonical)}`;
    while (registered.has(id) || entities.some((e) => e.id === id)) id = `${id}-x`;
    const mentions: Citation[] = [];
    // Where the report names them; failing that, the credit line of their block quote
    // (a pull quote's "Name, description" line is page furniture, yet it names the speaker).
    for (const inBody of [true, false]) {
      for (const source of sources) {
        for (const spelling of cluster) {
          for (let at = source.raw.indexOf(spelling); at !== -1; at = source.raw.indexOf(spelling, at + spelling.length)) {
            if (source.body.some((p) => p.start <= at && at < p.end) === inBody) mentions.push({ sourceId: source.id, start: at, end: at + spelling.length, text: spelling });
          }
        }
      }
      if (mentions.length > 0) break;
    }
    // Sources come in the build's canonical order: keep it, so arrival order changes nothing.
    const rank = new Map(sources.map((src, i) => [src.id, i]));
    mentions.sort((a, b) => (rank.get(a.sourceId) ?? 0) - (rank.get(b.sourceId) ?? 0) || a.start - b.start);
    const first = mentions[0];
    if (!first) continue;
    const surnames = [...new Set(cluster.map((n) => n.split(/\s+/u).pop() ?? n))];
    const spelled = named.flatMap((n) => (n && cluster.includes(n.name) ? [n.spelled] : []));
    entities.push({
      id,
      type: 'person',
      label: `${canonical} (not yet in the registry)`,
      aliases: [...new Set([...cluster, ...surnames, ...spelled])],
      description: `Quoted by name in ${[...new Set(mentions.map((m) => byId.get(m.sourceId)?.outlet ?? m.sourceId))].join(', ')}; not yet in the registry`,
      descriptionCitation: first,
      links: [],
      mentions,
      provisional: true,
    });
    for (const spelling of cluster) idOf.set(spelling, id);
  }

  const out = quotes.map((q, i) => {
    const n = named[i];
    const id = n ? idOf.get(n.name) : undefined;
    return id && entities.some((e) => e.id === id) ? { ...q, speakerId: id, entities: [...new Set([id, ...q.entities])] } : q;
  });
  return { quotes: out, entities };
}

/** One cluster of spellings and where the sources name it, in the build's canonical order. */
interface KeptCluster {
  spellings: string[];
  /** Where report bodies name them. */
  body: Citation[];
  /** Where they are named outside the bodies (a pull quote's credit line). */
  credit: Citation[];
  /** The spellings of the speaker phrases, in quote order. */
  spelled: string[];
  /** The entity's id when it has one (a cluster named nowhere gives none). */
  id?: EntityId;
}

/** A spelling's occurrences in one source, split into the body's and the rest, by position. */
function occurrences(source: Source, spellings: readonly string[]): { body: Citation[]; credit: Citation[] } {
  const body: Citation[] = [];
  const credit: Citation[] = [];
  for (const spelling of spellings) {
    for (let at = source.raw.indexOf(spelling); at !== -1; at = source.raw.indexOf(spelling, at + spelling.length)) {
      const citation = { sourceId: source.id, start: at, end: at + spelling.length, text: spelling };
      (source.body.some((p) => p.start <= at && at < p.end) ? body : credit).push(citation);
    }
  }
  // Stable: on one position the cluster's spelling order, as in the whole-story pass.
  body.sort((a, b) => a.start - b.start);
  credit.sort((a, b) => a.start - b.start);
  return { body, credit };
}

/**
 * {@link provisionalSpeakers} kept between builds, for a story growing at its end (each added
 * source sorts after every other): {@link ProvisionalSpeakers.append} gives, for the quotes and
 * sources so far, exactly what {@link provisionalSpeakers} gives over all of them — or refuses
 * (returns `undefined`) when the new source would change the clusters (a new spelling, or a
 * cluster named for the first time), which changes earlier quotes' speakers: the caller then
 * builds the whole story.
 */
export class ProvisionalSpeakers {
  private readonly clusters: KeptCluster[];
  private readonly clusterOf = new Map<string, KeptCluster>();
  private readonly byId = new Map<string, Source>();
  private readonly sourceList: Source[];
  private entityList: Entity[];
  private quoteList: Quote[];

  /** The state after {@link provisionalSpeakers} over `quotes` and `sources` (the same result, with what made it kept). */
  constructor(
    quotes: readonly Quote[],
    sources: readonly Source[],
    private readonly registered: ReadonlySet<EntityId>,
  ) {
    this.sourceList = [...sources];
    for (const s of sources) this.byId.set(s.id, s);
    const named = quotes.map((q) => this.nameOf(q));
    this.clusters = ProvisionalSpeakers.cluster(new Set(named.flatMap((n) => (n ? [n.name] : [])))).map((spellings) => ({ spellings, body: [], credit: [], spelled: [] }));
    for (const cluster of this.clusters) for (const spelling of cluster.spellings) this.clusterOf.set(spelling, cluster);
    for (const n of named) if (n) this.clusterOf.get(n.name)?.spelled.push(n.spelled);
    for (const source of sources) this.addOccurrences(source);
    // Ids in cluster order; a cluster named nowhere gives no entity.
    const ids = new Set<EntityId>();
    this.entityList = [];
    for (const cluster of this.clusters) {
      if (cluster.body.length === 0 && cluster.credit.length === 0) continue;
      let id = `unregistered-${kebab(cluster.spellings[0] ?? '')}`;
      while (registered.has(id) || ids.has(id)) id = `${id}-x`;
      ids.add(id);
      cluster.id = id;
      this.entityList.push(this.entityOf(cluster, id));
    }
    this.quoteList = quotes.map((q, i) => {
      const n = named[i];
      const id = n ? this.clusterOf.get(n.name)?.id : undefined;
      return id ? { ...q, speakerId: id, entities: [...new Set([id, ...q.entities])] } : q;
    });
  }

  get quotes(): readonly Quote[] {
    return this.quoteList;
  }

  get entities(): readonly Entity[] {
    return this.entityList;
  }

  private nameOf(q: Quote): { name: string; spelled: string } | undefined {
    const citation = q.citations[0];
    const source = citation ? this.byId.get(citation.sourceId) : undefined;
    if (q.speakerId !== null || !q.speakerText || !source) return undefined;
    return personNameIn(q.speakerText, source);
  }

  private addOccurrences(source: Source): Set<KeptCluster> {
    const grown = new Set<KeptCluster>();
    for (const cluster of this.clusters) {
      const { body, credit } = occurrences(source, cluster.spellings);
      if (body.length > 0 || credit.length > 0) grown.add(cluster);
      cluster.body.push(...body);
      cluster.credit.push(...credit);
    }
    return grown;
  }

  /** The cluster's entity as {@link provisionalSpeakers} makes it (the same fields, in the same order). */
  private entityOf(cluster: KeptCluster, id: EntityId): Entity {
    const mentions = cluster.body.length > 0 ? cluster.body : cluster.credit;
    const canonical = cluster.spellings[0] ?? '';
    const surnames = [...new Set(cluster.spellings.map((n) => n.split(/\s+/u).pop() ?? n))];
    return {
      id,
      type: 'person',
      label: `${canonical} (not yet in the registry)`,
      aliases: [...new Set([...cluster.spellings, ...surnames, ...cluster.spelled])],
      description: `Quoted by name in ${[...new Set(mentions.map((m) => this.byId.get(m.sourceId)?.outlet ?? m.sourceId))].join(', ')}; not yet in the registry`,
      descriptionCitation: mentions[0] as Citation,
      links: [],
      mentions: [...mentions],
      provisional: true,
    };
  }

  /** Clusters of `spellings` as {@link provisionalSpeakers} makes them (sorted, then greedy). */
  private static cluster(spellings: Iterable<string>): string[][] {
    const sorted = [...spellings].sort((a, b) => nameWords(b).length - nameWords(a).length || a.localeCompare(b));
    const clusters: string[][] = [];
    for (const spelling of sorted) {
      const cluster = clusters.find((c) => c.some((n) => samePersonName(n, spelling)));
      if (cluster) cluster.push(spelling);
      else clusters.push([spelling]);
    }
    return clusters;
  }

  /**
   * Spellings met for the first time: clustered again with the known ones. In place only when
   * every known cluster stays as it was (same spellings, same id) and the new spellings make
   * clusters of their own; those are looked for in every source. Returns whether it could.
   */
  private addSpellings(spellings: ReadonlySet<string>): boolean {
    const clusters = ProvisionalSpeakers.cluster([...this.clusterOf.keys(), ...spellings]);
    const next: KeptCluster[] = [];
    for (const members of clusters) {
      const known = members.map((m) => this.clusterOf.get(m)).filter((c): c is KeptCluster => c !== undefined);
      if (known.length === 0) {
        const fresh: KeptCluster = { spellings: members, body: [], credit: [], spelled: [] };
        for (const source of this.sourceList) {
          const found = occurrences(source, members);
          fresh.body.push(...found.body);
          fresh.credit.push(...found.credit);
        }
        next.push(fresh);
        continue;
      }
      const cluster = known[0] as KeptCluster;
      if (known.length !== members.length || cluster.spellings.length !== members.length || cluster.spellings.some((m, i) => members[i] !== m)) return false;
      next.push(cluster);
    }
    // Ids in cluster order, as the whole-story pass gives them: the known ones must not move.
    const ids = new Set<EntityId>();
    for (const cluster of next) {
      if (cluster.body.length === 0 && cluster.credit.length === 0) continue;
      let id = `unregistered-${kebab(cluster.spellings[0] ?? '')}`;
      while (this.registered.has(id) || ids.has(id)) id = `${id}-x`;
      ids.add(id);
      if (cluster.id !== undefined && cluster.id !== id) return false;
      if (cluster.id === undefined && this.clusters.includes(cluster)) return false;
      cluster.id = id;
    }
    this.clusters.splice(0, this.clusters.length, ...next);
    for (const cluster of next) for (const spelling of cluster.spellings) this.clusterOf.set(spelling, cluster);
    return true;
  }

  /**
   * Add a source that sorts after every source so far, with its quotes (in order). Returns
   * `false` when it cannot be added in place (the state is then unusable): when it changes the
   * clusters of known spellings or names a cluster named nowhere before, which changes earlier
   * quotes' speakers.
   */
  append(quotes: readonly Quote[], source: Source): boolean {
    const known = new Set(this.clusters);
    const grown = this.addOccurrences(source);
    this.byId.set(source.id, source);
    this.sourceList.push(source);
    const named = quotes.map((q) => this.nameOf(q));
    const unknown = new Set(named.flatMap((n) => (n && !this.clusterOf.has(n.name) ? [n.name] : [])));
    // A known cluster named for the first time becomes an entity: earlier quotes change speaker.
    if (this.clusters.some((c) => c.id === undefined && (c.body.length > 0 || c.credit.length > 0))) return false;
    if (unknown.size > 0 && !this.addSpellings(unknown)) return false;
    for (const n of named) if (n) this.clusterOf.get(n.name)?.spelled.push(n.spelled);
    const previous = new Map(this.entityList.map((e) => [e.id, e]));
    const entities: Entity[] = [];
    for (const cluster of this.clusters) {
      if (cluster.id === undefined) continue;
      const before = previous.get(cluster.id);
      const same = before !== undefined && known.has(cluster) && !grown.has(cluster) && !named.some((n) => n && cluster.spellings.includes(n.name));
      entities.push(same ? before : this.entityOf(cluster, cluster.id));
    }
    this.entityList = entities;
    const fresh = quotes.map((q, i) => {
      const n = named[i];
      const id = n ? this.clusterOf.get(n.name)?.id : undefined;
      return id ? { ...q, speakerId: id, entities: [...new Set([id, ...q.entities])] } : q;
    });
    this.quoteList = [...this.quoteList, ...fresh];
    return true;
  }
}
