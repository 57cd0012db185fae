/**
 * Per-entity views of a knowledge base (its facts, quotes, events, claims, conflicts and the
 * links pointing at it), built once per knowledge base so answers don't scan everything.
 */
import type { Claim, Conflict, Entity, EntityLink, Fact, KnowledgeBase, Quote, StoryEvent } from '../knowledge/model.js';
import { reply, type Reply } from '../replies/reply.js';

export interface EntityView {
  facts: Fact[];
  /** Quotes the entity said. */
  said: Quote[];
  /** Quotes that mention the entity (said by others). */
  about: Quote[];
  events: StoryEvent[];
  claims: Claim[];
  conflicts: Conflict[];
  /** Links from other entities to this one ("Bazarak capital-of Panjshir" on Panjshir's page). */
  incoming: Array<{ from: Entity; link: EntityLink }>;
}

export interface KnowledgeLookup {
  entity(id: string): Entity | undefined;
  view(id: string): EntityView;
  fact(id: string): Fact | undefined;
}

const cache = new WeakMap<KnowledgeBase, KnowledgeLookup>();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/**
 * The lookup for a knowledge base, built on first use and cached with it.
 *
 * @example
 * const view = knowledgeLookup(kb).view('amrullah-saleh');
 * view.said.length // quotes by Saleh
 */
export function knowledgeLookup(kb: KnowledgeBase): KnowledgeLookup {
  const cached = cache.get(kb);
  if (cached !== undefined) return cached;

  const entities = new Map(kb.entities.map((e) => [e.id, e]));
  const facts = new Map<string, Fact[]>();
  const factById = new Map<string, Fact>();
  const said = new Map<string, Quote[]>();
  const about = new Map<string, Quote[]>();
  const events = new Map<string, StoryEvent[]>();
  const claims = new Map<string, Claim[]>();
  const conflicts = new Map<string, Conflict[]>();
  const incoming = new Map<string, Array<{ from: Entity; link: EntityLink }>>();

  for (const fact of kb.facts) {
    factById.set(fact.id, fact);
    for (const id of fact.entities) push(facts, id, fact);
  }
  for (const quote of kb.quotes) {
    if (quote.speakerId !== null) push(said, quote.speakerId, quote);
    for (const id of quote.entities) if (id !== quote.speakerId) push(about, id, quote);
  }
  for (const event of kb.events) for (const id of event.entities) push(events, id, event);
  for (const claim of kb.claims) {
    const ids = new Set([...claim.entities, ...(claim.claimant.entityId === undefined ? [] : [claim.claimant.entityId])]);
    for (const id of ids) push(claims, id, claim);
  }
  for (const conflict of kb.conflicts) for (const id of conflict.entities) push(conflicts, id, conflict);
  for (const entity of kb.entities) for (const link of entity.links) push(incoming, link.target, { from: entity, link });

  const lookup: KnowledgeLookup = {
    entity: (id) => entities.get(id),
    fact: (id) => factById.get(id),
    view: (id) => ({
      facts: facts.get(id) ?? [],
      said: said.get(id) ?? [],
      about: about.get(id) ?? [],
      events: events.get(id) ?? [],
      claims: claims.get(id) ?? [],
      conflicts: conflicts.get(id) ?? [],
      incoming: incoming.get(id) ?? [],
    }),
  };
  cache.set(kb, lookup);
  return lookup;
}

/**
 * The answer to a button whose `id:` names an entity that a reload of the story removed.
 *
 * @example
 * if (entity === undefined) return entryGone('who');
 */
export function entryGone(command: string): Reply {
  return reply({ kind: 'not-found', title: 'That entry is no longer in the knowledge base.', summary: `Try /${command} with a name.`, private: true });
}
