/**
 * Small command definitions that exercise every path of the Discord adapter through the real
 * router: an answer with sources and buttons, a long answer, echoed user text, a slow command, a
 * command that throws, a moderator-only command, and entity autocomplete over a few names.
 */
import Fuse from 'fuse.js';
import type { CommandDefinition } from '../../../src/commands/types.js';
import type { Entity, EntityType } from '../../../src/knowledge/model.js';
import { reply } from '../../../src/replies/reply.js';
import type { EntityHit } from '../../../src/search/types.js';

function entity(id: string, type: EntityType, label: string, aliases: string[], description: string): Entity {
  const citation = { sourceId: 'src-1', start: 0, end: 0, text: '' };
  return { id, type, label, aliases, description, descriptionCitation: citation, links: [], mentions: [] };
}

/** A few people, places and organisations, plus many look-alikes to overflow 25 choices. */
export const ENTITIES: Entity[] = [
  entity('ahmad-massoud', 'person', 'Ahmad Massoud', ['massoud', 'ahmad masood'], 'Leader of the National Resistance Front, son of Ahmad Shah Massoud'),
  entity('ahmad-shah-massoud', 'person', 'Ahmad Shah Massoud', ['lion of panjshir', 'massoud'], 'Mujahideen commander killed in 2001'),
  entity('amrullah-saleh', 'person', 'Amrullah Saleh', ['saleh'], 'Former vice-president who declared himself caretaker president'),
  entity('zabihullah-mujahid', 'person', 'Zabihullah Mujahid', ['mujahid'], 'Taliban spokesman'),
  entity('nrf', 'organisation', 'National Resistance Front', ['nrf'], 'The anti-Taliban resistance in the Panjshir Valley'),
  entity('panjshir', 'place', 'Panjshir', ['panjsher', 'panjshir valley'], 'Province and valley north-east of Kabul'),
  ...Array.from({ length: 40 }, (_, i) =>
    entity(`commander-${i}`, 'person', `Commander Massoudi ${i}`, [`massoudi ${i}`], `A local commander number ${i} ${'with a very long description '.repeat(5)}`),
  ),
];

const fuse = new Fuse(ENTITIES, { keys: ['label', 'aliases'], threshold: 0.4, includeScore: true, ignoreLocation: true });

/** Ranked completions: exact alias or label first, then fuzzy matches (typos). */
export function suggestEntities(partial: string, types: EntityType[]): EntityHit[] {
  const query = partial.trim().toLowerCase();
  const allowed = (e: Entity) => types.length === 0 || types.includes(e.type);
  if (query === '') return ENTITIES.filter(allowed).slice(0, 25).map((e) => ({ entity: e, score: 0.5, matched: e.label, exact: false }));
  const exact = ENTITIES.filter((e) => allowed(e) && [e.label, ...e.aliases].some((n) => n.toLowerCase() === query));
  const fuzzy = fuse
    .search(query)
    .filter((r) => allowed(r.item) && !exact.includes(r.item))
    .map((r) => ({ entity: r.item, score: r.score ?? 1, matched: r.item.label, exact: false }));
  return [...exact.map((e) => ({ entity: e, score: 0, matched: e.label, exact: true })), ...fuzzy];
}

/** Resolves when `ms` have passed. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TestCommandOptions {
  /** How long /slow takes. */
  slowMs?: number;
}

