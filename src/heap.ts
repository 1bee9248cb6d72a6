// The memory settings clustersim runs with (V8's young generation, glibc's huge pages), shared by the CLI, the benchmarks and the sweep workers.

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

/**
 * The glibc tunable clustersim's executable and npm scripts set (`GLIBC_TUNABLES`): malloc asks the
 * kernel for transparent huge pages (`madvise`) for the memory it maps, which holds the large typed
 * arrays (the machines' struct of arrays, the event queue, the ring of tasks.arrow rows). A run
 * reads those at random, and with 4 KiB pages most such reads miss the TLB; on a virtual machine a
 * miss walks both the guest's and the host's page tables. On the project's machine the 1 M-task
 * best-fit run took 0.95–0.96 of the time with it (24 alternating pairs, faster in 17), the most in
 * the run's first second, which also takes fewer page faults with it (main thread 26 k → 17 k when
 * first tried, at stop 26). glibc reads it when a process starts, so it is
 * set on the command line (the shebang of `src/cli/bin.ts`, the `start` and `bench` scripts; a
 * test checks); other C libraries ignore it, and so does a kernel whose transparent huge pages
 * are off. It replaces any GLIBC_TUNABLES of the caller's environment for that process.
 */
export const MALLOC_TUNABLES = 'glibc.malloc.hugetlb=1';
