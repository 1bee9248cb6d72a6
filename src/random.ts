// Seeded random streams: one independent stream per name, so draws in one place never shift another's.
import seedrandom from 'seedrandom';

/** A seeded uniform generator on [0, 1). */
export type Random = () => number;

/** The stream `name` of run seed `seed` (Alea, from seedrandom). */
export function randomStream(seed: number, name: string): Random {
  return seedrandom.alea(`clustersim:${seed}:${name}`);
}
