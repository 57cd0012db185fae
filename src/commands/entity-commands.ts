/**
 * /who and /where: resolve a name (typos, accents, transliterations, roles, nicknames) to an
 * entity and answer about it; offer look-alikes on ambiguity and "did you mean" on a miss.
 */
import type { Entity, EntityType } from '../knowledge/model.js';
import { reply, type Reply } from '../replies/reply.js';
import { boundedEditDistance, typoAllowance } from '../search/edit-distance.js';
import { STOPWORDS, skeletonToken, tokenize } from '../search/normalise.js';
import type { EntityHit, KnowledgeProvider, KnowledgeSearch } from '../search/types.js';
import { parseArguments } from './arguments.js';
import { entityAnswer } from './entity-answer.js';
import { echo } from './input.js';
import { entryGone, knowledgeLookup } from './kb-lookup.js';
import type { CommandDefinition } from './types.js';

export interface KnowledgeCommandDeps {
  knowledge: KnowledgeProvider;
}

const KIND_WORDS: Record<'who' | 'where', string> = { who: 'person or organisation', where: 'place' };
const PREFER: Record<'who' | 'where', EntityType[]> = { who: ['person', 'organisation'], where: ['place'] };

const TYPE_WORDS: Record<EntityType, { one: string; many: string; article: string }> = {
  person: { one: 'person', many: 'people', article: 'a' },
  organisation: { one: 'organisation', many: 'organisations', article: 'an' },
  place: { one: 'place', many: 'places', article: 'a' },
};

/** "2 people", "a place and a person": what a list of hits is, by type. */
export function describeTypes(entities: readonly Entity[]): string {
  const counts = new Map<EntityType, number>();
  for (const e of entities) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return [...counts.entries()]
    .map(([type, n]) => (n === 1 ? `${TYPE_WORDS[type].article} ${TYPE_WORDS[type].one}` : `${n} ${TYPE_WORDS[type].many}`))
    .join(' and ');
}

/** The command that answers about an entity of this type. */
export function commandFor(entity: Entity): 'who' | 'where' {
  return entity.type === 'place' ? 'where' : 'who';
}

// ── Name resolution for commands ─────────────────────────────────────────────────────

const nameWordCache = new WeakMap<Entity, string[]>();

function nameWords(entity: Entity): string[] {
  let words = nameWordCache.get(entity);
  if (words === undefined) {
    words = [...new Set([entity.label, ...entity.aliases, entity.role ?? ''].flatMap((n) => tokenize(n)))];
    nameWordCache.set(entity, words);
  }
  return words;
}

function wordFits(word: string, name: string): boolean {
  if (word === name) return true;
  if (word.length >= 3 && name.startsWith(word)) return true;
  if (skeletonToken(word) === skeletonToken(name)) return true;
  const allowance = typoAllowance(word.length);
  return allowance > 0 && boundedEditDistance(word, name, allowance) <= allowance;
}

/**
 * How well a query's words fit an entity's names, 0–1: the share of its words (stopwords aside)
 * that are one of the entity's name or role words, a prefix of one, a transliteration of one,
 * or one with a typo or two.
 */
export function nameFit(query: string, entity: Entity): number {
  const words = tokenize(query).filter((w) => !STOPWORDS.has(w));
  if (words.length === 0) return 0;
  const names = nameWords(entity);
  return words.filter((w) => names.some((n) => wordFits(w, n))).length / words.length;
}

/**
 * Whether a query plausibly names an entity: at least half of its words fit (see {@link nameFit}).
 * It stops fuzzy matches inside unrelated words ("ghani" inside "Afghanistan") and wild
 * "did you mean" offers ("bananas" → Bazarak) from reaching the user.
 *
 * @example
 * nameFits('masood', ahmadMassoud) // → true
 * nameFits('ghani', taliban)       // → false ("Islamic Emirate of Afghanistan" is no fit)
 */
export function nameFits(query: string, entity: Entity): boolean {
  return nameFit(query, entity) >= 0.5;
}

/**
 * What a name query means to a command:
 * - `entity`: answer about `hit`. `namesakes` are other entities of the very same name (the two
 *   Massouds), to tell apart in the answer; `others` are look-alikes worth a button.
 * - `choices`: several different names fit about equally (“ahmad”): ask which one.
 * - `none`: nothing plausible; `suggestions` are close names, never wild guesses.
 */
export type NameResolution =
  | { kind: 'entity'; hit: EntityHit; others: EntityHit[]; namesakes: EntityHit[] }
  | { kind: 'choices'; hits: EntityHit[] }
  | { kind: 'none'; suggestions: EntityHit[] };

