/**
 * Every pointer in an answer leads somewhere in the same answer: a fact marked "disputed: see
 * conflicting reports" comes with a "Conflicting reports" section holding the conflict it is a
 * side of. Checked over every entity of the seed story, through the router.
 */
import { describe, expect, it } from 'vitest';
import { ask, kb } from './seed-router.js';

describe('pointers inside an answer', () => {
  it('every "see conflicting reports" fact has its conflict listed in the same reply', async () => {
    let pointers = 0;
    for (const entity of kb.entities) {
      const command = entity.type === 'place' ? 'where' : 'who';
      const r = await ask(`/${command} id:${entity.id}`);
      const pointing = r.sections.flatMap((s) => s.lines).filter((l) => l.note?.includes('see conflicting reports') === true);
      if (pointing.length === 0) continue;
      const section = r.sections.find((s) => s.label === 'Conflicting reports');
      expect(section, `/${command} ${entity.label}`).toBeDefined();
      for (const line of pointing) {
        pointers += 1;
        const fact = kb.facts.find((f) => f.text === line.text);
        const topics = kb.conflicts.filter((c) => fact?.conflicts.includes(c.id)).map((c) => c.topic);
        expect(topics.length).toBeGreaterThan(0);
        for (const topic of topics) expect(section?.lines.map((l) => l.text)).toContain(topic);
      }
    }
    // The seed story has such a fact (in /who massoud): the check above is not empty.
    expect(pointers).toBeGreaterThan(0);
  });
});
