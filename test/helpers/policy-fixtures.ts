// Policy test fixtures: in-memory clusters and traces, a validating direct harness, simulation runs, generators.
import fc from 'fast-check';
import type { Micros } from '../../src/engine/time.js';
import { Simulation, type RunObserver } from '../../src/experiment/simulation.js';
import { Cluster } from '../../src/model/cluster.js';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import { satisfies, type Attributes, type Constraint, type PlacementRule } from '../../src/model/constraints.js';
import { makeTask, type Task, type TaskKind, type TaskSpec, type TaskView } from '../../src/model/task.js';
import { LiveClusterView } from '../../src/model/view.js';
import type { ControllerSetup } from '../../policies/index.js';
import type { EventRecord, Policy, Scheduler } from '../../src/policy.js';
import { randomStream } from '../../src/random.js';
import type { MachineEvent, TraceSource } from '../../src/traces/source.js';

/** A machine group as tests write it; `count` defaults to 1, `speed` to 1. */
export interface GroupInput {
  readonly name?: string;
  readonly count?: number;
  readonly capacity: readonly number[];
  readonly speed?: number;
  readonly attributes?: Attributes;
}

/** Builds a cluster spec in memory; groups are named g0, g1... unless named, machines `<group>-<i>`. */
export function clusterSpec(resources: readonly string[], groups: readonly GroupInput[]): ClusterSpec {
  return {
    file: 'memory-cluster.yaml',
    resources: { names: [...resources], units: resources.map(() => 'unit') },
    groups: groups.map((g, i) => {
      if (g.capacity.length !== resources.length) throw new Error(`Group ${i} has ${g.capacity.length} capacities for ${resources.length} resources`);
      const name = g.name ?? `g${i}`;
      return {
        name,
        ids: Array.from({ length: g.count ?? 1 }, (_, k) => `${name}-${k}`),
        capacity: Float64Array.from(g.capacity),
        speed: g.speed ?? 1,
        attributes: g.attributes ?? {},
      };
    }),
  };
}

/** One single-machine group per capacity vector: machine slot i is group i. */
export function machines(resources: readonly string[], capacities: readonly (readonly number[])[], attributes: readonly Attributes[] = []): ClusterSpec {
  return clusterSpec(resources, capacities.map((capacity, i) => ({ name: `m${i}`, capacity, attributes: attributes[i] ?? {} })));
}

/** A task as tests write it; unset fields get neutral defaults. */
export interface TaskInput {
  readonly id?: string;
  readonly demand: readonly number[];
  readonly submit?: Micros;
  readonly duration?: Micros | null;
  readonly priority?: number;
  readonly constraints?: readonly Constraint[];
  readonly rules?: readonly PlacementRule[];
  readonly tenant?: string;
  readonly job?: string;
  readonly kind?: TaskKind;
}

export function taskSpec(input: TaskInput, fallbackId: string): TaskSpec {
  const duration = input.duration === undefined ? 1_000_000 : input.duration;
  const id = input.id ?? fallbackId;
  return {
    id,
    job: input.job ?? id,
    tenant: input.tenant ?? 'default',
    priority: input.priority ?? 0,
    kind: input.kind ?? (duration === null ? 'service' : 'batch'),
    submit: input.submit ?? 0,
    duration,
    demand: Float64Array.from(input.demand),
    constraints: input.constraints ?? [],
    rules: input.rules,
  };
}

/** A trace held in memory, yielded in chunks of `chunkSize` to exercise the simulation's refills. */
export function memoryTrace(tasks: readonly TaskSpec[], chunkSize = 7, machineEvents?: readonly MachineEvent[]): TraceSource {
  return {
    name: 'memory-trace.csv',
    progress: () => null,
    async *chunks() {
      for (let i = 0; i < tasks.length; i += chunkSize) yield tasks.slice(i, i + chunkSize);
    },
    ...(machineEvents !== undefined
      ? {
          async *machineEvents() {
            for (let i = 0; i < machineEvents.length; i += chunkSize) yield machineEvents.slice(i, i + chunkSize);
          },
        }
      : {}),
  };
}

/** One placement as observed: when, which task, which machine slot. */
export interface Placed {
  readonly time: Micros;
  readonly id: string;
  readonly machine: number;
}

/**
 * Drives a policy's scheduler directly, as the simulation would, and checks every decision
 * independently of the simulation: pending task, placed once, known slot, machine up, room in
 * every dimension, constraints hold. A bad decision throws at once, naming the policy.
 */
