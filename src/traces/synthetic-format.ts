// The `synthetic` trace format: a seeded workload described in the experiment file (arrivals, distributions, tenants, mixes).
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { NONE } from '../model/constraints.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import type { OptionValue, Options } from '../policy.js';
import { randomStream, type Random } from '../random.js';
import { checkDistribution, sampler, type Distribution } from './distributions.js';
import type { TraceFormat } from './index.js';
import { CHUNK_SIZE, type TraceSource } from './source.js';

const EMPIRICAL_SAMPLE = 10_000;

const checkDemands = (value: OptionValue): string | undefined => {
  for (const [dim, d] of Object.entries(value as Record<string, OptionValue>)) {
    const problem = checkDistribution(d);
    if (problem !== undefined) return `${dim}: ${problem}`;
  }
  return undefined;
};

const checkTrace = (value: OptionValue): string | undefined => {
  const v = value as Record<string, OptionValue>;
  if (Object.keys(v).length === 0) return undefined;
  if (typeof v['path'] !== 'string') return `expected { path, format, options } naming a trace, got ${show(value)}`;
  return undefined;
};

/** The synthetic format's registry entry. */
export const syntheticFormat: TraceFormat = {
  description: 'A seeded synthetic workload: Poisson or bursty arrivals, named distributions for durations and demands, tenants, a batch/service mix',
  needsPath: false,
  options: {
    tasks: { type: 'integer', default: 1000, min: 1, description: 'Number of tasks' },
    arrival: { type: 'string', default: 'poisson', values: ['poisson', 'bursty'], description: 'poisson: exponential gaps at `rate`; bursty: a two-state Markov-modulated Poisson process' },
    rate: { type: 'number', default: 1, min: 0, description: 'Mean arrivals per second (poisson; the calm state of bursty)' },
    burst_factor: { type: 'number', default: 10, min: 1, description: 'bursty: arrival rate in a burst, as a multiple of `rate`' },
    burst_on_s: { type: 'number', default: 60, min: 0, description: 'bursty: mean length of a burst in seconds (exponential)' },
    burst_off_s: { type: 'number', default: 600, min: 0, description: 'bursty: mean calm time between bursts in seconds (exponential)' },
    duration: { type: 'object', default: { dist: 'exponential', mean: 60 }, check: checkDistribution, description: 'Run time in seconds at speed 1.0: a distribution map, or { dist: empirical } to draw from `empirical`' },
    demands: { type: 'object', default: {}, check: checkDemands, description: 'Per resource, a distribution of the demand in base units (rounded; at least 1); resources not listed get 1/16 of the smallest machine' },
    tenants: { type: 'integer', default: 1, min: 1, description: 'Tenants tenant-0..n-1; a task picks one with Zipf weights 1/(i+1)' },
    priorities: { type: 'integer', default: 1, min: 1, description: 'Priorities 0..n-1, drawn uniformly' },
    service_fraction: { type: 'number', default: 0, min: 0, check: (v) => ((v as number) <= 1 ? undefined : `must be at most 1, got ${show(v)}`), description: 'Share of tasks that are services (no duration: they run to the end)' },
    tasks_per_job: { type: 'integer', default: 1, min: 1, description: 'Consecutive tasks grouped into one job' },
    empirical: { type: 'object', default: {}, check: checkTrace, description: 'A trace { path, format, options } whose first 10,000 tasks are resampled (duration and demand together) where a distribution is `empirical`' },
  },
  open: (_path, cluster, options, seed) => generatedTrace(cluster, options, seed),
};

/**
 * Generates the workload lazily; every aspect draws from its own named stream of the run seed
 * (`synthetic/arrivals`, `/durations`, `/demands`, `/tenants`, `/mix`), so changing one
 * distribution leaves the others' draws unchanged.
 */
