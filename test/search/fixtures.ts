/**
 * A hand-built knowledge base that mirrors the seed story's registry (same names, aliases,
 * roles and links), so the search can be specified before and independently of ingest.
 */
import type { Citation, Entity, EntityLink, EntityType, Fact, KnowledgeBase, LinkRelation, Quote } from '../../src/knowledge/model.js';

function cite(text: string): Citation {
  return { sourceId: 'fixture', start: 0, end: text.length, text };
}

interface EntitySpec {
  id: string;
  type: EntityType;
  label: string;
  aliases?: string[];
  role?: string;
  description: string;
  links?: Array<[LinkRelation, string]>;
  /** How many times the sources mention it. */
  mentions: number;
}

export function entity(spec: EntitySpec): Entity {
  const links: EntityLink[] = (spec.links ?? []).map(([relation, target]) => ({ relation, target, citation: cite(spec.description) }));
  return {
    id: spec.id,
    type: spec.type,
    label: spec.label,
    aliases: spec.aliases ?? [],
    ...(spec.role ? { role: spec.role } : {}),
    description: spec.description,
    descriptionCitation: cite(spec.description),
    links,
    mentions: Array.from({ length: spec.mentions }, () => cite(spec.label)),
  };
}

export const seedEntities: Entity[] = [
  entity({
    id: 'ahmad-massoud', type: 'person', label: 'Ahmad Massoud', mentions: 9,
    aliases: ['Ahmed Massoud', 'Ahmad Masood', 'Ahmed Masood', 'Ahmad Masud', 'Massoud', 'Masood', 'Masud', 'احمد مسعود'],
    role: 'Leader of the National Resistance Front',
    description: 'The 32-year-old son of commander Ahmad Shah Massoud, one of the two leaders who rose up against the Taliban in Panjshir',
    links: [['son-of', 'ahmad-shah-massoud'], ['leads', 'national-resistance-front']],
  }),
  entity({
    id: 'ahmad-shah-massoud', type: 'person', label: 'Ahmad Shah Massoud', mentions: 4,
    aliases: ['Ahmed Shah Massoud', 'Ahmad Shah Masood', 'Massoud', 'Masood', 'Masud', 'Commander Massoud', 'Lion of Panjshir', 'Lion of Panjsher', 'احمد شاه مسعود'],
    role: 'Anti-Soviet resistance commander, the "Lion of Panjshir" (killed 2001)',
    description: 'Father of Ahmad Massoud; the anti-Soviet resistance hero nicknamed the "Lion of Panjshir"',
    links: [['father-of', 'ahmad-massoud'], ['leads', 'mujahideen']],
  }),
  entity({
    id: 'amrullah-saleh', type: 'person', label: 'Amrullah Saleh', mentions: 4,
    aliases: ['Amrollah Saleh', 'Amrullah Salih', 'Saleh', 'Salih', 'امرالله صالح'],
    role: 'Afghan first vice president',
    description: "The Afghan first vice president who says he is the country's legitimate interim president",
    links: [['leads', 'national-resistance-front'], ['adviser-to', 'ahmad-shah-massoud']],
  }),
  entity({
    id: 'zabihullah-mujahid', type: 'person', label: 'Zabihullah Mujahid', mentions: 2,
    aliases: ['Zabiullah Mujahid', 'Zabihullah Mojahid', 'Mujahid', 'ذبیح‌الله مجاهد'],
    role: 'Taliban spokesman', description: 'A spokesman for the Taliban',
    links: [['spokesman-for', 'taliban']],
  }),
  entity({
    id: 'ali-maisam-nazary', type: 'person', label: 'Ali Maisam Nazary', mentions: 1,
    aliases: ['Ali Maisam Nazari', 'Ali Nazary', 'Nazary', 'Nazari'],
    role: 'National Resistance Front spokesman',
    description: 'Spokesman of the National Resistance Front, who set out its conditions for a peace deal with the Taliban',
    links: [['spokesman-for', 'national-resistance-front']],
  }),
  entity({
    id: 'bernard-henri-levy', type: 'person', label: 'Bernard-Henri Lévy', mentions: 1,
    aliases: ['Bernard Henri-Lévy', 'BHL'], role: 'French writer',
    description: 'The writer who founded the French magazine La Règle du jeu',
  }),
  entity({
    id: 'taliban', type: 'organisation', label: 'Taliban', mentions: 20,
    aliases: ['The Taliban', 'Taleban', 'Islamic Emirate', 'طالبان'],
    description: 'The movement that has returned to power in Afghanistan after 20 years; it calls itself the Islamic Emirate',
  }),
  entity({
    id: 'national-resistance-front', type: 'organisation', label: 'National Resistance Front', mentions: 3,
    aliases: ['NRF', 'FNR', 'National Resistance Front of Afghanistan'], role: 'Anti-Taliban resistance front',
    description: 'The resistance front led by Ahmad Massoud and Amrullah Saleh',
  }),
  entity({
    id: 'northern-alliance', type: 'organisation', label: 'Northern Alliance', mentions: 1,
    aliases: ['United Front'], description: 'The armed group that allied with the US during the 2001 invasion; Panjshir was its stronghold',
  }),
  entity({
    id: 'al-qaeda', type: 'organisation', label: 'al-Qaeda', mentions: 1,
    aliases: ['al Qaeda', 'al-Qaida'], description: 'The group that murdered Ahmad Shah Massoud in Takhar province in 2001',
  }),
  entity({
    id: 'mujahideen', type: 'organisation', label: 'Afghan mujahideen', mentions: 1,
    aliases: ['Mujahideen', 'Mujahedin'], description: 'The anti-Soviet resistance fighters of the 1980s',
  }),
  entity({
    id: 'panjshir', type: 'place', label: 'Panjshir', mentions: 12,
    aliases: ['Panjsher', 'Panjshir Valley', 'Panjshir province', 'Five Lions', 'پنجشیر', 'دره پنجشیر'],
    role: 'Province and valley of Afghanistan',
    description: 'The only one of Afghanistan’s 34 provinces that still resists the Taliban takeover',
  }),
  entity({
    id: 'bazarak', type: 'place', label: 'Bazarak', mentions: 1, aliases: ['بازارک'],
    role: 'Capital of Panjshir province', description: 'The capital of Panjshir, 120 km northeast of Kabul',
  }),
  entity({
    id: 'kabul', type: 'place', label: 'Kabul', mentions: 2, aliases: ['Kabol', 'کابل'],
    role: 'Capital of Afghanistan', description: 'The Afghan capital',
  }),
  entity({
    id: 'baghlan', type: 'place', label: 'Baghlan', mentions: 3, aliases: ['Baghlan province'],
    role: 'Province bordering Panjshir', description: 'The province that borders the Panjshir',
  }),
  entity({
    id: 'deh-saleh', type: 'place', label: 'Deh Saleh', mentions: 1,
    aliases: ['Deh-e Saleh', 'Deh Salah', 'ده صالح'], role: 'District of Baghlan province',
    description: 'One of the three districts of Baghlan province the Taliban retook',
  }),
  entity({
    id: 'takhar', type: 'place', label: 'Takhar', mentions: 1, aliases: ['Takhar province'],
    role: 'Province of Afghanistan', description: 'The province where Ahmad Shah Massoud was murdered',
  }),
];

