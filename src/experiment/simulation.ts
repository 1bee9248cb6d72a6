// One run: a cluster, a streamed trace and a policy on the event engine, feeding the metric sinks.
import { Engine, type EngineEvent } from '../engine/engine.js';
import type { Micros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { Cluster } from '../model/cluster.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { satisfies } from '../model/constraints.js';
import { makeTask, type Task, type TaskSpec, type TaskView } from '../model/task.js';
import { LiveClusterView } from '../model/view.js';
import { UsageLedger } from '../metrics/usage.js';
import type { ControllerSetup } from '../../policies/index.js';
import type { Decisions, EventRecord, Policy, Scheduler } from '../policy.js';
import { randomStream } from '../random.js';
import type { TraceSource } from '../traces/source.js';

/** Event kinds of the simulation; their ranks order same-time events. */
export const EventKind = { Finish: 0 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];
/**
 * Ranks of the engine's kinds (machine changes will rank before finishes). Trace arrivals are not
 * engine events (see Simulation.arrivalAt): they fire after every engine event of their instant,
 * and the scheduling round runs once the instant is fully applied.
 */
const RANKS: readonly number[] = [1];

export interface RunInput {
  readonly cluster: ClusterSpec;
  readonly trace: TraceSource;
  readonly policy: Policy;
  /** Periodic controllers (power capping, autoscaling), ticking from the first submission. */
  readonly controllers?: readonly ControllerSetup[];
  /** Attempts a task gets when machines under it go away (default 1: no retries). */
  readonly maxAttempts?: number;
  readonly seed: number;
  /** Time between samples of the cluster state. */
  readonly sampleInterval: Micros;
  /** Stop here even if work remains; tasks still running or waiting are reported as such. */
  readonly horizon?: Micros | undefined;
}

/** What the simulation reports to, as things happen. */
export interface RunObserver {
  /** A task attempt reached its final state for this run (terminal, or still running/waiting at the end). */
  taskEnded(task: Task, sim: Simulation): void;
  /** The cluster state at `time` (after every event of that instant). */
  sample(time: Micros, sim: Simulation): void;
  /** Called after every event, for checks in tests; keep it absent in real runs. */
  afterEvent?(sim: Simulation): void;
}

/** Thrown when a policy emits an invalid decision: a bug in that policy. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

export class Simulation {
  readonly engine = new Engine<EventKind>(RANKS);
  readonly cluster: Cluster;
  readonly ledger: UsageLedger;
  readonly view: LiveClusterView;
  readonly scheduler: Scheduler;
  pending = 0;
  running = 0;
  /** Time of the first submission (accounting starts here), or -1 before any. */
  firstSubmit: Micros = -1;
  /** Time the run ended. */
  end: Micros = 0;
  private admitted = 0;
  /**
   * Time of the next trace arrival, or Infinity. Arrivals come in time order one at a time, so
   * they wait here instead of in the engine's heap (a push and pop through ~log2(running) levels
   * per task saved). They fire as if ranked after every engine event of the same instant.
   */
  private arrivalAt: Micros = Infinity;
  private arrivals = 0;
  private readonly live: (Task | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private buffer: readonly TaskSpec[] = [];
  private next = 0;
  private needRefill = false;
  private traceDone = false;
  private roundRequested = false;
  private rounds = 0;
  private nextSample = Infinity;
  private readonly handler = (event: EngineEvent<EventKind>): void => this.handle(event);
  private readonly decisions: Decisions = { place: (task, m) => this.place(task, m) };

  constructor(private readonly input: RunInput, private readonly observer: RunObserver) {
    this.cluster = new Cluster(input.cluster);
    this.ledger = new UsageLedger(this.cluster, 0);
    this.view = new LiveClusterView(this.cluster, () => this.engine.now);
    this.scheduler = input.policy.create({
      view: this.view,
      random: (name) => randomStream(input.seed, name),
      wakeAt: (time) => this.wakeAt(time),
      log: (event) => this.log(event),
    });
  }

  get now(): Micros {
    return this.engine.now;
  }

  /** Events processed: task arrivals, task finishes and scheduling rounds. */
  get events(): number {
    return this.engine.processed + this.arrivals + this.rounds;
  }

  /** Runs to the end of the trace and of all work (or to the horizon). */
  async run(onProgress?: (sim: Simulation) => void): Promise<void> {
    const chunks = this.input.trace.chunks()[Symbol.asyncIterator]();
    const horizon = this.input.horizon ?? Infinity;
    this.needRefill = true;
    for (;;) {
      if (this.needRefill) {
        this.needRefill = false;
        const result = await chunks.next();
        if (result.done === true) {
          this.traceDone = true;
        } else {
          this.buffer = result.value;
          this.next = 0;
          this.scheduleNextArrival();
        }
        onProgress?.(this);
      }
      const queued = this.engine.peekTime() ?? Infinity;
      const t = Math.min(queued, this.arrivalAt);
      if (this.roundRequested && t !== this.engine.now) {
        // every event of this instant has been applied: run the round before the clock moves on
        this.roundRequested = false;
        this.rounds++;
        this.scheduler.schedule(this.decisions);
        this.observer.afterEvent?.(this);
        continue;
      }
      if (t === Infinity || t > horizon) break;
      while (this.nextSample < t) this.takeSample();
      if (this.arrivalAt < queued) {
        // arrivals rank after finishes (and anything else the engine holds) at the same instant
        this.engine.advanceTo(this.arrivalAt);
        this.arrivalAt = Infinity;
        this.arrivals++;
        this.arrive();
      } else {
        this.engine.step(this.handler);
      }
      this.observer.afterEvent?.(this);
      if (this.needRefill) continue;
    }
    const leftover = this.engine.peekTime() !== undefined || this.arrivalAt !== Infinity || !this.traceDone;
    this.end = leftover && horizon !== Infinity ? horizon : this.engine.now;
    if (this.end > this.engine.now) this.engine.advanceTo(this.end);
    while (this.nextSample <= this.end) this.takeSample();
    this.ledger.finish(this.end);
    const remaining = this.live.filter((t): t is Task => t !== undefined).sort((a, b) => a.uid - b.uid);
    for (const task of remaining) this.observer.taskEnded(task, this);
    await chunks.return?.();
  }

  /** True if `task` is live and waiting, i.e. a valid target for a placement. */
  isPending(task: TaskView): boolean {
    const slot = (task as Task).slot;
    return task.state === 'waiting' && slot >= 0 && this.live[slot] === task;
  }

  private handle(event: EngineEvent<EventKind>): void {
    switch (event.kind) {
      case EventKind.Finish:
        return this.finish(event.a);
      default:
        return assertNever(event.kind);
    }
  }

  private scheduleNextArrival(): void {
    const spec = this.buffer[this.next];
    if (spec === undefined) {
      if (!this.traceDone) this.needRefill = true;
      return;
    }
    if (spec.submit < this.engine.now) {
      throw inputError(RangeError, `Task ${show(spec.id)} is submitted at ${spec.submit / 1e6} s, before the previous task (${this.engine.now / 1e6} s): traces must be in submit order`, { file: this.input.trace.name });
    }
    if (!Number.isSafeInteger(spec.submit)) throw new RangeError(`Task ${show(spec.id)} has a submit time of ${spec.submit} µs, not a whole number of microseconds`);
    this.arrivalAt = spec.submit;
  }

  private arrive(): void {
    const spec = this.buffer[this.next++] as TaskSpec;
    const task = makeTask(spec, this.admitted++);
    if (this.firstSubmit < 0) {
      this.firstSubmit = spec.submit;
      this.ledger.restart(spec.submit);
      this.nextSample = spec.submit;
    }
    if (!this.canEverRun(task)) {
      task.state = 'unschedulable';
      this.observer.taskEnded(task, this);
    } else {
      task.tenantIndex = this.ledger.tenant(task.tenant);
      this.track(task);
      this.pending++;
      this.scheduler.submitted(task);
      this.requestRound();
    }
    this.scheduleNextArrival();
  }

  private place(view: TaskView, m: number): void {
    const task = view as Task;
    const policy = this.input.policy.name;
    if (!this.isPending(task)) {
      throw new PolicyError(`Policy ${policy} at ${this.now / 1e6} s placed task ${show(task.id)} which is not pending (state ${task.state})`);
    }
    if (!Number.isInteger(m) || m < 0 || m >= this.cluster.size) {
      throw new PolicyError(`Policy ${policy} at ${this.now / 1e6} s placed task ${show(task.id)} on unknown machine slot ${m}`);
    }
    if (!this.cluster.fits(m, task.demand, task.constraints)) {
      const why = this.cluster.up[m] !== 1 ? 'which is down' : !this.cluster.hasRoom(m, task.demand) ? 'which lacks room' : 'whose attributes violate its constraints';
      throw new PolicyError(`Policy ${policy} at ${this.now / 1e6} s placed task ${show(task.id)} on machine ${this.cluster.ids[m]} ${why}`);
    }
    const now = this.now;
    this.ledger.touch(m, now);
    this.cluster.allocate(m, task.demand);
    this.ledger.countStart(m);
    this.ledger.tenantChange(task.tenantIndex, task.demand, 1, now);
    task.state = 'running';
    task.machine = m;
    task.start = now;
    this.pending--;
    this.running++;
    this.scheduler.removed(task);
    if (task.duration !== null) {
      const runTime = Math.round(task.duration / (this.cluster.speed[m] as number));
      this.engine.schedule(now + runTime, EventKind.Finish, task.slot);
    }
  }

  private finish(slot: number): void {
    const task = this.live[slot] as Task;
    const m = task.machine;
    const now = this.now;
    this.ledger.touch(m, now);
    this.cluster.release(m, task.demand);
    this.ledger.tenantChange(task.tenantIndex, task.demand, -1, now);
    task.state = 'finished';
    task.end = now;
    this.running--;
    this.untrack(task, slot);
    this.observer.taskEnded(task, this);
    if (this.pending > 0) this.requestRound();
  }

  private wakeAt(time: Micros): void {
    throw new Error(`wakeAt(${time}) lands with the core extension`);
  }

  private log(event: EventRecord): void {
    throw new Error(`log(${event.kind}) lands with the core extension`);
  }

  /** Asks for a scheduling round once every event of the current instant has been applied. */
  private requestRound(): void {
    this.roundRequested = true;
  }

  private takeSample(): void {
    this.observer.sample(this.nextSample, this);
    this.nextSample += this.input.sampleInterval;
  }

  /** A task can ever run if some machine group has the capacity and the attributes it needs. */
  private canEverRun(task: Task): boolean {
    const dims = this.cluster.dims;
    for (const g of this.input.cluster.groups) {
      if (g.ids.length === 0) continue;
      let d = 0;
      while (d < dims && (task.demand[d] as number) <= (g.capacity[d] as number)) d++;
      if (d === dims && satisfies(g.attributes, task.constraints)) return true;
    }
    return false;
  }

  private track(task: Task): void {
    const slot = this.freeSlots.pop() ?? this.live.length;
    this.live[slot] = task;
    task.slot = slot;
  }

  private untrack(task: Task, slot: number): void {
    this.live[slot] = undefined;
    task.slot = -1;
    this.freeSlots.push(slot);
  }
}

function assertNever(kind: never): never {
  throw new Error(`Unhandled event kind ${String(kind)}`);
}
