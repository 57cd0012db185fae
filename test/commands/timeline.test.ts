import { describe, expect, it } from 'vitest';
import { EVENTS_PER_PAGE, timelineCommand } from '../../src/commands/timeline.js';
import { REPLY_LIMITS } from '../../src/replies/reply.js';
import { CONTEXT, kb, knowledge } from './seed-router.js';

const timeline = timelineCommand({ knowledge });
const run = async (text: string) => timeline.run({ text }, CONTEXT);

describe('/timeline', () => {
  it('lists the story’s events oldest first, with the date at its precision and numbered sources', async () => {
    const r = await run('');
    expect(r.kind).toBe('answer');
    const lines = r.sections[0]!.lines;
    expect(lines[0]!.text).toMatch(/^1980s — In addition to the Soviet Union/);
    expect(lines[1]!.text).toMatch(/^1996–2001 — The Taliban also failed to conquer/);
    expect(lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/^week of 16 Aug 2021 — They had been taken over by local militias/));
    expect(r.citations.map((c) => c.outlet)).toEqual(['G1 (Globo)', 'TheJournal.ie']);
    for (const line of lines) {
      expect(line.cites.length).toBeGreaterThan(0);
      for (const n of line.cites) expect(r.citations[n - 1]).toBeDefined();
    }
  });

  it('pages a long timeline with a "more" button that fits Telegram callback data', async () => {
    expect(kb.events.length).toBeGreaterThan(EVENTS_PER_PAGE);
    const first = await run('');
    expect(first.sections[0]!.lines).toHaveLength(EVENTS_PER_PAGE);
    const more = first.actions.find((a) => a.label.startsWith('More events'));
    expect(more?.command).toBe('/timeline page:2');
    const second = await run('page:2');
    expect(second.sections[0]!.lines).toHaveLength(kb.events.length - EVENTS_PER_PAGE);
    expect(second.sections[0]!.lines.at(-1)!.text).toMatch(/^23 Aug 2021 — The Taliban announced on Monday \(23\)/);
    expect(second.sections[0]!.lines.at(-1)!.note).toBe('reported by 2 sources');
    expect(second.actions).toEqual([]);
  });

  it('keeps the events of a topic, resolved by name', async () => {
    const r = await run('Amrullah Saleh');
    expect(r.title).toBe('Timeline: Amrullah Saleh');
    const texts = r.sections[0]!.lines.map((l) => l.text);
    expect(texts).toContainEqual(expect.stringMatching(/^17 Aug 2021 — Saleh, who was one of/));
    expect(texts.every((t) => /Saleh|vice president/.test(t))).toBe(true);
  });

  it('answers a name two people share and offers the other one', async () => {
    const r = await run('massoud');
    expect(r.kind).toBe('answer');
    expect(r.actions.some((a) => a.command.startsWith('/timeline id:'))).toBe(true);
    for (const a of r.actions) expect([...a.command].length).toBeLessThanOrEqual(REPLY_LIMITS.actionCommandChars);
  });

  it('finds a misspelt topic the way the search does', async () => {
    const r = await run('Talibann');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe('Timeline: Taliban');
  });

  it('says not-found with the closest names for a topic that matches no name', async () => {
    const r = await run('Kabul airport');
    expect(r.kind).toBe('not-found');
    expect(r.title).toContain('Kabul airport');
    expect(r.suggestions.map((s) => s.command)).toContain('/timeline id:kabul');
  });

  it('points to the whole timeline when nothing is even close', async () => {
    const r = await run('london');
    expect(r.kind).toBe('not-found');
    expect(r.suggestions).toEqual([]);
    expect(r.summary).toContain('/timeline without a topic');
  });

  it('copes with hostile input without a crash', async () => {
    for (const text of ['@everyone <b>x</b>', '\u202Eevil', 'x'.repeat(500), 'id:no-such-entity']) {
      const r = await run(text);
      expect(['not-found', 'answer']).toContain(r.kind);
      expect(r.title.length).toBeLessThan(120);
    }
  });
});