let factCounter = 0;
export function fact(text: string, entities: string[], rank: Fact['rank'] = 'body'): Fact {
  return { id: `f${++factCounter}`, text, entities, citations: [cite(text)], rank, conflicts: [] };
}

export function quote(text: string, speakerId: string | null, speakerText?: string): Quote {
  return { id: `q${++factCounter}`, text, speakerId, ...(speakerText ? { speakerText } : {}), partial: false, entities: speakerId ? [speakerId] : [], citations: [cite(text)] };
}

export const seedFacts: Fact[] = [
  fact('The capital of Panjshir is Bazarak, which is just 120 km northeast of the Afghan capital.', ['panjshir', 'bazarak', 'kabul']),
  fact('The repossessed districts are Bano, Deh Saleh and Pul e-Hesar, in Baghlan province, which borders the Panjshir.', ['deh-saleh', 'baghlan', 'panjshir']),
  fact('Taliban retakes 3 districts in Baghlan province and surrounds the Panjshir Valley', ['taliban', 'baghlan', 'panjshir'], 'caption'),
  fact('The Taliban retakes 3 districts in Baghlan province and surrounds the Panjshir Valley.', ['taliban', 'baghlan', 'panjshir']),
  fact('Ahmad Massoud, son of anti-Soviet resistance hero Ahmad Shah Massoud, asks for foreign help to organize resistance.', ['ahmad-massoud', 'ahmad-shah-massoud'], 'caption'),
  fact('Massoud has been using the Western press to ask for help, writing in the American newspaper The Washington Post.', ['ahmad-massoud']),
  fact('Ahmad Shah Massoud was killed by al-Qaeda in Takhar province in 2001, two days before the September 11 attacks.', ['ahmad-shah-massoud', 'al-qaeda', 'takhar']),
  fact('Panjshir province served as a stronghold for the Northern Alliance, an armed group that allied with the US during the 2001 invasion.', ['panjshir', 'northern-alliance']),
  fact('Former Afghan vice president Amrullah Saleh is also there, and photos posted on social media have shown him in talks with Massoud.', ['amrullah-saleh', 'ahmad-massoud']),
  fact('The valley is guarded by a narrow gorge, making entry – or escape – extraordinarily difficult for outsiders.', ['panjshir']),
];

export const seedQuotes: Quote[] = [
  quote('Our fighters are positioned near Panjshir. The Islamic Emirate is trying to resolve the problems peacefully.', 'zabihullah-mujahid', 'Zabihullah Mujahid, a Taliban spokesman'),
  quote('We want to make the Taliban realize that the only way forward is through negotiations.', 'ahmad-massoud'),
  quote('Join the resistance', 'amrullah-saleh'),
  quote('The conditions for a peace deal with the Taliban are decentralisation, a system that ensures social justice.', 'ali-maisam-nazary', 'spokesman Ali Maisam Nazary'),
];

/** The seed-like knowledge base. */
export function seedLikeKb(): KnowledgeBase {
  return {
    story: { id: 'panjshir', title: 'Panjshir' },
    sources: [],
    entities: seedEntities,
    facts: seedFacts,
    quotes: seedQuotes,
    events: [],
    claims: [],
    conflicts: [],
    candidates: [],
  };
}