export function generatedTrace(cluster: ClusterSpec, options: Options, seed: number): TraceSource {
  const total = options['tasks'] as number;
  let made = 0;
  return {
    name: `synthetic(${total} tasks, seed ${seed})`,
    progress: () => made / total,
    async *chunks() {
      const stream = (name: string): Random => randomStream(seed, `synthetic/${name}`);
      const empirical = await empiricalSample(options, cluster);
      const nextArrival = arrivals(options, stream('arrivals'));
      const durationSpec = options['duration'] as Distribution;
      const durationRandom = stream('durations');
      const pickEmpirical = (): TaskSpec => {
        if (empirical.length === 0) throw inputError(RangeError, 'A distribution is "empirical" but the "empirical" trace option names no trace (or it has no tasks)');
        return empirical[Math.floor(durationRandom() * empirical.length)] as TaskSpec;
      };
      const drawDuration = durationSpec['dist'] === 'empirical' ? null : sampler(durationSpec, durationRandom);
      const demandRandom = stream('demands');
      const demandSpecs = options['demands'] as Record<string, Distribution>;
      for (const dim of Object.keys(demandSpecs)) {
        if (!cluster.resources.names.includes(dim)) throw inputError(RangeError, `Synthetic "demands" names ${show(dim)}, not a resource of the cluster (${cluster.resources.names.join(', ')})`);
      }
      const drawDemand = cluster.resources.names.map((dim, d) => {
        const spec = demandSpecs[dim];
        if (spec === undefined) {
          const smallest = Math.min(...cluster.groups.filter((g) => g.ids.length > 0 && (g.capacity[d] as number) > 0).map((g) => g.capacity[d] as number));
          const value = Number.isFinite(smallest) ? Math.max(1, Math.floor(smallest / 16)) : 0;
          return () => value;
        }
        if (spec['dist'] === 'empirical') return null;
        const draw = sampler(spec, demandRandom);
        return () => Math.max(1, Math.round(draw()));
      });
      const tenantRandom = stream('tenants');
      const tenantWeights = Array.from({ length: options['tenants'] as number }, (_, i) => 1 / (i + 1));
      const tenantTotal = tenantWeights.reduce((a, b) => a + b, 0);
      const mixRandom = stream('mix');
      const serviceFraction = options['service_fraction'] as number;
      const priorities = options['priorities'] as number;
      const perJob = options['tasks_per_job'] as number;
      while (made < total) {
        const chunk: TaskSpec[] = [];
        const end = Math.min(total, made + CHUNK_SIZE);
        for (; made < end; made++) {
          const submit = secondsToMicros(nextArrival());
          const sample = drawDuration === null || drawDemand.includes(null) ? pickEmpirical() : undefined;
          const service = mixRandom() < serviceFraction;
          const seconds = drawDuration === null ? null : drawDuration();
          const duration = service ? null : seconds === null ? (sample as TaskSpec).duration : secondsToMicros(Math.max(0.001, seconds));
          const demand = Float64Array.from(drawDemand, (draw, d) => (draw === null ? ((sample as TaskSpec).demand[d] as number) : draw()));
          let u = tenantRandom() * tenantTotal;
          let tenant = 0;
          while (tenant < tenantWeights.length - 1 && u >= (tenantWeights[tenant] as number)) u -= tenantWeights[tenant++] as number;
          chunk.push(newTaskSpec({
            id: `t${made}`,
            job: `j${Math.floor(made / perJob)}`,
            tenant: `tenant-${tenant}`,
            priority: Math.floor(mixRandom() * priorities),
            kind: duration === null ? 'service' : 'batch',
            submit,
            duration,
            demand,
            constraints: NONE,
          }));
        }
        yield chunk;
      }
    },
  };
}

/** Arrival times in seconds: Poisson, or a two-state MMPP alternating calm and burst periods. */
function arrivals(options: Options, random: Random): () => number {
  const rate = options['rate'] as number;
  let clock = 0;
  if (options['arrival'] === 'poisson') {
    return () => (clock += -Math.log(1 - random()) / rate);
  }
  const burstRate = rate * (options['burst_factor'] as number);
  const meanOn = options['burst_on_s'] as number;
  const meanOff = options['burst_off_s'] as number;
  let bursting = false;
  let switchAt = -Math.log(1 - random()) * meanOff;
  return () => {
    for (;;) {
      const gap = -Math.log(1 - random()) / (bursting ? burstRate : rate);
      if (clock + gap <= switchAt) return (clock += gap);
      // memoryless: at the state change, draw the next gap afresh at the new rate
      clock = switchAt;
      bursting = !bursting;
      switchAt = clock + -Math.log(1 - random()) * (bursting ? meanOn : meanOff);
    }
  };
}

/** The first tasks of the `empirical` trace, read through the registry on the same cluster. */
async function empiricalSample(options: Options, cluster: ClusterSpec): Promise<TaskSpec[]> {
  const ref = options['empirical'] as Record<string, OptionValue>;
  if (ref['path'] === undefined) return [];
  const { openTrace } = await import('./index.js');
  const source = openTrace({ format: (ref['format'] as string | undefined) ?? 'native', path: ref['path'] as string, options: (ref['options'] as Record<string, unknown> | undefined) ?? {}, where: {}, optionsWhere: {} }, cluster, 0);
  const out: TaskSpec[] = [];
  for await (const chunk of source.chunks()) {
    for (const spec of chunk) {
      if (spec.duration === null) continue;
      out.push(spec);
      if (out.length === EMPIRICAL_SAMPLE) return out;
    }
  }
  return out;
}
