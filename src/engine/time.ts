// Simulated time: integer microseconds, converted from and to seconds only at the edges.

/** Simulated time in integer microseconds since the start of the run. */
export type Micros = number;

export const MICROS_PER_SECOND = 1_000_000;

/** Converts seconds (decimals allowed) to the nearest integer microsecond. */
export function secondsToMicros(seconds: number): Micros {
  return Math.round(seconds * MICROS_PER_SECOND);
}

/** Converts microseconds to seconds as a float64, for outputs. */
export function microsToSeconds(micros: Micros): number {
  return micros / MICROS_PER_SECOND;
}