export class PolicyHarness {
  readonly cluster: Cluster;
  readonly view: LiveClusterView;
  readonly scheduler: Scheduler;
  now: Micros = 0;
  /** Every placement so far, in order. */
  readonly log: Placed[] = [];
  readonly pending = new Set<Task>();
  readonly running = new Set<Task>();
  private readonly demandCopies = new Map<Task, Float64Array>();
  private uid = 0;

  constructor(spec: ClusterSpec, readonly policy: Policy, seed = 1) {
    this.cluster = new Cluster(spec);
    this.view = new LiveClusterView(this.cluster, () => this.now);
    this.scheduler = policy.create({ view: this.view, random: (name) => randomStream(seed, name), wakeAt: () => {}, log: () => {} });
  }

  /** Admits a new task to the pending queue. */
  submit(input: TaskInput): Task {
    const uid = this.uid++;
    const task = makeTask(taskSpec({ submit: this.now, ...input }, `t${uid}`), uid);
    this.demandCopies.set(task, Float64Array.from(task.demand));
    this.pending.add(task);
    this.scheduler.submitted(task);
    return task;
  }

  /** Puts a task that left the queue back in it (a retry), as the same object. */
  resubmit(task: Task): void {
    if (this.pending.has(task) || this.running.has(task)) throw new Error(`Task ${task.id} is still live`);
    task.state = 'waiting';
    task.machine = -1;
    this.demandCopies.set(task, Float64Array.from(task.demand));
    this.pending.add(task);
    this.scheduler.submitted(task);
  }

  /** Takes a pending task out of the queue without running it. */
  withdraw(task: Task): void {
    if (!this.pending.delete(task)) throw new Error(`Task ${task.id} is not pending`);
    this.forget(task);
    task.state = 'killed';
    this.scheduler.removed(task);
  }

  /** Ends a running task and frees its resources. */
  finish(task: Task): void {
    if (!this.running.delete(task)) throw new Error(`Task ${task.id} is not running`);
    this.forget(task);
    this.cluster.release(task.machine, task.demand);
    task.state = 'finished';
    task.end = this.now;
  }

  /** Starts a task on machine `m` behind the scheduler's back (work it never saw), as background load. */
  occupy(m: number, demand: readonly number[]): Task {
    const uid = this.uid++;
    const task = makeTask(taskSpec({ submit: this.now, demand }, `background${uid}`), uid);
    if (!this.cluster.fits(m, task.demand, task.constraints)) throw new Error(`Background task does not fit on slot ${m}`);
    this.cluster.allocate(m, task.demand);
    task.state = 'running';
    task.machine = m;
    task.start = this.now;
    this.running.add(task);
    return task;
  }

  /** Brings a machine up or down (down only when empty). */
  setUp(m: number, up: boolean): void {
    this.cluster.setUp(m, up);
    this.scheduler.machineChanged?.(m);
  }

  /** Runs one scheduling round and returns its placements, all validated and applied. */
  round(): Placed[] {
    const placed: Placed[] = [];
    this.scheduler.schedule({
      place: (view: TaskView, m: number) => {
        const task = view as Task;
        const where = `Policy ${this.policy.name} at ${this.now} µs placed task ${JSON.stringify(task.id)} on slot ${m}`;
        if (this.running.has(task)) throw new Error(`${where}: the task is already placed`);
        if (!this.pending.has(task)) throw new Error(`${where}: the task is not pending (state ${task.state})`);
        if (!Number.isInteger(m) || m < 0 || m >= this.cluster.size) throw new Error(`${where}: unknown slot`);
        if (this.cluster.up[m] !== 1) throw new Error(`${where}: the machine is down`);
        const dims = this.cluster.dims;
        for (let d = 0; d < dims; d++) {
          const free = this.cluster.free[m * dims + d] as number;
          if (free < (task.demand[d] as number)) throw new Error(`${where}: over-commits ${this.cluster.resources.names[d]} (free ${free}, demand ${task.demand[d]})`);
        }
        if (!satisfies(this.cluster.attributes[m] as Attributes, task.constraints)) throw new Error(`${where}: violates its constraints`);
        this.cluster.allocate(m, task.demand);
        task.state = 'running';
        task.machine = m;
        task.start = this.now;
        this.pending.delete(task);
        this.running.add(task);
        const entry = { time: this.now, id: task.id, machine: m };
        placed.push(entry);
        this.log.push(entry);
        this.scheduler.removed(task);
      },
    });
    this.checkState();
    return placed;
  }

