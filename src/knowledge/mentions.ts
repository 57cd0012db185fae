/**
 * Entity mentions: where registry entities are named in the sentences, matched on their
 * label and aliases (case- and accent-insensitive, longest match first, possessives allowed),
 * with context rules for a name two entities share (the surname "Massoud"):
 *
 * - "son of [the legendary commander] Massoud" → the entity linked (son-of/father-of) to the
 *   person just named in that sentence;
 * - "Massoud's father" / "Massoud father" → the father of the Massoud meant, as one mention;
 * - a bare shared name otherwise → the entity of that name most recently named in full in the
 *   same source. Names that only qualify someone else ("son of Ahmad Shah Massoud") do not
 *   count as "named", since the sentence is about the son.
 *
 * Also reports capitalised names that match no entity, as candidates for the registry.
 */
import type { Citation, EntityCandidate, EntityId, EntityType, LinkRelation } from './model.js';
import type { Mention, Sentence } from './sentence.js';
import { escapeRegExp, fold, foldWithOffsets, isWordChar } from './text.js';

/** What mention finding needs of an entity. */
export interface MentionableEntity {
  id: EntityId;
  type: EntityType;
  label: string;
  aliases: string[];
  links: Array<{ relation: LinkRelation; target: EntityId }>;
}

interface AliasEntry {
  /** The folded alias searched for in folded text. */
  folded: string;
  /** Short all-capital acronyms ("US", "AFP") must match exactly, or "us" would be the US. */
  exact?: string;
  entityIds: EntityId[];
}

/** True for an alias that must keep its case: an acronym of at most five capitals. */
function isAcronym(alias: string): boolean {
  return /^[\p{Lu}.]{2,6}$/u.test(alias) && alias.replace(/\./gu, '').length <= 5;
}

