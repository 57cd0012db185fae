/**
 * The words of a report that name a happening (announced, encircled, killed, fell…), grouped by
 * kind, and the openers that count days from the sentence before ("A day earlier", "The next
 * day"). Shared by the timeline, claims and conflicts stages.
 */
/**
 * Words that name a happening, grouped by kind. `say` is the weakest kind: a sentence that
 * only shares "said" with another is never taken for the same event.
 */
const EVENT_KINDS: Array<[kind: string, pattern: RegExp]> = [
  ['say', /\b(?:said|says|told|announced|announcement|tweeted|posted|stated|statement|declared|appealed|interview|wrote|claimed|denied|dismissed|explained|warned|urged|vowed|pledged|accused|revealed|confirmed|called (?:for|on)|calls? (?:for|on))\b/i],
  ['resist', /\b(?:repell?ed|repulsed|resisted|held out|(?:outpost|bastion|stronghold|hotbed) of (?:[\w-]+ )?resistance)\b/i],
  ['surround', /\b(?:encircl\w*|surround(?:ed|s|ing)?|besieged|siege)\b/i],
  ['capture', /\b(?:t[ao]ok(?:en)? over|(?:had|has|have) taken|t[ao]ok(?:en)? control|takeover|retook|retak(?:e|es|en)|regain(?:ed)?|seized?|captured?|overr[au]n)\b/i],
  ['conquer', /\b(?:conquer\w*|penetrated|managed to|failed to)\b/i],
  ['control', /\b(?:controlled|ruled|(?:returned|came|swept|rose|surged) (?:back )?to power)\b/i],
  ['restrict', /\b(?:shut (?:down|off)|cut off|imposed (?:a )?curfew|curfew|blockade[ds]?|blocked)\b/i],
  ['kill', /\b(?:killed|murdered|assassinated|died|slain|executed|shot dead|lost (?:[\w-]+ ){0,5}(?:fighters|soldiers|men|lives|brothers|comrades|colleagues|commanders))\b/i],
  ['detain', /\b(?:arrested|detained|captured alive|freed|released from (?:prison|jail|custody)|imprisoned|jailed)\b/i],
  ['collapse', /\b(?:fell|fallen|fall of|collapsed?|toppled|ousted|lost control)\b/i],
  ['clash', /\b(?:clash(?:es|ed)?|fighting|fought|fights?|battles?|ambush(?:ed|es)?|attack(?:ed|s)?|offensives?|routed)\b/i],
  ['invade', /\b(?:invasion|invaded|withdrawal|withdrew|pulled out|(?:final )?exit(?:ed)? from|departed)\b/i],
  ['found', /\b(?:founded|formed|established|set up)\b/i],
  ['meet', /\b(?:met|meetings?|talks|negotiations?|dialogue|summit)\b/i],
  ['truce', /\b(?:ceasefire|cease-fire|truce|(?:guns|weapons|front) (?:are |were |fell |have fallen |have been |had been |went )?silent)\b/i],
  ['aid', /\b(?:distributed|delivered|airlifted|evacuated|evacuation)\b/i],
  ['move', /\b(?:massing|reinforcements?|advanc(?:e|ed|ing)|arrived|entered|fled|positioned|stationed|deployed|on their way|pushed back)\b/i],
];

/**
 * A happening feared, threatened or to be ended has not happened there ("raising fears of heavy
 * fighting", "the threat of an attack", "a settlement to end the fighting"): its words name no
 * event. The noun phrase after "of" or the verb is up to three words. A purpose ("joined hands
 * to attack the valley") is not a happening either.
 */
const FEARED =
  /\b(?:(?:fears?|threats?|risks?|prospects?|dangers?|possibility|spectre|warnings?)\s+of|to\s+(?:end|stop|halt|prevent|avoid|cease))\s+(?:[\w-]+\s+){0,2}[\w-]+|(?<!\b(?:failed|managed|unable|able)\s)\bto\s+(?:attack|capture|seize|surround|encircle|kill|invade|enter|advance|fight|storm)\b/giu;

/**
 * Kinds of happening a text names, in order of first appearance: the first kind other than
 * `say` is the sentence's main happening ("Massoud was murdered … at the time of the attack that
 * triggered the invasion" is a killing, not an invasion).
 */
export function eventKinds(text: string): string[] {
  const told = text.replace(FEARED, (m) => ' '.repeat(m.length));
  return EVENT_KINDS.map(([kind, re]) => ({ kind, at: re.exec(told)?.index ?? -1 }))
    .filter((k) => k.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((k) => k.kind);
}

/** Where a text names a happening of `kind` (offsets of each wording). */
export function kindMatches(text: string, kind: string): Array<{ index: number; length: number }> {
  const pattern = EVENT_KINDS.find(([k]) => k === kind)?.[1];
  if (!pattern) return [];
  return [...text.matchAll(new RegExp(pattern.source, 'gi'))].map((m) => ({ index: m.index, length: m[0].length }));
}

/** The first kind other than `say`: what a sentence mainly tells. */
export function mainKind(kinds: string[]): string | undefined {
  return kinds.find((k) => k !== 'say');
}

/** A sentence that opens by counting days from the one before: "A day earlier,", "The next day", "On the same day". */
export const ANAPHORIC_DAY =
  /^\W*(?:(?:but|and)\s+)?(?:(a|one|two|three|four|five|six|seven)\s+days?\s+(earlier|later|before|after)|the\s+(next|following|previous)\s+day|the\s+day\s+(before|after)|(?:on\s+)?(?:the\s+same|that)\s+day)\b/iu;
const DAY_COUNT: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

/** Days from the sentence before to this one, for a sentence that opens with {@link ANAPHORIC_DAY}. */
export function anaphoricDay(text: string): number | undefined {
  const m = ANAPHORIC_DAY.exec(text);
  if (!m) return undefined;
  if (m[1]) return (DAY_COUNT[m[1].toLowerCase()] ?? 1) * (/^(?:earlier|before)$/iu.test(m[2] ?? '') ? -1 : 1);
  if (m[3]) return m[3].toLowerCase() === 'previous' ? -1 : 1;
  if (m[4]) return m[4].toLowerCase() === 'before' ? -1 : 1;
  return 0;
}
