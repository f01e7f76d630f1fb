/**
 * A source of uniform numbers in `[0, 1)`, like `Math.random`. Every balancer takes one so tests (and
 * simulations) can inject a seeded source and get the same picks on every run.
 */
export type RandomSource = () => number;

/**
 * A uniform index in `[0, length)`. Clamped because an injected source may return exactly 1 or NaN,
 * and an out-of-range index would turn into an `undefined` pick.
 */
export function randomIndex(random: RandomSource, length: number): number {
  const index = Math.floor(random() * length);
  if (!(index >= 0)) return 0;
  return Math.min(index, length - 1);
}

/**
 * A small deterministic {@link RandomSource} (mulberry32): the same seed gives the same sequence.
 * Meant for tests and simulations, not for anything security-related.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