/** Builds the alias table: every label and alias, folded, with the entities it can mean. */
export function buildAliasIndex(entities: readonly MentionableEntity[]): AliasEntry[] {
  const byKey = new Map<string, AliasEntry>();
  for (const entity of entities) {
    for (const alias of [entity.label, ...entity.aliases]) {
      const folded = fold(alias);
      if (folded.length < 2) continue;
      const exact = isAcronym(alias) ? alias : undefined;
      const key = `${folded}\u0000${exact ?? ''}`;
      const entry = byKey.get(key) ?? { folded, exact, entityIds: [] };
      if (!entry.entityIds.includes(entity.id)) entry.entityIds.push(entity.id);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => b.folded.length - a.folded.length);
}

interface RawMatch {
  start: number;
  end: number;
  entry: AliasEntry;
}

/** All alias matches in `text` (offsets relative to it), longest first, not overlapping. */
function matchAliases(text: string, index: readonly AliasEntry[]): RawMatch[] {
  const folded = foldWithOffsets(text);
  const found: Array<RawMatch & { length: number }> = [];
  for (const entry of index) {
    for (let at = folded.text.indexOf(entry.folded); at !== -1; at = folded.text.indexOf(entry.folded, at + 1)) {
      const after = at + entry.folded.length;
      if (isWordChar(folded.text[at - 1]) || isWordChar(folded.text[after])) continue;
      const start = folded.starts[at] ?? 0;
      const end = folded.ends[after - 1] ?? start;
      if (entry.exact !== undefined && text.slice(start, end) !== entry.exact) continue;
      found.push({ start, end, entry, length: entry.folded.length });
    }
  }
  found.sort((a, b) => b.length - a.length || a.start - b.start);
  const chosen: RawMatch[] = [];
  for (const m of found) {
    if (chosen.some((c) => m.start < c.end && c.start < m.end)) continue;
    chosen.push(m);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

const PARENT_WORDS = /^(father|mother)$/iu;
const KIN_AFTER = /^(?:['’]s)?\s+(father|mother|son|daughter)\b/iu;
/** "son of [up to four words]" right before a name: the name only qualifies someone else. */
const KIN_BEFORE = /\b(?:son|daughter|father|mother|brother|sister|wife|widow|husband|nephew|grandson)\s+of\s+(?:[\p{L}\p{M}'’-]+\s+){0,4}$/iu;

/** The relative of `base` that a kinship word names ("father" → whom base is son of). */
function relativeOf(base: EntityId, kinWord: string, byId: ReadonlyMap<EntityId, MentionableEntity>): EntityId | undefined {
  const wantParent = PARENT_WORDS.test(kinWord);
  const own = byId.get(base)?.links ?? [];
  const forward = own.find((l) => l.relation === (wantParent ? 'son-of' : 'father-of'));
  if (forward) return forward.target;
  for (const other of byId.values()) {
    if (other.links.some((l) => l.target === base && l.relation === (wantParent ? 'father-of' : 'son-of'))) return other.id;
  }
  return undefined;
}

/** True when two entities are linked in either direction. */
function linked(a: EntityId, b: EntityId, byId: ReadonlyMap<EntityId, MentionableEntity>): boolean {
  return Boolean(
    byId.get(a)?.links.some((l) => l.target === b) || byId.get(b)?.links.some((l) => l.target === a),
  );
}

/**
 * True when a one-word alias of a person ("Saleh") follows a capitalised word that is no
 * title, no sentence opener and no alias with it: the name of another person ("Shuresh Saleh").
 */
function isSurnameOfAnother(match: RawMatch, before: string, byId: ReadonlyMap<EntityId, MentionableEntity>): boolean {
  if (match.entry.folded.includes(' ')) return false;
  if (!match.entry.entityIds.every((id) => byId.get(id)?.type === 'person')) return false;
  const given = /(?:^|[\s(“"])(\p{Lu}[\p{Ll}'’-]+)\s+$/u.exec(before);
  if (!given?.[1]) return false;
  if (TITLES.test(given[1]) || OPENERS.test(given[1]) || DAYS_MONTHS.test(given[1])) return false;
  return true;
}

/**
 * Finds the mentions of registry entities in the sentences (all sources; sentences must be
 * in reading order within each source).
 *
 * @example
 * const mentions = findMentions(sentences, registry.entities);
 * // "Massoud said" after "Ahmad Massoud said on Sunday" → entityId 'ahmad-massoud'
 */
export function findMentions(sentences: readonly Sentence[], entities: readonly MentionableEntity[]): Mention[] {
  const index = buildAliasIndex(entities);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const mentions: Mention[] = [];
  /** Per source, in reading order: who was named as a subject, and the words used. */
  const named = new Map<string, Array<{ entityId: EntityId; folded: string }>>();

  for (const sentence of sentences) {
    const history = named.get(sentence.sourceId) ?? [];
    named.set(sentence.sourceId, history);
    const inSentence: Mention[] = [];

    const matches = matchAliases(sentence.text, index);
    for (const match of matches) {
      const before = sentence.text.slice(0, match.start);
      // "Shuresh Saleh": a surname after a given name the registry does not know is someone
      // else ("the Panjshir Valley Saleh" is a place and a name, both known).
      const afterKnown = matches.some((m) => m.end <= match.start && /^\s+$/u.test(sentence.text.slice(m.end, match.start)));
      if (!afterKnown && isSurnameOfAnother(match, before, byId)) continue;
      const after = sentence.text.slice(match.end);
      const qualifiesAnother = KIN_BEFORE.test(before);
      const kin = KIN_AFTER.exec(after);
      // "Massoud father": of the people called Massoud, only one has a father in the registry.
      const withRelative = kin?.[1] ? match.entry.entityIds.filter((c) => relativeOf(c, kin[1] ?? '', byId)) : [];
      const candidates = withRelative.length > 0 ? withRelative : match.entry.entityIds;
      let entityId: EntityId | undefined;

      if (candidates.length === 1) {
        entityId = candidates[0];
      } else if (qualifiesAnother) {
        const antecedent = [...inSentence].reverse().find((m) => byId.get(m.entityId)?.type === 'person');
        entityId = antecedent ? candidates.find((c) => linked(c, antecedent.entityId, byId)) : undefined;
      }
      if (entityId === undefined) {
        // The candidate most recently named in full with this very name ("Ahmad Massoud"
        // counts for "Massoud"; the nickname "Lion of Panjshir" does not).
        const shared = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(match.entry.folded)}($|[^\\p{L}\\p{N}])`, 'u');
        entityId = [...history].reverse().find((h) => candidates.includes(h.entityId) && shared.test(h.folded))?.entityId;
      }
      if (entityId === undefined) continue;

      let end = match.end;
      const relative = kin?.[1] && byId.get(entityId)?.type === 'person' ? relativeOf(entityId, kin[1], byId) : undefined;
      if (kin && relative) {
        end = match.end + kin[0].length;
      } else if (!qualifiesAnother) {
        history.push({ entityId, folded: fold(sentence.text.slice(match.start, match.end)) });
      }
      const mention: Mention = {
        entityId: relative ?? entityId,
        sourceId: sentence.sourceId,
        start: sentence.start + match.start,
        end: sentence.start + end,
        text: sentence.text.slice(match.start, end),
      };
      inSentence.push(mention);
      mentions.push(mention);
    }
  }
  return mentions;
}

// ── Candidates: capitalised names no entity matches ───────────────────────────────────

const DAYS_MONTHS =
  /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/iu;
const TITLES =
  /^(mr|mrs|ms|dr|sir|commander|president|vice|general|minister|prime|spokesman|spokeswoman|spokesperson|leader|chief|colonel|captain|sheikh|mullah|mawlawi|governor|former|the|a|an|photo|video|videos|image|images|i|and|but|or|of|in|on|at|for|with)$/iu;
/** Capitalised words that are not names: direction adjectives, page words. */
const NOT_NAMES = /^(western|eastern|northern|southern|central|international|breaking|update|live|exclusive|read|see|more|west|east|north|south|tv)$/iu;
/**
 * Nationality and people adjectives the suffix rule ({@link ADJECTIVE}) does not catch
 * ("Pakistani", "Tajik"): common English words, not names.
 */
const DEMONYMS =
  /^(afghan|pakistani|tajik|uzbek|pashtun|turkmen|kazakh|kyrgyz|iraqi|israeli|saudi|kuwaiti|yemeni|omani|qatari|emirati|bangladeshi|nepali|somali|thai|arab|kurd|turk|greek|french|dutch|swiss|czech|pole|dane|swede|finn|scot|welsh|irish|british|english|spanish|turkish|polish|danish|swedish|finnish)s?$/iu;
/** Words of an office: a run made only of them ("First Vice President") is a title, not a name. */
const OFFICE_WORDS =
  /^(first|second|deputy|acting|interim|caretaker|foreign|defence|defense|interior|adviser|advisor|senior|chief|vice|president|prime|minister|spokesman|spokeswoman|spokesperson|commander|general|governor|leader|head|secretary|ambassador|envoy|mr|mrs|ms|dr)$/iu;
/** Words that often open a sentence and are not the first word of a name. */
const OPENERS =
  /^(the|a|an|in|on|at|but|and|also|despite|following|former|after|before|when|while|his|her|their|its|this|that|these|those|due|to|for|from|with|by|as|if|since|although|meanwhile|however|some|several|few|other|both|all|many|most|there|then|today|yesterday|last|next|every|each)$/iu;
const CONNECTORS = /^(of|de|du|da|dos|del|la|le|al|el|bin|ibn|e|van|von|der)$/u;

interface Token {
  start: number;
  end: number;
  text: string;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const word = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const clean = m[0].replace(/['’]s?$/u, '').replace(/-+$/u, '');
    out.push({ start: m.index, end: m.index + clean.length, text: clean });
  }
  return out;
}

const isCapitalised = (t: string): boolean => /^\p{Lu}/u.test(t);
const isAllCaps = (t: string): boolean => t.length > 1 && t === t.toUpperCase() && /\p{Lu}/u.test(t);

/** True when the token is where a sentence (or a quotation, or a clause after ":") begins. */
function atSentenceStart(text: string, start: number): boolean {
  return /^[\s"“‘'«([]*$/u.test(text.slice(0, start)) || /[:;.!?]\s*["“‘'«(]*\s*$/u.test(text.slice(0, start));
}

/** True for a single capitalised word that is probably an ordinary word, not a name. */
function isCommonWord(word: string): boolean {
  return (
    DAYS_MONTHS.test(word) ||
    TITLES.test(word) ||
    NOT_NAMES.test(word) ||
    /^\p{Lu}\p{Ll}+(ed|ing|ly|ment|ness|tion|sion)$/u.test(word)
  );
}

/**
 * Finds capitalised names that no entity mention covers: candidates for the registry, with
 * how often each occurs and where. Skips words capitalised only because they begin a
 * sentence, days and months, titles, and all-capital lead-ins ("THE TALIBAN HAS said").
 */
export function findCandidates(sentences: readonly Sentence[], mentions: readonly Mention[]): EntityCandidate[] {
  return clusterCandidates(candidateNames(sentences, mentions));
}

/**
 * The candidate names of some sentences before spellings are folded together, keyed by their
 * folded name, in order of first appearance (each with at most five citations). The build keeps
 * them per article and sums them ({@link addCandidateNames}) before {@link clusterCandidates}.
 */
export function candidateNames(sentences: readonly Sentence[], mentions: readonly Mention[]): Map<string, EntityCandidate> {
  const byName = new Map<string, EntityCandidate>();
  for (const sentence of sentences) {
    const covered = mentions.filter((m) => m.sourceId === sentence.sourceId && m.start < sentence.end && m.end > sentence.start);
    const isCovered = (t: Token): boolean =>
      covered.some((m) => sentence.start + t.start < m.end && sentence.start + t.end > m.start);
    const toks = tokens(sentence.text);
    const runs: Token[][] = [];
    let run: Token[] = [];
    const close = (): void => {
      // A trailing connector ("of") is not part of the name.
      while (run.length > 0 && CONNECTORS.test(run[run.length - 1]?.text ?? '')) run.pop();
      if (run.length > 0) runs.push(run);
      run = [];
    };
    toks.forEach((t, i) => {
      const prev = toks[i - 1];
      // An initial's full stop does not end a name ("Franklin D. Roosevelt").
      const gap = prev === undefined ? '' : sentence.text.slice(prev.end, t.start);
      const adjacent = prev !== undefined && (/^\s+$/u.test(gap) || (/^\p{Lu}$/u.test(prev.text) && /^\.\s+$/u.test(gap)));
      if (!adjacent) close();
      const shouted = isAllCaps(t.text) && [toks[i - 1], toks[i + 1]].some((n) => n && isAllCaps(n.text));
      if (isCapitalised(t.text) && !isCovered(t) && !shouted) {
        run.push(t);
      } else if (run.length > 0 && CONNECTORS.test(t.text) && !isCovered(t)) {
        run.push(t);
      } else {
        close();
      }
    });
    close();

    for (let words of runs) {
      // A word capitalised only because it opens the sentence is dropped; a full name that
      // opens it ("Nasrin Rahimi, a teacher, …") is kept whole.
      const opener = words[0];
      if (opener && atSentenceStart(sentence.text, opener.start) && (words.length === 1 || OPENERS.test(opener.text))) {
        words = words.slice(1);
      }
      while (words.length > 0 && (TITLES.test(words[0]?.text ?? '') || CONNECTORS.test(words[0]?.text ?? ''))) {
        words = words.slice(1);
      }
      const first = words[0];
      const last = words[words.length - 1];
      if (!first || !last) continue;
      if (words.length === 1 && isCommonWord(first.text)) continue;
      // A word the page cut off ("… by Voice of Am") is no name.
      if (last.end === sentence.text.length && !/[.!?"”’)]$/u.test(sentence.text)) continue;
      const text = sentence.text.slice(first.start, last.end);
      if (!looksLikeName(words.map((w) => w.text))) continue;
      const citation: Citation = {
        sourceId: sentence.sourceId,
        start: sentence.start + first.start,
        end: sentence.start + last.end,
        text,
      };
      const key = fold(text);
      const candidate = byName.get(key) ?? { name: text, count: 0, citations: [] };
      candidate.count++;
      if (candidate.citations.length < 5) candidate.citations.push(citation);
      byName.set(key, candidate);
    }
  }
  return byName;
}

/**
 * Adds one article's candidate names (read after those already in `into`) to `into`, as if
 * their sentences had been read in one {@link candidateNames} pass: counts summed, the first
 * spelling and the first five citations kept.
 */
export function addCandidateNames(into: Map<string, EntityCandidate>, names: Iterable<[string, EntityCandidate]>): void {
  for (const [key, c] of names) {
    const known = into.get(key);
    if (known === undefined) into.set(key, { name: c.name, count: c.count, citations: c.citations.slice(0, 5) });
    else {
      known.count += c.count;
      if (known.citations.length < 5) known.citations = [...known.citations, ...c.citations].slice(0, 5);
    }
  }
}

/** Candidates with their spelling variants folded together, most frequent first. */
export function clusterCandidates(byName: ReadonlyMap<string, EntityCandidate>): EntityCandidate[] {
  return clusterVariants([...byName.values()]).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Words that are never a name on their own: pronouns, numbers, and words of a heading. */
const NEVER_A_NAME =
  /^(we|i|i'm|i’m|it|they|he|she|you|us|our|my|me|this|these|those|what|who|why|how|around|also|one|two|three|four|five|six|seven|eight|nine|ten|god|major|maj|province|emirate|resistance|surrender|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)$/iu;
/** Adjectives of nationality, creed or stance ("Russian", "Islamist", "Western-backed"). */
const ADJECTIVE = /^\p{Lu}\p{Ll}+(?:ist|ish|ese|ian|ic|ists|ians)$|-(?:backed|led|based|born|dominated|style|linked|aligned|controlled)$/u;
/** Small words a headline capitalises ("Shoot Me In The Head If I Get Wounded"). */
const HEADLINE_WORD = /^(in|the|if|my|me|to|of|a|an|and|on|at|for|is|are|i|get|want|don't)$/iu;

/**
 * Whether a run of capitalised words is a name: not a pronoun, number, heading word or
 * adjective on its own, not a handle (letters glued to digits, or camel case), not a
 * title-case headline.
 */
function looksLikeName(words: readonly string[]): boolean {
  const [only] = words;
  if (words.length === 1 && only !== undefined && (NEVER_A_NAME.test(only) || ADJECTIVE.test(only) || DEMONYMS.test(only))) return false;
  // "First Vice President" is an office; "MPs", "IDPs" are plural common nouns.
  if (words.every((w) => OFFICE_WORDS.test(w))) return false;
  if (words.length === 1 && only !== undefined && /^\p{Lu}{2,}s$/u.test(only)) return false;
  if (words.some((w) => /\p{L}\d|\p{Ll}\p{Lu}/u.test(w))) return false;
  if (words.filter((w) => HEADLINE_WORD.test(w)).length >= 2) return false;
  return true;
}

/** Words of a name, folded, without titles (for comparing spellings). */
function nameKey(name: string): string[] {
  return fold(name)
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length > 0);
}

function close(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 2) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  // One stretch of at most two letters differs ("Motaqi" / "Muttaqi", "Dashti" / "Dashty").
  return a.length - i - j <= 2 && b.length - i - j <= 2;
}

/**
 * Folds spelling variants of one name into one candidate ("Amir Khan Motaqi", "Muttaqi"): the
 * same last word, give or take a transliteration, and the words of one among the other's.
 * The name with most words leads; `variants` lists every spelling.
 */
function clusterVariants(candidates: EntityCandidate[]): EntityCandidate[] {
  // Each name's words once, not once per comparison.
  const keys = new Map<string, string[]>();
  const keyOf = (name: string): string[] => keys.get(name) ?? keys.set(name, nameKey(name)).get(name)!;
  const sorted = [...candidates].sort((a, b) => keyOf(b.name).length - keyOf(a.name).length || b.count - a.count || a.name.localeCompare(b.name));
  const out: EntityCandidate[] = [];
  for (const c of sorted) {
    const words = keyOf(c.name);
    const last = words[words.length - 1] ?? '';
    const home = out.find((o) => {
      const ow = keyOf(o.name);
      return close(ow[ow.length - 1] ?? '', last) && words.every((w) => ow.some((x) => close(x, w))) && !/^\p{Lu}{2,}$/u.test(c.name);
    });
    if (!home) {
      out.push({ ...c, variants: [c.name] });
      continue;
    }
    home.count += c.count;
    home.citations = [...home.citations, ...c.citations].slice(0, 5);
    home.variants = [...new Set([...(home.variants ?? [home.name]), c.name])];
  }
  return out;
}
