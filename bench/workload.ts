// The benchmark workload: a generated heterogeneous cluster and a synthetic trace sized to load it.
import type { ClusterSpec, MachineGroup } from '../src/model/cluster-spec.js';
import type { SyntheticOptions } from '../src/traces/synthetic.js';

const RESOURCES = { names: ['cpu', 'mem', 'gpu'], units: ['millicore', 'MiB', 'milliGPU'] };

/** Machine groups as fractions of the cluster: [name, share, cpu, mem, gpu, speed]. */
const GROUPS: readonly [string, number, number, number, number, number][] = [
  ['general', 0.6, 32_000, 131_072, 0, 1.0],
  ['compute', 0.25, 64_000, 262_144, 0, 1.3],
  ['bigmem', 0.1, 32_000, 524_288, 0, 0.9],
  ['gpu', 0.05, 48_000, 393_216, 8_000, 1.1],
];

/** Task shapes (cpu, mem, gpu) and their relative frequency: mostly small, a few big or GPU. */
const SHAPES: readonly (readonly number[])[] = [
  [1_000, 4_096, 0],
  [2_000, 8_192, 0],
  [4_000, 16_384, 0],
  [8_000, 32_768, 0],
  [4_000, 65_536, 0],
  [16_000, 65_536, 0],
  [24_000, 98_304, 0],
  [8_000, 65_536, 1_000],
];
const WEIGHTS: readonly number[] = [20, 25, 20, 15, 8, 7, 3, 2];

/** Task durations: exponential with this mean (seconds at speed 1.0), cut at four means. */
const MEAN_DURATION_S = 120;
const MAX_DURATION_S = 4 * MEAN_DURATION_S;

/** Share of the cluster's CPU the arrivals ask for in steady state (offered load). */
const OFFERED_LOAD = 0.95;

/** A cluster of `machines` machines in four groups with different capacities and speeds. */
export function benchCluster(machines: number): ClusterSpec {
  let made = 0;
  const groups = GROUPS.map(([name, share, cpu, mem, gpu, speed], g): MachineGroup => {
    const count = g === GROUPS.length - 1 ? machines - made : Math.round(machines * share);
    made += count;
    return {
      name,
      ids: Array.from({ length: count }, (_, i) => `${name}-${i}`),
      capacity: Float64Array.of(cpu, mem, gpu),
      speed,
      attributes: { class: name, zone: g % 2 === 0 ? 'a' : 'b' },
    };
  });
  return { file: '<bench>', resources: RESOURCES, groups };
}

/**
 * A trace of `tasks` tasks whose arrival rate offers {@link OFFERED_LOAD} of the cluster's CPU:
 * λ = load × Σ cpu × mean speed / (E[cpu demand] × mean duration).
 */
export function benchTrace(tasks: number, cluster: ClusterSpec, seed = 1): SyntheticOptions {
  let cpu = 0;
  let speedSum = 0;
  let count = 0;
  for (const g of cluster.groups) {
    cpu += g.ids.length * (g.capacity[0] as number);
    speedSum += g.ids.length * g.speed;
    count += g.ids.length;
  }
  const weightSum = WEIGHTS.reduce((a, b) => a + b, 0);
  const meanCpu = SHAPES.reduce((sum, s, i) => sum + (s[0] as number) * (WEIGHTS[i] as number), 0) / weightSum;
  const arrivalRate = (OFFERED_LOAD * cpu * (speedSum / count)) / (meanCpu * MEAN_DURATION_S);
  return { tasks, seed, arrivalRate, meanDuration: MEAN_DURATION_S, maxDuration: MAX_DURATION_S, shapes: SHAPES, weights: WEIGHTS, tenants: 8, priorities: 4 };
}
