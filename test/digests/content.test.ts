import { describe, expect, it } from 'vitest';
import { buildDigest, quietReply } from '../../src/digests/content.js';
import { seedSnapshot } from '../support/seed-story.js';

const { kb } = seedSnapshot();

const DAY1 = new Date('2021-08-22T00:00:00Z');
const DAY2 = new Date('2021-08-23T00:00:00Z');
const DAY3 = new Date('2021-08-24T00:00:00Z');

describe('buildDigest', () => {
  it('includes only what sources first seen in the window brought', () => {
    const [first, second] = kb.sources;
    const seen = new Map([
      [first!.id, DAY1],
      [second!.id, DAY2],
    ]);
    const { reply } = buildDigest(kb, { since: new Date(DAY1.getTime() + 1), until: DAY3, seen, timeZone: 'UTC' });
    expect(reply?.sections.find((s) => s.label === 'New sources')?.lines).toHaveLength(1);
    const secondNumber = reply!.citations.findIndex((c) => c.headline === second!.headline) + 1;
    for (const item of [...reply!.quotes, ...reply!.sections.flatMap((s) => s.lines)]) expect(item.cites).toContain(secondNumber);
    // Seen after the window ends: not yet.
    expect(buildDigest(kb, { since: DAY2, until: DAY3, seen, timeZone: 'UTC' }).reply).toBeNull();
  });

  it('puts claims and events before facts, body before captions, corroborated first, within the limits', () => {
    const seen = new Map(kb.sources.map((s) => [s.id, DAY2]));
    const { reply, itemCount } = buildDigest(kb, { since: DAY1, until: DAY3, seen, timeZone: 'Asia/Kabul', limits: { perKind: 3 }, moreCommand: '/digest' });
    expect(reply).not.toBeNull();
    const labels = reply!.sections.map((s) => s.label);
    expect(labels.indexOf('Facts')).toBeGreaterThan(Math.max(labels.indexOf('Claims'), labels.indexOf('Events')));
    expect(labels.at(-1)).toBe('New sources');
    for (const section of reply!.sections) expect(section.lines.length).toBeLessThanOrEqual(3);
    expect(reply!.quotes.length).toBeLessThanOrEqual(3);
    expect(itemCount).toBeGreaterThan(12);
    expect(reply!.actions).toEqual([{ label: 'More', command: '/digest' }]);
    const facts = reply!.sections.find((s) => s.label === 'Facts')!.lines;
    const captionIndex = facts.findIndex((f) => f.note?.includes('photo caption'));
    if (captionIndex >= 0) expect(facts.slice(captionIndex).every((f) => f.note?.includes('photo caption'))).toBe(true);
    const corroboration = facts.filter((f) => !f.note?.includes('photo caption')).map((f) => f.cites.length);
    expect(corroboration).toEqual([...corroboration].sort((a, b) => b - a));
    for (const item of [...reply!.quotes, ...reply!.sections.flatMap((s) => s.lines)]) {
      for (const n of item.cites) {
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(reply!.citations.length);
      }
    }
    expect(reply!.summary).toMatch(/^Since Sun 22 Aug 2021, 04:30 \(Asia\/Kabul\): 2 new sources, /);
  });

  it('narrows to one entity', () => {
    const seen = new Map(kb.sources.map((s) => [s.id, DAY2]));
    const topic = { entityId: 'amrullah-saleh', label: 'Amrullah Saleh' };
    const { reply } = buildDigest(kb, { since: DAY1, until: DAY3, seen, timeZone: 'UTC', topic, limits: { perKind: 50 } });
    expect(reply?.title).toBe(`Digest: ${kb.story.title} — Amrullah Saleh`);
    const ids = (list: Array<{ entities: string[]; id: string }>) => new Set(list.filter((x) => x.entities.includes(topic.entityId)).map((x) => x.id));
    const factTexts = new Set(kb.facts.filter((f) => ids(kb.facts).has(f.id)).map((f) => f.text));
    const lines = reply!.sections.find((s) => s.label === 'Facts')?.lines ?? [];
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(factTexts.has(line.text)).toBe(true);
    expect(lines.length).toBe(factTexts.size);
  });

  it('says so in one line when nothing is new', () => {
    expect(quietReply(new Date('2021-08-23T03:30:00Z'), 'Asia/Kabul').title).toBe('No new developments since Mon 23 Aug 2021, 08:00 (Asia/Kabul).');
    expect(quietReply(DAY2, 'UTC', { label: 'Panjshir' }).title).toBe('No new developments about Panjshir since Mon 23 Aug 2021, 00:00 (UTC).');
  });
});