/** The commands, each a small specification of one adapter behaviour. */
export function testCommands(options: TestCommandOptions = {}): CommandDefinition[] {
  return [
    {
      name: 'who',
      description: 'Who is a person or organisation in the story',
      options: [{ name: 'name', description: 'A name, e.g. massoud', required: true, autocomplete: ['person', 'organisation'] }],
      usage: '/who <name>',
      examples: ['/who massoud'],
      run: (input) => {
        const hit = suggestEntities(input.text, ['person', 'organisation'])[0];
        const id = /^id:(\S+)$/.exec(input.text)?.[1];
        const found = id === undefined ? hit?.entity : ENTITIES.find((e) => e.id === id);
        if (found === undefined) return reply({ kind: 'not-found', title: `Nobody called “${input.text}”.`, private: true });
        const other = ENTITIES.find((e) => e.id !== found.id && e.aliases.some((a) => found.aliases.includes(a)));
        return reply({
          kind: 'answer',
          title: found.label,
          summary: found.description,
          summaryCites: [1],
          sections: [{ label: 'Key facts', lines: [{ text: `${found.label} is in the story.`, cites: [1, 2] }] }],
          quotes: [{ text: 'We will defend the valley.', speaker: found.label, date: '22 Aug 2021', how: 'told Reuters', cites: [2] }],
          citations: [
            { outlet: 'Reuters', headline: 'Resistance holds out in Panjshir', date: '2021-08-22', url: 'https://www.reuters.com/world/panjshir-2021-08-22/' },
            { outlet: 'Al Jazeera', headline: 'Who is Ahmad Massoud?', date: '2021-08-23' },
          ],
          actions: [
            ...(other === undefined ? [] : [{ label: `The other ${other.label}`, command: `/who id:${other.id}` }]),
            { label: 'More quotes', command: `/quotes ${found.id}` },
          ],
        });
      },
    },
    {
      name: 'quotes',
      description: 'Quotes by someone',
      options: [{ name: 'speaker', description: 'Who said it', required: true }],
      usage: '/quotes <speaker>',
      examples: ['/quotes ahmad-massoud'],
      hidden: true,
      run: (input) => reply({ kind: 'answer', title: `Quotes by ${input.text}`, quotes: [{ text: 'Second quote.', speaker: input.text, cites: [] }] }),
    },
    {
      name: 'echo',
      description: 'Repeats your words (to test escaping)',
      options: [
        { name: 'words', description: 'Anything', required: true },
        { name: 'more', description: 'More words', required: false },
      ],
      usage: '/echo <words>',
      examples: ['/echo hello'],
      run: (input) =>
        reply({
          kind: 'answer',
          title: `You said: ${input.text}`,
          summary: input.text,
          sections: [{ label: input.text, lines: [{ text: input.text, cites: [] }] }],
        }),
    },
    {
      name: 'long',
      description: 'A reply far beyond every embed limit',
      options: [],
      usage: '/long',
      examples: ['/long'],
      run: () =>
        reply({
          kind: 'answer',
          title: `A very long title ${'that goes on '.repeat(30)}`,
          summary: `${'The summary sentence is long. '.repeat(200)}`,
          summaryCites: [1],
          sections: [
            { label: 'One huge line', lines: [{ text: `${'This sentence is one of many in a giant paragraph. '.repeat(200)}`, cites: [1] }] },
            { label: 'Forty lines', lines: Array.from({ length: 40 }, (_, i) => ({ text: `Fact number ${i + 1}: ${'detail '.repeat(20)}`, cites: [(i % 3) + 1] })) },
          ],
          quotes: Array.from({ length: 30 }, (_, i) => ({ text: `Quote ${i + 1} ${'words '.repeat(30)}`, speaker: `Speaker ${i + 1}`, cites: [2] })),
          citations: [
            { outlet: 'Reuters', headline: 'First', date: '2021-08-22', url: 'https://example.org/1' },
            { outlet: 'BBC', headline: 'Second', date: '2021-08-23', url: 'https://example.org/2' },
            { outlet: 'AP', headline: 'Third', date: '2021-08-24' },
          ],
          actions: [{ label: 'More quotes', command: '/quotes everyone' }],
        }),
    },
    {
      name: 'slow',
      description: 'Takes a while to answer',
      options: [],
      usage: '/slow',
      examples: ['/slow'],
      run: async () => {
        await sleep(options.slowMs ?? 2000);
        return reply({ kind: 'answer', title: 'Finally, the answer.' });
      },
    },
    {
      name: 'slowfail',
      description: 'Takes a while, then fails with a usage hint',
      options: [],
      usage: '/slowfail',
      examples: ['/slowfail'],
      run: async () => {
        await sleep(options.slowMs ?? 2000);
        return reply({ kind: 'usage', title: 'That needs a name.', private: true });
      },
    },
    {
      name: 'boom',
      description: 'Always fails',
      options: [],
      usage: '/boom',
      examples: ['/boom'],
      run: () => {
        throw new Error('database exploded at /srv/secret/path');
      },
    },
    {
      name: 'subscribe',
      description: 'Subscribe this channel to the digest',
      options: [{ name: 'time', description: 'When, e.g. 08:00', required: false }],
      usage: '/subscribe [time]',
      examples: ['/subscribe 08:00'],
      moderatorOnly: true,
      run: (input) => reply({ kind: 'notice', title: `Subscribed${input.text === '' ? '' : ` at ${input.text}`}.` }),
    },
  ];
}
