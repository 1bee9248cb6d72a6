// The V8 heap setting clustersim runs with, shared by the CLI, the benchmarks and the sweep workers.

/**
 * V8 semi-space size in MiB (`--max-semi-space-size`), a ceiling V8 grows the young generation to
 * when much of it survives. A run that keeps running tasks' records (one with controllers, machine
 * events or a horizon; see Simulation.keepsRunningRecords) holds each record for its task's whole
 * run, which spans several scavenges of V8's default 16 MiB semi-space, so most records were
 * promoted to the old generation and died there. With 64 MiB most die young: on the 1 M-task
 * benchmark as it was then, scavenges fell from 56 to 25 and their main-thread time from 0.43 s to
 * 0.23 s, for 30–60 MiB more RSS. A run that lets go of the records hardly grows its young
 * generation, so the ceiling costs it nothing.
 * The shebang of `src/cli/bin.ts` and the `start` and `bench` scripts of package.json pass the same
 * value (a test checks), and the parallel runner gives its workers a young generation to match.
 */
export const SEMI_SPACE_MIB = 64;

/** The young generation of a worker with {@link SEMI_SPACE_MIB} semi-spaces: V8 sizes it as three semi-spaces. */
export const WORKER_YOUNG_GENERATION_MIB = 3 * SEMI_SPACE_MIB;
