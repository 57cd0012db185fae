/**
 * The baseline the benchmark compares against: plain fuse.js over the same data, configured
 * the way the fuse.js documentation suggests for each job, with no index in front of it.
 */
import Fuse from 'fuse.js';
import type { Entity, EntityType, Fact } from '../src/knowledge/model.js';

/** Plain fuse.js over names: label, aliases and role, every entity scanned per query. */
export function plainEntityFuse(entities: readonly Entity[], types: readonly EntityType[]): Fuse<Entity> {
  return new Fuse(
    entities.filter((e) => types.includes(e.type)),
    {
      keys: [
        { name: 'label', weight: 2 },
        { name: 'aliases', weight: 1.5 },
        { name: 'role', weight: 0.5 },
      ],
      includeScore: true,
      ignoreDiacritics: true,
    },
  );
}

/** Plain fuse.js over fact sentences, in its multi-word (token) mode. */
export function plainFactFuse(facts: readonly Fact[]): Fuse<Fact> {
  return new Fuse(facts, { keys: ['text'], includeScore: true, ignoreLocation: true, useTokenSearch: true, ignoreDiacritics: true });
}