const SON_WORDS = new Set(['son', 'junior', 'jr', 'younger']);
const FATHER_WORDS = new Set(['father', 'senior', 'sr', 'elder', 'dad']);

function isSonOf(son: Entity, father: Entity): boolean {
  return son.links.some((l) => l.relation === 'son-of' && l.target === father.id) || father.links.some((l) => l.relation === 'father-of' && l.target === son.id);
}

/** “massoud son”, “son of massoud”, “massoud’s father”: pick the one of two relatives the words ask for. */
function resolveKinship(search: KnowledgeSearch, query: string, prefer: EntityType[]): NameResolution | undefined {
  const words = query.split(/\s+/);
  const kin = words.map((w) => tokenize(w)[0] ?? '');
  const wantsSon = kin.some((w) => SON_WORDS.has(w));
  const wantsFather = kin.some((w) => FATHER_WORDS.has(w));
  if (wantsSon === wantsFather) return undefined;
  const rest = words.filter((_, i) => !SON_WORDS.has(kin[i] ?? '') && !FATHER_WORDS.has(kin[i] ?? '') && kin[i] !== 'of').join(' ');
  if (tokenize(rest).length === 0) return undefined;
  const base = resolveName(search, rest, prefer, false);
  const candidates = base.kind === 'entity' ? [base.hit, ...base.namesakes, ...base.others] : base.kind === 'choices' ? base.hits : [];
  const pick = candidates.find((c) =>
    candidates.some((o) => o.entity.id !== c.entity.id && (wantsSon ? isSonOf(c.entity, o.entity) : isSonOf(o.entity, c.entity))),
  );
  if (pick === undefined) return undefined;
  return { kind: 'entity', hit: pick, others: candidates.filter((c) => c.entity.id !== pick.entity.id), namesakes: [] };
}

function sameName(hits: readonly EntityHit[]): boolean {
  const names = new Set(hits.map((h) => tokenize(h.matched).map(skeletonToken).join(' ')));
  return names.size === 1;
}

/**
 * Resolve a name the way /who, /where and /quote need it: the search's resolution, then
 * relatives told apart (“massoud son”), implausible fuzzy matches dropped, look-alikes of
 * another type kept only when they carry the very name asked for.
 *
 * @example
 * resolveName(search, 'massoud son', ['person']) // → { kind: 'entity', hit: Ahmad Massoud, … }
 */
export function resolveName(search: KnowledgeSearch, query: string, prefer: EntityType[], kinship = true): NameResolution {
  if (kinship) {
    const relative = resolveKinship(search, query, prefer);
    if (relative !== undefined) return relative;
  }
  const fits = (h: EntityHit) => h.exact || nameFits(query, h.entity);
  const resolution = search.resolveEntity(query, { prefer });
  switch (resolution.kind) {
    case 'found': {
      const others = resolution.others.filter((o) => fits(o) && (o.exact || prefer.includes(o.entity.type)));
      if (!fits(resolution.hit)) return { kind: 'none', suggestions: others };
      return { kind: 'entity', hit: resolution.hit, others, namesakes: [] };
    }
    case 'ambiguous': {
      const hits = resolution.hits.filter(fits);
      const [best, ...rest] = hits;
      if (best === undefined) return { kind: 'none', suggestions: [] };
      if (rest.length === 0) return { kind: 'entity', hit: best, others: [], namesakes: [] };
      // One shared name (both Massouds) is answered with the most mentioned, the other named beside it;
      // different names that fit about equally are a question back.
      if (sameName(hits)) return { kind: 'entity', hit: best, others: [], namesakes: rest };
      return { kind: 'choices', hits };
    }
    case 'none':
      // Best-fitting names first: "nazary spokesman" offers Nazary before the Taliban's spokesman.
      return {
        kind: 'none',
        suggestions: resolution.suggestions
          .filter(fits)
          .map((hit, i) => ({ hit, i, fit: nameFit(query, hit.entity) }))
          .sort((a, b) => b.fit - a.fit || a.i - b.i)
          .map((s) => s.hit),
      };
  }
}

function withRole(entity: Entity): string {
  return entity.role === undefined ? entity.label : `${entity.label}, ${entity.role}`;
}

