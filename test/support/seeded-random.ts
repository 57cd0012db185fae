/**
 * A small seeded pseudo-random generator (mulberry32) for tests and fakes: the same seed gives
 * the same sequence on every run, so a fault storm or a random story can be replayed.
 *
 * @example
 * const random = seededRandom(30);
 * random(); // a number in [0, 1), the same first number on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