  /** Free plus the demand of the tasks running there equals capacity everywhere; no task's demand changed. */
  checkState(): void {
    const dims = this.cluster.dims;
    const used = new Float64Array(this.cluster.size * dims);
    for (const task of this.running) for (let d = 0; d < dims; d++) used[task.machine * dims + d] = (used[task.machine * dims + d] as number) + (task.demand[d] as number);
    for (let i = 0; i < used.length; i++) {
      const free = this.cluster.free[i] as number;
      if (free < 0 || free + (used[i] as number) !== this.cluster.capacity[i]) {
        throw new Error(`Machine slot ${Math.floor(i / dims)} dimension ${i % dims}: free ${free} + used ${used[i]} ≠ capacity ${this.cluster.capacity[i]}`);
      }
    }
    for (const task of this.demandCopies.keys()) this.checkDemand(task);
  }

  private checkDemand(task: Task): void {
    const copy = this.demandCopies.get(task);
    if (copy !== undefined && copy.some((q, d) => task.demand[d] !== q)) throw new Error(`Policy ${this.policy.name} changed the demand of task ${task.id}`);
  }

  /** Checks a task leaving the harness for the last time (until a resubmit) and stops tracking it. */
  private forget(task: Task): void {
    this.checkDemand(task);
    this.demandCopies.delete(task);
  }

  /** The slots of the placements of one round, in order. */
  roundSlots(): number[] {
    return this.round().map((p) => p.machine);
  }
}

/** A policy wrapped to record what the simulation tells it and what it decides. */
export interface Instrumented {
  readonly policy: Policy;
  readonly decisions: Placed[];
  /** Every task the policy placed, in order (the simulation's live task objects). */
  readonly placed: Task[];
  /** Tasks the scheduler was told are pending and not yet told are gone. */
  readonly waiting: Set<TaskView>;
}

/** A policy under `inner`'s name and options whose schedulers `create` makes (usually around `inner.create(ctx)`). */
export function wrapPolicy(inner: Policy, create: Policy['create']): Policy {
  return { name: inner.name, options: inner.options, create };
}

export function instrument(inner: Policy): Instrumented {
  const decisions: Placed[] = [];
  const placed: Task[] = [];
  const waiting = new Set<TaskView>();
  const policy = wrapPolicy(inner, (ctx) => {
    const scheduler = inner.create(ctx);
    return {
      ...(scheduler.roundInterval !== undefined ? { roundInterval: scheduler.roundInterval } : {}),
      ...(scheduler.stopped !== undefined ? { stopped: (task: TaskView) => scheduler.stopped?.(task) } : {}),
      ...(scheduler.released !== undefined ? { released: (tenant: number, demand: Float64Array) => scheduler.released?.(tenant, demand) } : {}),
      machineChanged: (m) => scheduler.machineChanged?.(m),
      submitted(task) {
        waiting.add(task);
        scheduler.submitted(task);
      },
      removed(task) {
        waiting.delete(task);
        scheduler.removed(task);
      },
      schedule(out) {
        scheduler.schedule({
          place(task, m) {
            out.place(task, m);
            decisions.push({ time: ctx.view.now, id: task.id, machine: m });
            placed.push(task as Task);
          },
        });
      },
    };
  });
  return { policy, decisions, placed, waiting };
}

export interface SimulationResult {
  readonly sim: Simulation;
  /** Tasks in the order taskEnded reported them. */
  readonly ended: Task[];
  readonly decisions: Placed[];
}

/** Runs a whole simulation of `tasks` on `spec` under `policy`, recording decisions and ended tasks. */
export async function simulate(
  spec: ClusterSpec,
  tasks: readonly TaskSpec[],
  policy: Policy,
  options: {
    seed?: number;
    chunkSize?: number;
    horizon?: Micros;
    afterEvent?: (sim: Simulation, run: Instrumented) => void;
    controllers?: readonly ControllerSetup[];
    maxAttempts?: number;
    machineEvents?: readonly MachineEvent[];
    onEvent?: (event: EventRecord, sim: Simulation) => void;
  } = {},
): Promise<SimulationResult> {
  const run = instrument(policy);
  const ended: Task[] = [];
  const after = options.afterEvent;
  const observer: RunObserver = {
    taskEnded: (task) => {
      ended.push(task);
    },
    sample: () => {},
    ...(after !== undefined ? { afterEvent: (sim: Simulation) => after(sim, run) } : {}),
    ...(options.onEvent !== undefined ? { event: options.onEvent } : {}),
  };
  const trace = memoryTrace(tasks, options.chunkSize, options.machineEvents);
  const sim = new Simulation(
    {
      cluster: spec,
      trace,
      policy: run.policy,
      seed: options.seed ?? 1,
      sampleInterval: 1_000_000,
      horizon: options.horizon,
      controllers: options.controllers ?? [],
      maxAttempts: options.maxAttempts ?? 1,
    },
    observer,
  );
  await sim.run();
  return { sim, ended, decisions: run.decisions };
}

