/**
 * A synthetic story of any size from a fixed seed: people with multi-word Afghan/Arabic/
 * Persian/English-style names (surnames shared, so disambiguation matters), places and
 * organisations, aliases in other transliterations, and facts and quotes as sentences naming
 * them. The same seed and sizes always give the same story.
 */
import type { Citation, Entity, EntityLink, EntityType, Fact, KnowledgeBase, Quote } from '../src/knowledge/model.js';

/** A small, fast, deterministic PRNG (mulberry32). */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** An index in [0, n) drawn with a Zipf-like skew (small indexes common). */
  zipf(n: number): number {
    return Math.min(n - 1, Math.floor(Math.pow(this.next(), 2.2) * n));
  }
}

const GIVEN = [
  'Ahmad', 'Mohammad', 'Abdul', 'Zabihullah', 'Amrullah', 'Ali', 'Hamid', 'Gulbuddin', 'Rashid', 'Yusuf',
  'Khalid', 'Omar', 'Fatima', 'Malalai', 'Hassan', 'Hussain', 'Karim', 'Rahim', 'Nasir', 'Qasim',
  'Sayed', 'Mahmoud', 'Mustafa', 'Ismail', 'Ibrahim', 'Yaqub', 'Haroun', 'Wahid', 'Farid', 'Jawad',
  'Nabil', 'Sohrab', 'Rustam', 'Dawood', 'Habibullah', 'Hekmatullah', 'Ghulam', 'Noor', 'Bashir', 'Sharif',
  'Zahir', 'Mirwais', 'Aziz', 'Latif', 'Shafiq', 'Tariq', 'Waheed', 'Javed', 'Masoom', 'Siddiq',
  'Sarah', 'Laila', 'Zainab', 'Maryam', 'Shabnam', 'Roya', 'Nargis', 'Parwana', 'Soraya', 'Homa',
  'John', 'David', 'Michael', 'James', 'Peter', 'Anne', 'Marie', 'Pierre', 'Jean', 'Thomas',
];
const SURNAMES = [
  'Massoud', 'Saleh', 'Mujahid', 'Nazary', 'Karzai', 'Ghani', 'Hekmatyar', 'Dostum', 'Haqqani', 'Akhundzada',
  'Baradar', 'Mohammadi', 'Rahimi', 'Ahmadzai', 'Popal', 'Stanikzai', 'Muttaqi', 'Wardak', 'Khalili', 'Mohaqiq',
  'Atta', 'Noor', 'Sayyaf', 'Rabbani', 'Qanooni', 'Fahim', 'Bismillah', 'Khan', 'Hotak', 'Durrani',
  'Barakzai', 'Achakzai', 'Naderi', 'Sultani', 'Yousufzai', 'Shinwari', 'Mangal', 'Zadran', 'Ludin', 'Azimi',
  'Hashimi', 'Qaderi', 'Faizi', 'Habibi', 'Karimi', 'Sharifi', 'Nouri', 'Safi', 'Jalali', 'Omari',
  'Smith', 'Miller', 'Dupont', 'Martin', 'Bernard', 'Brown', 'Wilson', 'Taylor', 'Clarke', 'Hughes',
];
const SYLLABLES = [
  'ka', 'bul', 'pan', 'jshir', 'ba', 'zar', 'ak', 'ghaz', 'ni', 'kan', 'da', 'har', 'her', 'at', 'mazar', 'sha',
  'rif', 'kun', 'duz', 'ta', 'khar', 'bad', 'akh', 'shan', 'par', 'wan', 'lo', 'gar', 'pak', 'tia', 'khost',
  'zab', 'ul', 'nim', 'roz', 'far', 'ah', 'gh', 'or', 'sar', 'ip', 'ul', 'uruz', 'gan', 'day', 'ku', 'nar',
  'nur', 'is', 'tan', 'sam', 'an', 'gan', 'jow', 'zjan', 'fa', 'ry', 'qa', 'la', 'deh', 'mir', 'kh', 'el',
];
const PLACE_SUFFIX = ['abad', 'khel', 'zai', 'stan', '', '', 'an', 'ak', 'gah'];
const PLACE_PREFIX = ['Deh', 'Pul-e', 'Qala-i', 'Char', 'Shah', 'Bagh-e', 'Kuh-e', 'Dasht-e'];
const ORG_PATTERNS = ['{} Resistance Front', '{} Shura Council', 'Islamic Movement of {}', '{} Liberation Army', 'Front for {} Unity', '{} Provincial Council'];
const TITLES = ['General', 'Mullah', 'Commander', 'Maulvi', 'Dr', 'Ustad', 'Haji', 'Qari'];
const VERBS = ['captured', 'surrounded', 'attacked', 'visited', 'left', 'defended', 'negotiated over', 'blockaded', 'reinforced', 'abandoned'];
const NOUNS = ['fighters', 'convoy', 'checkpoint', 'delegation', 'militia', 'envoys', 'elders', 'troops', 'supply route', 'district centre'];
const FILLER = [
  'according to local officials', 'witnesses said', 'in a statement posted online', 'after days of fighting',
  'despite earlier denials', 'the report said', 'residents told reporters', 'citing security sources',
  'before talks resumed', 'in the early hours',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Spelling rules that turn one transliteration into another (Massoud → Masood, Ahmad → Ahmed…). */
const TRANSLITERATIONS: Array<[RegExp, string]> = [
  [/ou/, 'o'],
  [/oo/, 'u'],
  [/ss/, 's'],
  [/ll/, 'l'],
  [/a(?=d\b)/, 'e'],
  [/kh/, 'k'],
  [/q/, 'k'],
  [/i(?=r\b)/, 'e'],
  [/y\b/, 'i'],
  [/u(?=l)/, 'o'],
  [/ee/, 'i'],
  [/i(?=d\b)/, 'e'],
  [/ai/, 'ay'],
  [/dh/, 'd'],
];

/** A different transliteration of a name, or `undefined` when no rule applies. */
export function transliterate(name: string, random: Random): string | undefined {
  const applicable = TRANSLITERATIONS.filter(([pattern]) => pattern.test(name.toLowerCase()));
  if (applicable.length === 0) return undefined;
  let out = name;
  const count = 1 + random.int(Math.min(2, applicable.length));
  for (let i = 0; i < count; i++) {
    const [pattern, replacement] = random.pick(applicable);
    out = out.replace(new RegExp(pattern.source, 'i'), (m) => (m[0] === m[0]?.toUpperCase() ? replacement.toUpperCase().slice(0, 1) + replacement.slice(1) : replacement));
  }
  return out === name ? undefined : out;
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n',
  n: 'bm', o: 'ip', p: 'o', q: 'wa', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'xa',
};

/** `text` with `count` typing mistakes (swap, drop, double or mistype a letter), never the first letter of a word. */
export function withTypos(text: string, count: number, random: Random): string {
  let out = text;
  for (let n = 0; n < count; n++) {
    const positions: number[] = [];
    for (let i = 1; i < out.length; i++) if (/[a-z]/i.test(out[i] as string) && /[a-z]/i.test(out[i - 1] as string)) positions.push(i);
    if (positions.length === 0) break;
    const at = random.pick(positions);
    const c = (out[at] as string).toLowerCase();
    switch (random.int(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + c + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + random.pick([...(KEYBOARD_NEIGHBOURS[c] ?? 'e')]) + out.slice(at + 1);
        break;
      default:
        if (at + 1 < out.length) out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2);
        else out = out.slice(0, at);
    }
  }
  return out;
}

export interface StorySize {
  entities: number;
  facts: number;
  seed?: number;
}

/** A generated story and what the benchmark needs to ask about it. */
export interface GeneratedStory {
  kb: KnowledgeBase;
  /** For each fact, the words a searcher would use to find exactly it (rarest first). */
  factKeywords: string[][];
  /** The pseudo-word pool, to generate more text (an added article) in the same language. */
  nextArticle(index: number): { facts: Fact[]; quotes: Quote[]; entities: Entity[] };
}

function citation(sourceId: string, text: string): Citation {
  return { sourceId, start: 0, end: text.length, text };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Generates a story with `entities` entities (≈60% people, 30% places, 10% organisations) and
 * `facts` facts (plus a tenth as many quotes).
 *
 * @example
 * const story = generateStory({ entities: 300, facts: 10_000, seed: 42 });
 */
export function generateStory(size: StorySize): GeneratedStory {
  const random = new Random(size.seed ?? 20210823);
  const entities: Entity[] = [];
  const usedLabels = new Set<string>();
  const unique = (make: () => string): string => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const label = make();
      if (!usedLabels.has(label.toLowerCase())) {
        usedLabels.add(label.toLowerCase());
        return label;
      }
    }
    const label = `${make()} ${usedLabels.size}`;
    usedLabels.add(label.toLowerCase());
    return label;
  };
  const syllableWord = (min: number, max: number) => {
    let w = '';
    const n = min + random.int(max - min + 1);
    for (let i = 0; i < n; i++) w += random.pick(SYLLABLES);
    return capitalise(w);
  };
  const sharedCitation = citation('gen', 'generated');
  const mentionsFor = (rank: number): Citation[] => new Array<Citation>(1 + Math.floor(40 / Math.pow(rank + 1, 0.6)) + random.int(3)).fill(sharedCitation);

  const placeCount = Math.max(3, Math.round(size.entities * 0.3));
  const orgCount = Math.max(2, Math.round(size.entities * 0.1));
  const personCount = Math.max(1, size.entities - placeCount - orgCount);
  const extraSurnames = Array.from({ length: Math.max(0, Math.floor(personCount / 40)) }, () => syllableWord(2, 3) + random.pick(['i', 'zai', 'yar', 'wal', '']));
  const surnames = [...SURNAMES, ...extraSurnames];

  const makeEntity = (id: string, type: EntityType, label: string, aliases: string[], description: string, role?: string, links: EntityLink[] = []): Entity => ({
    id,
    type,
    label,
    aliases,
    ...(role ? { role } : {}),
    description,
    descriptionCitation: citation('gen', description),
    links,
    mentions: mentionsFor(entities.length),
  });

  const places: Entity[] = [];
  for (let i = 0; i < placeCount; i++) {
    const label = unique(() => (random.chance(0.2) ? `${random.pick(PLACE_PREFIX)} ` : '') + syllableWord(1, 3).replace(/$/, random.pick(PLACE_SUFFIX)));
    const aliases: string[] = [];
    const variant = transliterate(label, random);
    if (variant && random.chance(0.6)) aliases.push(variant);
    if (random.chance(0.3)) aliases.push(`${label} ${random.pick(['province', 'district', 'valley'])}`);
    const near = places.length > 0 ? random.pick(places).label : 'Kabul';
    const place = makeEntity(`place-${i}`, 'place', label, aliases, `A ${random.pick(['district', 'village', 'valley', 'province'])} near ${near}`, random.chance(0.4) ? `District of ${near}` : undefined);
    places.push(place);
    entities.push(place);
  }
  const orgs: Entity[] = [];
  for (let i = 0; i < orgCount; i++) {
    const label = unique(() => random.pick(ORG_PATTERNS).replace('{}', random.pick(places).label));
    const acronym = label.split(/[\s-]+/).filter((w) => /^[A-Z]/.test(w)).map((w) => w[0]).join('');
    const org = makeEntity(`org-${i}`, 'organisation', label, acronym.length > 1 && random.chance(0.5) ? [acronym] : [], `An armed group based in ${random.pick(places).label}`);
    orgs.push(org);
    entities.push(org);
  }
  for (let i = 0; i < personCount; i++) {
    const surname = surnames[random.zipf(surnames.length)] as string;
    const label = unique(() => `${random.pick(GIVEN)} ${random.chance(0.35) ? `${random.pick(GIVEN)} ` : ''}${surname}`);
    const aliases: string[] = [];
    const variant = transliterate(label, random);
    if (variant && random.chance(0.6)) aliases.push(variant);
    if (random.chance(0.1)) aliases.push(`${random.pick(TITLES)} ${surname}`);
    if (random.chance(0.05)) aliases.push(`${random.pick(['Lion', 'Tiger', 'Eagle', 'Hero'])} of ${random.pick(places).label}`);
    const links: EntityLink[] = [];
    let role: string | undefined;
    const roleRoll = random.next();
    if (roleRoll < 0.15) {
      const org = random.pick(orgs);
      links.push({ relation: 'spokesman-for', target: org.id, citation: sharedCitation });
      role = `${org.label} spokesman`;
    } else if (roleRoll < 0.28) {
      role = `Governor of ${random.pick(places).label}`;
    }
    entities.push(makeEntity(`person-${i}`, 'person', label, aliases, `A ${random.pick(['commander', 'politician', 'cleric', 'elder', 'journalist'])} from ${random.pick(places).label}`, role, links));
  }

  // A vocabulary of rarer words (names of villages, clans, operations) drawn with a skew, so some
  // words are common and most are rare, as in real reporting.
  const rareWords = Array.from({ length: Math.max(500, Math.floor(size.facts / 3)) }, () => syllableWord(2, 4).toLowerCase());
  const people = entities.filter((e) => e.type === 'person');
  const sources = Array.from({ length: Math.max(1, Math.ceil(size.facts / 40)) }, (_, i) => `src-${i}`);

  const makeSentence = (): { text: string; ids: string[]; keywords: string[] } => {
    const person = people[random.zipf(people.length)] as Entity;
    const place = places[random.zipf(places.length)] as Entity;
    const org = orgs[random.zipf(orgs.length)] as Entity;
    const r1 = rareWords[random.int(rareWords.length)] as string;
    const r2 = rareWords[random.int(rareWords.length)] as string;
    const name = random.chance(0.3) && person.aliases[0] ? person.aliases[0] : person.label;
    const forms = [
      () => `${name} said ${org.label} ${random.pick(NOUNS)} ${random.pick(VERBS)} ${place.label} near ${r1} on ${random.pick(DAYS)}, ${random.pick(FILLER)}, and moved towards ${r2}.`,
      () => `${capitalise(random.pick(NOUNS))} of the ${org.label} ${random.pick(VERBS)} the ${r1} road outside ${place.label}, ${random.pick(FILLER)}; ${name} denied any losses at ${r2}.`,
      () => `In ${place.label}, ${1 + random.int(300)} ${random.pick(NOUNS)} loyal to ${name} ${random.pick(VERBS)} ${r1} and ${r2} ${random.pick(FILLER)}.`,
    ];
    const text = random.pick(forms)();
    const surname = person.label.split(' ').pop() as string;
    return { text, ids: [person.id, place.id, org.id], keywords: [r1, r2, surname.toLowerCase(), place.label.toLowerCase()] };
  };

  const facts: Fact[] = [];
  const factKeywords: string[][] = [];
  for (let i = 0; i < size.facts; i++) {
    const { text, ids, keywords } = makeSentence();
    facts.push({ id: `fact-${i}`, text, entities: ids, citations: [citation(sources[i % sources.length] as string, text)], rank: random.chance(0.1) ? 'caption' : 'body', conflicts: [] });
    factKeywords.push(keywords);
  }
  const quotes: Quote[] = [];
  for (let i = 0; i < Math.ceil(size.facts / 10); i++) {
    const speaker = people[random.zipf(people.length)] as Entity;
    const text = `We will ${random.pick(['defend', 'never leave', 'negotiate for', 'retake'])} ${random.pick(places).label} and the ${rareWords[random.int(rareWords.length)]} pass`;
    quotes.push({ id: `quote-${i}`, text, speakerId: speaker.id, partial: false, entities: [speaker.id], citations: [citation(sources[i % sources.length] as string, text)] });
  }

  const kb: KnowledgeBase = {
    story: { id: 'synthetic', title: `Synthetic story (${size.entities} entities, ${size.facts} facts)` },
    sources: [],
    entities,
    facts,
    quotes,
    events: [],
    claims: [],
    conflicts: [],
    candidates: [],
  };
  const nextArticle = (index: number) => {
    const newFacts: Fact[] = [];
    for (let i = 0; i < 40; i++) {
      const { text, ids } = makeSentence();
      newFacts.push({ id: `new-${index}-fact-${i}`, text, entities: ids, citations: [citation(`new-${index}`, text)], rank: 'body', conflicts: [] });
    }
    const newEntity = makeEntity(`new-${index}-person`, 'person', `Newcomer ${syllableWord(2, 3)} ${random.pick(surnames)}`, [], 'A person first named in the new article');
    return { facts: newFacts, quotes: [], entities: [newEntity] };
  };
  return { kb, factKeywords, nextArticle };
}