function ambiguityNote(query: string, command: 'who' | 'where', best: Entity, namesakes: readonly Entity[]): string {
  const all = [best, ...namesakes];
  const wrongType = !PREFER[command].includes(best.type);
  const opening = wrongType
    ? `“${echo(query, 40)}” is no ${KIND_WORDS[command]} in the story: it fits ${describeTypes(all)}.`
    : `“${echo(query, 40)}” fits ${describeTypes(all)}.`;
  const shown = `Shown: ${withRole(best)} (the most mentioned).`;
  const rest = `Also: ${namesakes.map(withRole).join('; ')} — see below, press a button or ask ${namesakes.map((e) => `/${commandFor(e)} ${e.label}`).join(' or ')}.`;
  return `${opening} ${shown} ${rest}`;
}

function wrongTypeNote(query: string, command: 'who' | 'where', entity: Entity): string {
  const type = TYPE_WORDS[entity.type];
  return `“${echo(query, 40)}” is ${type.article} ${type.one}, not ${command === 'where' ? 'a place' : 'a person or organisation'}: here is what the story says about ${entity.label}. Next time ask /${commandFor(entity)} ${entity.label}.`;
}

function choicesReply(query: string, hits: readonly EntityHit[]): Reply {
  const shown = hits.slice(0, 5);
  return reply({
    kind: 'not-found',
    title: `Which one do you mean by “${echo(query, 60)}”?`,
    summary: `It fits ${describeTypes(shown.map((h) => h.entity))}: ${shown.map((h) => withRole(h.entity)).join('; ')}.`,
    suggestions: shown.map((h) => ({ label: h.entity.label, command: `/${commandFor(h.entity)} id:${h.entity.id}` })),
  });
}

/** Answer a /who or /where query; shared so both behave the same way. */
export function answerEntityQuery(deps: KnowledgeCommandDeps, command: 'who' | 'where', text: string): Reply {
  const { kb, search } = deps.knowledge();
  const { id, query } = parseArguments(text);
  if (id !== undefined) {
    const entity = knowledgeLookup(kb).entity(id);
    if (entity !== undefined) return entityAnswer(kb, entity, { command });
    return entryGone(command);
  }
  const resolution = resolveName(search, query, PREFER[command]);
  switch (resolution.kind) {
    case 'entity': {
      const { hit, namesakes, others } = resolution;
      if (namesakes.length > 0) {
        const shownNamesakes = namesakes.slice(0, 3);
        const note = ambiguityNote(query, command, hit.entity, shownNamesakes.map((h) => h.entity));
        return entityAnswer(kb, hit.entity, { command, others: shownNamesakes, ambiguityNote: note, namesakes: shownNamesakes.map((h) => h.entity) });
      }
      const note = PREFER[command].includes(hit.entity.type) ? undefined : wrongTypeNote(query, command, hit.entity);
      return entityAnswer(kb, hit.entity, { command, others: others.slice(0, 3), ...(note === undefined ? {} : { ambiguityNote: note }) });
    }
    case 'choices':
      return choicesReply(query, resolution.hits);
    case 'none': {
      const suggestions = resolution.suggestions.slice(0, 5);
      return reply({
        kind: 'not-found',
        title: `No ${KIND_WORDS[command]} matches “${echo(query, 60)}”.`,
        summary:
          suggestions.length > 0
            ? `Did you mean ${suggestions.map((s) => s.entity.label).join(', ')}?`
            : `Try /search ${echo(query, 40)} to look through every fact.`,
        suggestions: suggestions.map((s) => ({ label: s.entity.label, command: `/${commandFor(s.entity)} id:${s.entity.id}` })),
      });
    }
  }
}

/** The /who command. */
export function whoCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'who',
    description: 'Who is a person or organisation in the story: role, facts, quotes, sources',
    options: [{ name: 'name', description: 'A name, nickname or role, e.g. massoud, taliban spokesman', required: true, autocomplete: ['person', 'organisation'] }],
    usage: '/who <name>',
    examples: ['/who massoud', '/who amrullah saleh', '/who taliban spokesman'],
    run: (input) => answerEntityQuery(deps, 'who', input.text),
  };
}

/** The /where command. */
export function whereCommand(deps: KnowledgeCommandDeps): CommandDefinition {
  return {
    name: 'where',
    description: 'Where a place is: what it is, where it lies, what happened there, sources',
    options: [{ name: 'place', description: 'A place name, e.g. panjshir, bazarak', required: true, autocomplete: ['place'] }],
    usage: '/where <place>',
    examples: ['/where panjshir', '/where bazarak', '/where baghlan'],
    run: (input) => answerEntityQuery(deps, 'where', input.text),
  };
}