/** True if some machine of the spec could ever hold the task: capacity and attributes. */
export function canEverRun(spec: ClusterSpec, task: TaskSpec): boolean {
  return spec.groups.some((g) => g.ids.length > 0 && task.demand.every((q, d) => q <= (g.capacity[d] as number)) && satisfies(g.attributes, task.constraints));
}

export const RESOURCES = ['cpu', 'mem', 'gpu'] as const;

/** Constraints generated tasks may carry; the last matches no generated machine. */
export const CONSTRAINT_CHOICES: readonly (readonly Constraint[])[] = [
  [{ attribute: 'zone', op: 'eq', values: ['a'] }],
  [{ attribute: 'zone', op: 'ne', values: ['a'] }],
  [{ attribute: 'class', op: 'eq', values: ['x', 'y'] }],
  [{ attribute: 'zone', op: 'eq', values: ['b'] }, { attribute: 'class', op: 'ne', values: ['y'] }],
  [{ attribute: 'rack', op: 'eq', values: ['r9'] }],
];

const capacity = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(50, 100) }, { weight: 6, arbitrary: fc.integer({ min: 10, max: 100 }) }, { weight: 1, arbitrary: fc.constant(0) });
const demand = fc.oneof({ weight: 16, arbitrary: fc.integer({ min: 0, max: 30 }) }, { weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 31, max: 150 }) });

/** Small clusters: 1–3 resource dimensions, 1–4 groups, 1–6 machines, varied capacities, speeds, attributes. */
export function arbCluster(): fc.Arbitrary<ClusterSpec> {
  return fc.integer({ min: 1, max: 3 }).chain((dims) =>
    fc
      .array(
        fc.record({
          count: fc.integer({ min: 0, max: 3 }),
          capacity: fc.array(capacity, { minLength: dims, maxLength: dims }),
          speed: fc.constantFrom(0.5, 1, 1, 1.5, 2, 3),
          zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
          class: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .filter((groups) => {
        const total = groups.reduce((n, g) => n + g.count, 0);
        return total >= 1 && total <= 6;
      })
      .map((groups) =>
        clusterSpec(
          RESOURCES.slice(0, dims),
          groups.map((g) => {
            const attributes: Record<string, string> = {};
            if (g.zone !== undefined) attributes['zone'] = g.zone;
            if (g.class !== undefined) attributes['class'] = g.class;
            return { count: g.count, capacity: g.capacity, speed: g.speed, attributes };
          }),
        ),
      ),
  );
}

/** 0–`maxTasks` tasks in submit order: some too big, some constrained, some services (no duration). */
export function arbTasks(dims: number, maxTasks = 40): fc.Arbitrary<TaskSpec[]> {
  return fc
    .array(
      fc.record({
        gap: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 3_000_000 }) }),
        duration: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 8, arbitrary: fc.integer({ min: 0, max: 20_000_000 }) }),
        demand: fc.array(demand, { minLength: dims, maxLength: dims }),
        priority: fc.integer({ min: 0, max: 3 }),
        constraints: fc.oneof({ weight: 4, arbitrary: fc.constant<readonly Constraint[]>([]) }, { weight: 1, arbitrary: fc.constantFrom(...CONSTRAINT_CHOICES) }),
        tenant: fc.constantFrom('a', 'b', 'a/x'),
      }),
      { maxLength: maxTasks, size: 'max' },
    )
    .map((rows) => {
      let submit = 0;
      return rows.map((row, i) => {
        submit += row.gap;
        return taskSpec({ submit, duration: row.duration, demand: row.demand, priority: row.priority, constraints: row.constraints, tenant: row.tenant }, `t${i}`);
      });
    });
}

export interface Scenario {
  readonly spec: ClusterSpec;
  readonly tasks: TaskSpec[];
  readonly chunkSize: number;
}

export function arbScenario(maxTasks = 40): fc.Arbitrary<Scenario> {
  return arbCluster().chain((spec) =>
    fc.record({ spec: fc.constant(spec), tasks: arbTasks(spec.resources.names.length, maxTasks), chunkSize: fc.integer({ min: 1, max: 10 }) }),
  );
}
