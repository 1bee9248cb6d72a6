// Marsaglia's xorshift32, for filler data only; kept apart from random.ts so that the helper thread's
// modules (which warm up with it) do not load seedrandom.

/**
 * The state after `state` (a non-zero int32) in xorshift32 (shifts 13, 17, 5): a cheap fixed
 * sequence for filler data (warm-ups, benchmark inputs), never for anything a run's results depend
 * on (those use random.ts). Read it unsigned with `>>> 0`.
 */
export function xorshift32(state: number): number {
  let x = state ^ (state << 13);
  x ^= x >>> 17;
  return x ^ (x << 5);
}
