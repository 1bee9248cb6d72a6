// A seeded synthetic workload: Poisson arrivals, exponential durations, demands from a few shapes.
import { secondsToMicros } from '../engine/time.js';
import { NONE } from '../model/constraints.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import { randomStream, type Random } from '../random.js';
import { CHUNK_SIZE, type TraceSource } from './source.js';

export interface SyntheticOptions {
  readonly tasks: number;
  readonly seed: number;
  /** Mean arrivals per second. */
  readonly arrivalRate: number;
  /** Mean task duration in seconds at speed 1.0 (of the exponential, before any cap). */
  readonly meanDuration: number;
  /** Longest task duration in seconds; longer draws are cut to it. Absent means no cap. */
  readonly maxDuration?: number;
  /** Demand shapes, each a vector in the cluster's base units; drawn uniformly unless weighted. */
  readonly shapes: readonly (readonly number[])[];
  /** Relative weight of each shape (same length as `shapes`); absent means uniform. */
  readonly weights?: readonly number[];
  readonly tenants?: number;
  readonly priorities?: number;
}

/** Generates the workload lazily, chunk by chunk, from stream "trace" of the seed. */
export function syntheticTrace(options: SyntheticOptions): TraceSource {
  // bad weights are refused here, not at the first chunk
  const pickShape = shapePicker(options);
  // the latest pass over the workload, whose progress is reported
  let latest: TaskMaker | null = null;
  return {
    name: `synthetic(${options.tasks} tasks, seed ${options.seed})`,
    progress: () => (latest?.made ?? 0) / Math.max(1, options.tasks),
    async *chunks() {
      const maker = new TaskMaker(options, pickShape);
      latest = maker;
      while (maker.made < options.tasks) yield maker.chunk(Math.min(options.tasks, maker.made + CHUNK_SIZE));
    },
  };
}

/** The generator's state between chunks; the loop lives in a plain method, which the JIT compiles better than a generator's body. */
class TaskMaker {
  made = 0;
  private clock = 0;
  private job = '';
  private readonly draw: Random;
  private readonly maxDuration: number;
  private readonly shapes: Float64Array[];
  private readonly tenants: string[];
  private readonly priorities: number;

  constructor(private readonly options: SyntheticOptions, private readonly pickShape: (u: number) => number) {
    this.draw = randomStream(options.seed, 'trace');
    this.maxDuration = options.maxDuration ?? Infinity;
    this.shapes = options.shapes.map((s) => Float64Array.from(s));
    this.tenants = Array.from({ length: options.tenants ?? 1 }, (_, i) => `tenant-${i}`);
    this.priorities = options.priorities ?? 1;
  }

  /** The tasks from the next one up to number `end` (exclusive). */
  chunk(end: number): TaskSpec[] {
    const { draw, options, tenants, shapes } = this;
    const from = this.made;
    // sized up front: growing it as it fills would copy it several times
    const chunk = new Array<TaskSpec>(end - from);
    let clock = this.clock;
    let job = this.job;
    for (let made = from; made < end; made++) {
      clock += -Math.log(1 - draw()) / options.arrivalRate;
      const duration = secondsToMicros(Math.min(this.maxDuration, Math.max(0.001, -Math.log(1 - draw()) * options.meanDuration)));
      // sixteen tasks a job, sharing one job string
      if ((made & 15) === 0 || job === '') job = `j${made >> 4}`;
      chunk[made - from] = newTaskSpec({
        id: `t${made}`,
        job,
        tenant: tenants[Math.floor(draw() * tenants.length)] as string,
        priority: Math.floor(draw() * this.priorities),
        kind: 'batch',
        submit: secondsToMicros(clock),
        duration,
        demand: shapes[this.pickShape(draw())] as Float64Array,
        constraints: NONE,
      });
    }
    this.clock = clock;
    this.job = job;
    this.made = end;
    return chunk;
  }
}

/** Maps a uniform draw to a shape index: uniform, or by cumulative weight. */
function shapePicker(options: SyntheticOptions): (u: number) => number {
  const n = options.shapes.length;
  const weights = options.weights;
  if (weights === undefined) return (u) => Math.floor(u * n);
  if (weights.length !== n || weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0)) {
    throw new RangeError(`Shape weights must be ${n} non-negative numbers, not all zero; got ${JSON.stringify(weights)}`);
  }
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w));
  return (u) => {
    const x = u * sum;
    let i = 0;
    while (i < n - 1 && x >= (cumulative[i] as number)) i++;
    return i;
  };
}
