// One run: a cluster, a streamed trace and a policy on the event engine, feeding the metric sinks.
import { Engine, type EngineEvent } from '../engine/engine.js';
import type { Micros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { Cluster } from '../model/cluster.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { satisfies } from '../model/constraints.js';
import { DependencyGate } from './dependencies.js';
import { makeTask, nextAttempt, type Task, type TaskSpec, type TaskView } from '../model/task.js';
import { LiveClusterView } from '../model/view.js';
import { UsageLedger } from '../metrics/usage.js';
import type { ControllerSetup } from '../../policies/index.js';
import { tellStopped, type ClusterControl, type Controller, type Decisions, type EventRecord, type Policy, type Scheduler } from '../policy.js';
import { randomStream } from '../random.js';
import type { MachineEvent, TraceSource } from '../traces/source.js';
import { ensureLength } from '../typed-array.js';

/** Event kinds of the simulation; their ranks order same-time events. */
export const EventKind = { MachineJoin: 0, Finish: 1, Wake: 2, RoundTick: 3, ControllerTick: 4 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];
/**
 * Ranks of the engine's kinds: machines joining before task finishes; wakes and ticks only mark
 * work for the end of the instant. Trace machine events fire before the engine's events of their
 * instant and trace arrivals after them (see Simulation.arrivalAt); the scheduling round, then
 * controller ticks, run once the instant is fully applied.
 */
const RANKS: readonly number[] = [0, 1, 2, 3, 4];

/** The group machines added by a trace's machine events belong to. */
export const TRACE_GROUP = 'trace';

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
  /**
   * A task attempt reached its final state for this run (terminal, or still running/waiting at the
   * end). `slot` is the live slot it held (the one {@link taskStarted} named, if it started), or -1
   * if it never held one (unschedulable, or held back by its dependencies).
   */
  taskEnded(task: Task, sim: Simulation, slot: number): void;
  /**
   * A task attempt started on its machine; `slot` names it until it ends (a later attempt may reuse
   * the number). Called while the task's record is still in the cache, to take what the end will need.
   */
  taskStarted?(task: Task, slot: number, sim: Simulation): void;
  /**
   * The attempt in `slot` (see {@link taskStarted}) finished now. An observer with this hook gets a
   * finish here instead of through {@link taskEnded}, without the task's record: on a long run the
   * record has left the cache by the time its task finishes, and reading it again costs more than
   * the rest of the finish. The simulation then does not go back to the record either (unless the
   * policy's `stopped` hook needs it, or the task completes a dependency key), so such a record
   * keeps the state `running`, as the documentation of {@link Task} says.
   */
  taskFinished?(slot: number, sim: Simulation): void;
  /** The cluster state at `time` (after every event of that instant). */
  sample(time: Micros, sim: Simulation): void;
  /** Something for events.arrow happened at the current time (a machine change, a policy's log). */
  event?(event: EventRecord, sim: Simulation): void;
  /** Called after every event, for checks in tests; keep it absent in real runs. */
  afterEvent?(sim: Simulation): void;
}

/** Thrown when a policy emits an invalid decision: a bug in that policy. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

// Fields of a live slot in Simulation's slotInts: a counter bumped whenever the slot's finish
// event becomes stale; the neighbours in its machine's list of running tasks (-1: none; kept only
// when machines can change); the task's tenant number, its machine while it runs (-1 before), and
// 1 if its finish may skip the task's record altogether (see RunObserver.taskFinished), and while
// the task waits, where its record sits in Simulation's waitingRecords (-1 once it runs).
const SLOT_GENERATION = 0;
const SLOT_NEXT = 1;
const SLOT_PREV = 2;
const SLOT_TENANT = 3;
const SLOT_MACHINE = 4;
const SLOT_QUICK = 5;
const SLOT_WAITING = 6;
/** Int32 fields a slot takes: a power of two, so that slots never straddle cache lines. */
const SLOT_FIELDS = 8;

/** The names of the machine groups a run reports on: the spec's, then `trace` if the trace adds machines. */
export function runGroups(spec: ClusterSpec, trace: TraceSource): string[] {
  const names = spec.groups.map((g) => g.name);
  if (trace.machineEvents !== undefined && !names.includes(TRACE_GROUP)) names.push(TRACE_GROUP);
  return names;
}

interface LiveController {
  readonly name: string;
  readonly interval: Micros;
  readonly controller: Controller;
  due: boolean;
}

export class Simulation implements ClusterControl {
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
  /** Per machine slot: when it (last) joined the run, and when it was removed for good (-1: never). */
  readonly addedAt: number[] = [];
  readonly removedAt: number[] = [];
  private admitted = 0;
  /**
   * Time of the next trace arrival, or Infinity. Arrivals come in time order one at a time, so
   * they wait here instead of in the engine's heap (a push and pop through ~log2(running) levels
   * per task saved). They fire as if ranked after every engine event of the same instant.
   */
  private arrivalAt: Micros = Infinity;
  /** Time of the next trace machine event, or Infinity; fires before engine events of its instant. */
  private machineAt: Micros = Infinity;
  private arrivals = 0;
  private handled = 0;
  /**
   * Per live slot: the record of the attempt running there, when it is kept (see
   * {@link keepsRunningRecords}; a task that runs to the end or completes a dependency always is).
   */
  private readonly live: (Task | undefined)[] = [];
  /**
   * The records of the waiting attempts, each at its slot's SLOT_WAITING position; freed positions
   * are reused. A small table of its own: storing every arriving record (a young object) into the
   * large, long-lived `live` table cost a write-barrier call per task, about 3 % of a run's main thread.
   */
  private readonly waitingRecords: (Task | undefined)[] = [];
  private readonly freeWaiting: number[] = [];
  /**
   * Per live slot, {@link SLOT_FIELDS} integers side by side (one access touches one cache line,
   * where separate arrays cost a miss each on a large run): see SLOT_GENERATION and the fields after it.
   */
  private slotInts = new Int32Array(SLOT_FIELDS * 1024);
  /** Per live slot: the task's demand, so that a finish need not read the task's record. */
  private readonly slotDemand: Float64Array[] = [];
  /**
   * Per live slot: when its running attempt is due to finish (moves when its machine's speed
   * changes), or -1. Kept only when machines can change ({@link dynamicMachines}), the only times it is read.
   */
  private slotFinishAt = new Float64Array(1024);
  /**
   * Per machine: the first and last slot of its list of running tasks, in placement order (-1:
   * none). Kept only when machines can change ({@link dynamicMachines}), the only times it is read.
   */
  private readonly firstOnMachine: number[] = [];
  private readonly lastOnMachine: number[] = [];
  private readonly freeSlots: number[] = [];
  /** True when finishes go to the observer's taskFinished and the policy has no stopped hook to call. */
  private readonly quickFinish: boolean;
  /**
   * True when the simulation keeps the record of every running attempt; false when it lets go of a
   * running attempt's record at its start, because nothing can ask for it again (set in the
   * constructor, which says when). Records held elsewhere (by a policy, say) are untouched.
   */
  readonly keepsRunningRecords: boolean;
  private readonly dependencies = new DependencyGate();
  private buffer: readonly TaskSpec[] = [];
  private next = 0;
  private needRefill = false;
  private traceDone = false;
  private machineBuffer: readonly MachineEvent[] = [];
  private machineNext = 0;
  private needMachineRefill = false;
  private machinesDone = true;
  private roundRequested = false;
  private rounds = 0;
  /** Engine events other than wakes and ticks still queued (stale finishes excluded). */
  private liveQueued = 0;
  /** State changes so far, and the time of the last: a run with only timers left ends when quiet. */
  private changes = 0;
  private lastChangeAt: Micros = 0;
  private lastActivity: Micros = 0;
  private nextSample = Infinity;
  private readonly controllers: LiveController[] = [];
  private readonly longestPeriod: Micros;
  private readonly maxAttempts: number;
  /** True when machine events or controllers can change machines (kill, slow down or visit what runs there). */
  private readonly dynamicMachines: boolean;
  private readonly handler = (event: EngineEvent<EventKind>): void => this.handle(event);
  private readonly decisions: Decisions = { place: (task, m) => this.place(task, m) };

  constructor(private readonly input: RunInput, private readonly observer: RunObserver) {
    this.cluster = new Cluster(input.cluster);
    for (const name of runGroups(input.cluster, input.trace)) this.cluster.group(name);
    this.ledger = new UsageLedger(this.cluster, 0);
    this.view = new LiveClusterView(this.cluster, () => this.engine.now);
    for (let m = 0; m < this.cluster.size; m++) this.machineSlot(m);
    this.maxAttempts = input.maxAttempts ?? 1;
    const context = {
      view: this.view,
      random: (name: string) => randomStream(input.seed, name),
      wakeAt: (time: Micros) => this.wakeAt(time),
      log: (event: EventRecord) => this.log(event),
    };
    this.scheduler = input.policy.create(context);
    for (const setup of input.controllers ?? []) {
      const interval = setup.factory.interval(setup.options);
      if (!(interval > 0) || !Number.isSafeInteger(interval)) throw new RangeError(`Controller ${setup.name} has a tick interval of ${interval} µs; it must be a positive whole number`);
      this.controllers.push({ name: setup.name, interval, due: false, controller: setup.factory.create({ ...context, control: this }, setup.options) });
    }
    const intervals = [...this.controllers.map((c) => c.interval), this.scheduler.roundInterval ?? 0];
    this.longestPeriod = Math.max(...intervals);
    this.dynamicMachines = input.trace.machineEvents !== undefined || this.controllers.length > 0;
    this.quickFinish = observer.taskFinished !== undefined && this.scheduler.stopped === undefined;
    // Nothing can ask for a running attempt's record again when its finish goes without it, no
    // controller or machine event can kill it or visit it, and no horizon can cut it off to be
    // reported running: then the simulation drops the record when the attempt starts, and the
    // record dies young instead of being copied by every scavenge while its task runs.
    this.keepsRunningRecords = !this.quickFinish || this.dynamicMachines || input.horizon !== undefined;
  }

  get now(): Micros {
    return this.engine.now;
  }

  /** Events processed: arrivals, task finishes, machine changes, wakes, ticks and scheduling rounds. */
  get events(): number {
    return this.handled + this.arrivals + this.rounds;
  }

  /** Runs to the end of the trace and of all work (or to the horizon). */
  async run(onProgress?: (sim: Simulation) => void): Promise<void> {
    const chunks = this.input.trace.chunks()[Symbol.asyncIterator]();
    const machineChunks = this.input.trace.machineEvents?.()[Symbol.asyncIterator]();
    const horizon = this.input.horizon ?? Infinity;
    this.needRefill = true;
    this.machinesDone = machineChunks === undefined;
    this.needMachineRefill = !this.machinesDone;
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
      if (this.needMachineRefill && machineChunks !== undefined) {
        this.needMachineRefill = false;
        const result = await machineChunks.next();
        if (result.done === true) {
          this.machinesDone = true;
        } else {
          this.machineBuffer = result.value;
          this.machineNext = 0;
          this.scheduleNextMachineEvent();
        }
      }
      if (this.needRefill || this.needMachineRefill) continue;
      const queued = this.engine.peekTime() ?? Infinity;
      const t = Math.min(queued, this.arrivalAt, this.machineAt);
      if (t !== this.engine.now) {
        // every event of this instant has been applied: the round, then controller ticks
        if (this.roundRequested) {
          this.roundRequested = false;
          this.rounds++;
          this.scheduler.schedule(this.decisions);
          this.observer.afterEvent?.(this);
          continue;
        }
        if (this.tickControllers()) continue;
      }
      if (t === Infinity || t > horizon || this.onlyTimersLeft()) break;
      while (this.nextSample < t) this.takeSample();
      if (this.machineAt === t) {
        this.engine.advanceTo(t);
        this.machineAt = Infinity;
        this.handled++;
        this.applyMachineEvent();
      } else if (this.arrivalAt < queued) {
        // arrivals rank after finishes (and anything else the engine holds) at the same instant
        this.engine.advanceTo(this.arrivalAt);
        this.arrivalAt = Infinity;
        this.arrivals++;
        this.arrive();
      } else {
        this.engine.step(this.handler);
      }
      this.lastActivity = this.engine.now;
      this.observer.afterEvent?.(this);
    }
    const leftover = this.liveQueued > 0 || this.arrivalAt !== Infinity || this.machineAt !== Infinity || !this.traceDone || !this.machinesDone;
    this.end = leftover && horizon !== Infinity ? horizon : this.lastActivity;
    if (this.end > this.engine.now) this.engine.advanceTo(this.end);
    while (this.nextSample <= this.end) this.takeSample();
    this.ledger.finish(this.end);
    const remaining = [...this.live, ...this.waitingRecords].filter((t): t is Task => t !== undefined).sort((a, b) => a.uid - b.uid);
    for (const task of remaining) this.observer.taskEnded(task, this, task.slot);
    // tasks whose dependencies never completed were never submitted: reported as still waiting
    for (const spec of this.dependencies.held()) this.observer.taskEnded(makeTask(spec, this.admitted++), this, -1);
    await chunks.return?.();
    await machineChunks?.return?.();
  }

  /** True if `task` is live and waiting, i.e. a valid target for a placement. */
  isPending(task: TaskView): boolean {
    const slot = (task as Task).slot;
    if (task.state !== 'waiting' || !(slot >= 0)) return false;
    const w = this.slotInts[slot * SLOT_FIELDS + SLOT_WAITING] as number;
    return w >= 0 && this.waitingRecords[w] === task;
  }

  // ClusterControl: what controllers may do.

  addMachine(group: string, delay: Micros = 0): number {
    const g = this.cluster.groupNames.indexOf(group);
    if (g < 0 || g >= this.input.cluster.groups.length) throw new RangeError(`No machine group ${group} in the cluster spec (groups: ${this.input.cluster.groups.map((x) => x.name).join(', ')})`);
    const spec = this.input.cluster.groups[g] as ClusterSpec['groups'][number];
    let n = spec.ids.length;
    while (this.cluster.slotOf(`${group}-${n}`) >= 0) n++;
    const m = this.cluster.addMachine(`${group}-${n}`, g, { up: false });
    this.machineSlot(m);
    this.log({ kind: 'machine-add', machine: m, value: delay / 1e6 });
    this.bringUp(m, delay);
    return m;
  }

  removeMachine(machine: number): void {
    if (this.removedAt[machine] !== -1) return;
    this.takeDown(machine, 'machine-remove');
    this.removedAt[machine] = this.now;
  }

  takeDown(machine: number, kind = 'machine-down'): void {
    this.checkSlot(machine);
    this.log({ kind, machine });
    this.killAll(machine);
    this.ledger.touch(machine, this.now);
    this.cluster.setUp(machine, false);
    this.changed();
    this.scheduler.machineChanged?.(machine);
  }

  bringUp(machine: number, delay: Micros = 0): void {
    this.checkSlot(machine);
    if (this.removedAt[machine] !== -1) throw new RangeError(`Machine ${this.cluster.ids[machine]} was removed; add a new one instead`);
    if (!(delay >= 0) || !Number.isSafeInteger(delay)) throw new RangeError(`A machine's join delay must be a whole number of µs ≥ 0, got ${delay}`);
    this.liveQueued++;
    this.engine.schedule(this.now + delay, EventKind.MachineJoin, machine);
  }

  setSpeed(machine: number, speed: number): void {
    this.checkSlot(machine);
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`Speed of machine ${this.cluster.ids[machine]} must be a positive number, got ${speed}`);
    const old = this.cluster.speed[machine] as number;
    if (old === speed) return;
    const now = this.now;
    this.ledger.touch(machine, now);
    this.cluster.speed[machine] = speed;
    for (let slot = this.firstOnMachine[machine] as number; slot >= 0; slot = this.slotInts[slot * SLOT_FIELDS + SLOT_NEXT] as number) {
      const at = this.slotFinishAt[slot] as number;
      if (at < 0) continue;
      // the remaining work (µs at speed 1) is kept; only its pace changes
      this.scheduleFinish(slot, now + Math.round(((at - now) * old) / speed));
    }
    this.log({ kind: 'machine-speed', machine, value: speed });
    this.changed();
    this.scheduler.machineChanged?.(machine);
  }

  visitPending(visit: (task: TaskView) => boolean): void {
    const pending = this.waitingRecords.filter((t): t is Task => t !== undefined).sort((a, b) => a.uid - b.uid);
    for (const task of pending) if (!visit(task)) return;
  }

  visitRunning(machine: number, visit: (task: TaskView) => void): void {
    // only controllers visit running tasks; a run with controllers keeps the records and the machines' lists
    if (!this.dynamicMachines) throw new Error('visitRunning is for controllers: a run without controllers or machine events keeps neither the records of running tasks nor their lists per machine');
    for (let slot = this.firstOnMachine[machine] ?? -1; slot >= 0; slot = this.slotInts[slot * SLOT_FIELDS + SLOT_NEXT] as number) visit(this.live[slot] as Task);
  }

  private handle(event: EngineEvent<EventKind>): void {
    switch (event.kind) {
      // payloads come back as doubles: `| 0` keeps slots small integers (a double slot reached the
      // free list and then every task record's `slot`, as a boxed number)
      case EventKind.Finish: {
        const slot = event.a | 0;
        if (this.slotInts[slot * SLOT_FIELDS + SLOT_GENERATION] !== event.b) return; // its task was killed or rescheduled
        this.handled++;
        this.liveQueued--;
        return this.finish(slot);
      }
      case EventKind.MachineJoin:
        this.handled++;
        this.liveQueued--;
        return this.join(event.a | 0);
      case EventKind.Wake:
        this.handled++;
        this.liveQueued--;
        this.roundRequested = true;
        return;
      case EventKind.RoundTick:
        this.handled++;
        if (this.pending > 0) this.roundRequested = true;
        this.engine.schedule(event.time + (this.scheduler.roundInterval as number), EventKind.RoundTick, 0);
        return;
      case EventKind.ControllerTick: {
        this.handled++;
        const c = this.controllers[event.a | 0] as LiveController;
        c.due = true;
        this.engine.schedule(event.time + c.interval, EventKind.ControllerTick, event.a | 0);
        return;
      }
      default:
        return assertNever(event.kind);
    }
  }

  /** Runs the controllers whose tick is due now, in registration order; true if any ran. */
  private tickControllers(): boolean {
    let ran = false;
    for (const c of this.controllers) {
      if (!c.due) continue;
      c.due = false;
      ran = true;
      c.controller.tick();
    }
    if (ran) this.observer.afterEvent?.(this);
    return ran;
  }

  /**
   * True when only periodic ticks remain queued and they can no longer matter: nothing waits, or
   * nothing has changed for a whole period of the slowest timer.
   */
  private onlyTimersLeft(): boolean {
    if (this.liveQueued > 0 || this.arrivalAt !== Infinity || this.machineAt !== Infinity || !this.traceDone || !this.machinesDone) return false;
    // a round or a tick owed to the current instant (a wake just fired, say) still runs
    if (this.roundRequested || this.controllers.some((c) => c.due)) return false;
    return this.pending === 0 || this.engine.now - this.lastChangeAt >= this.longestPeriod;
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

  private scheduleNextMachineEvent(): void {
    const event = this.machineBuffer[this.machineNext];
    if (event === undefined) {
      if (!this.machinesDone) this.needMachineRefill = true;
      return;
    }
    if (event.time < this.engine.now || !Number.isSafeInteger(event.time)) {
      throw inputError(RangeError, `Machine event for ${show(event.id)} at ${event.time / 1e6} s comes after time ${this.engine.now / 1e6} s: machine events must be in time order`, { file: this.input.trace.name });
    }
    this.machineAt = event.time;
  }

  private arrive(): void {
    const spec = this.buffer[this.next++] as TaskSpec;
    if (this.firstSubmit < 0) this.begin(spec.submit);
    if (spec.after === undefined || this.dependencies.admits(spec)) this.admit(spec);
    this.scheduleNextArrival();
  }

  private admit(spec: TaskSpec): void {
    const task = makeTask(spec, this.admitted++);
    if (!this.canEverRun(task)) {
      task.state = 'unschedulable';
      this.observer.taskEnded(task, this, -1);
      this.endedForGood(task);
    } else {
      task.tenantIndex = this.ledger.tenant(task.tenant);
      this.enqueue(task);
    }
  }

  /** A task ended with no attempt to come: tasks held for the dependency it completes may be admitted now. */
  private endedForGood(task: Task): void {
    if (task.completes === undefined) return;
    for (const spec of this.dependencies.ended(task.completes)) this.admit({ ...spec, submit: Math.max(spec.submit, this.now) });
  }


  /** The first submission: accounting, sampling and periodic ticks start here. */
  private begin(time: Micros): void {
    this.firstSubmit = time;
    this.ledger.restart(time);
    this.nextSample = time;
    for (let m = 0; m < this.cluster.size; m++) if (this.addedAt[m] === 0) this.addedAt[m] = time;
    if (this.scheduler.roundInterval !== undefined) {
      if (!(this.scheduler.roundInterval > 0) || !Number.isSafeInteger(this.scheduler.roundInterval)) throw new RangeError(`Policy ${this.input.policy.name} has a round interval of ${this.scheduler.roundInterval} µs; it must be a positive whole number`);
      this.engine.schedule(time, EventKind.RoundTick, 0);
    }
    this.controllers.forEach((_, i) => this.engine.schedule(time, EventKind.ControllerTick, i));
  }

  private enqueue(task: Task): void {
    this.track(task);
    this.pending++;
    this.scheduler.submitted(task);
    this.changed();
    this.requestRound();
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
    const slot = task.slot;
    this.slotInts[slot * SLOT_FIELDS + SLOT_MACHINE] = m;
    this.letGoWaiting(slot);
    if (this.dynamicMachines) this.linkOnMachine(slot, m);
    this.scheduler.removed(task);
    this.changed();
    if (task.duration !== null) {
      this.liveQueued++;
      this.scheduleFinish(slot, now + Math.round(task.duration / (this.cluster.speed[m] as number)));
    }
    this.observer.taskStarted?.(task, slot, this);
    // unless its finish will not read the record (a quick finish) and nothing else can, keep it
    if (this.keepsRunningRecords || task.duration === null || this.slotInts[slot * SLOT_FIELDS + SLOT_QUICK] !== 1) this.live[slot] = task;
  }

  /** (Re)schedules the finish of the task running in `slot`; an earlier finish event of it becomes stale. */
  private scheduleFinish(slot: number, at: Micros): void {
    if (this.dynamicMachines) this.slotFinishAt[slot] = at;
    this.engine.schedule(at, EventKind.Finish, slot, this.staleFinish(slot));
  }

  private finish(slot: number): void {
    if (this.quickFinish && this.slotInts[slot * SLOT_FIELDS + SLOT_QUICK] === 1) {
      // without reading the task's record (see RunObserver.taskFinished)
      this.release(slot);
      this.scheduler.released?.(this.slotInts[slot * SLOT_FIELDS + SLOT_TENANT] as number, this.slotDemand[slot] as Float64Array);
      (this.observer.taskFinished as (slot: number, sim: Simulation) => void)(slot, this);
      // unless records of running attempts are kept, place() never stored this one: the store
      // would only pull a cold line of the table into the cache
      if (this.keepsRunningRecords) this.live[slot] = undefined;
      this.freeSlot(slot);
    } else {
      const task = this.live[slot] as Task;
      this.stop(task, 'finished');
      this.endedForGood(task);
    }
    if (this.pending > 0) this.requestRound();
  }

  /** Frees the machine of the attempt running in `slot`: its resources, its usage, its place in the machine's list. */
  private release(slot: number): void {
    const ints = this.slotInts;
    const m = ints[slot * SLOT_FIELDS + SLOT_MACHINE] as number;
    const demand = this.slotDemand[slot] as Float64Array;
    const now = this.now;
    this.ledger.touch(m, now);
    this.cluster.release(m, demand);
    this.ledger.tenantChange(ints[slot * SLOT_FIELDS + SLOT_TENANT] as number, demand, -1, now);
    this.running--;
    if (this.dynamicMachines) this.unlinkOnMachine(slot, m);
    this.changed();
  }

  /** Ends a running attempt as `state`: frees its machine and reports it. */
  private stop(task: Task, state: 'finished' | 'killed'): void {
    const slot = task.slot;
    this.release(slot);
    task.state = state;
    task.end = this.now;
    this.untrack(task, slot);
    tellStopped(this.scheduler, task);
    this.observer.taskEnded(task, this, slot);
  }

  /** Kills every task running on `m`, retrying each if it has attempts left. */
  private killAll(m: number): void {
    for (let slot = this.firstOnMachine[m] as number; slot >= 0; slot = this.firstOnMachine[m] as number) this.kill(this.live[slot] as Task);
  }

  /** Kills a running attempt; a new attempt joins the queue at once if the run allows one more. */
  private kill(task: Task): void {
    if ((this.slotFinishAt[task.slot] as number) >= 0) this.liveQueued--;
    this.stop(task, 'killed');
    if (task.attempt + 1 < this.maxAttempts) this.enqueue(nextAttempt(task, this.admitted++, this.now));
    else this.endedForGood(task);
  }

  private join(m: number): void {
    if (this.removedAt[m] !== -1 || this.cluster.up[m] === 1) return;
    this.ledger.touch(m, this.now);
    this.cluster.setUp(m, true);
    if (this.firstSubmit >= 0 || this.addedAt[m] !== 0) this.addedAt[m] = this.now;
    this.log({ kind: 'machine-up', machine: m });
    this.changed();
    this.scheduler.machineChanged?.(m);
    // a machine joining is one of the triggers of an interval scheduler's round (Mesos: agent added)
    if (this.pending > 0) this.roundRequested = true;
  }

  /** Applies the next machine event of the trace. */
  private applyMachineEvent(): void {
    const event = this.machineBuffer[this.machineNext++] as MachineEvent;
    const known = this.cluster.slotOf(event.id);
    const where = { file: this.input.trace.name };
    if (event.kind === 'add' && known < 0) {
      if (event.capacity === undefined) throw inputError(RangeError, `Machine ${show(event.id)} is added at ${event.time / 1e6} s without a capacity`, where);
      const options = { capacity: event.capacity, up: false, ...(event.attributes !== undefined ? { attributes: event.attributes } : {}), ...(event.speed !== undefined ? { speed: event.speed } : {}) };
      const m = this.cluster.addMachine(event.id, this.cluster.group(TRACE_GROUP), options);
      this.machineSlot(m);
      this.log({ kind: 'machine-add', machine: m, value: 0 });
      this.join(m);
    } else if (known >= 0 && event.kind === 'remove') {
      this.removeMachine(known);
    } else if (known >= 0) {
      if (event.kind === 'add' && this.removedAt[known] !== -1) this.removedAt[known] = -1;
      this.updateMachine(known, event);
      if (event.kind === 'add') this.join(known);
    }
    this.scheduleNextMachineEvent();
  }

  /**
   * Applies new capacity/attributes/speed to machine `m`. If the running tasks no longer fit, the
   * most recently placed are killed until they do.
   */
  private updateMachine(m: number, event: MachineEvent): void {
    if (event.capacity !== undefined) {
      const capacity = event.capacity;
      const dims = this.cluster.dims;
      const over = (): boolean => {
        for (let d = 0; d < dims; d++) {
          const used = (this.cluster.capacity[m * dims + d] as number) - (this.cluster.free[m * dims + d] as number);
          if (used > (capacity[d] as number)) return true;
        }
        return false;
      };
      while (over()) this.kill(this.live[this.lastOnMachine[m] as number] as Task);
      this.ledger.touch(m, this.now);
      this.cluster.setCapacity(m, capacity);
    }
    if (event.attributes !== undefined) this.cluster.setAttributes(m, event.attributes);
    if (event.speed !== undefined) this.setSpeed(m, event.speed);
    this.log({ kind: 'machine-update', machine: m });
    this.changed();
    this.scheduler.machineChanged?.(m);
  }

  private wakeAt(time: Micros): void {
    if (!(time >= this.now) || !Number.isSafeInteger(time)) throw new RangeError(`Policy ${this.input.policy.name} asked to wake at ${time} µs; it must be a whole number of µs ≥ now (${this.now})`);
    this.liveQueued++;
    this.engine.schedule(time, EventKind.Wake, 0);
  }

  private log(event: EventRecord): void {
    this.observer.event?.(event, this);
  }

  /** Asks for a scheduling round once every event of the current instant has been applied. */
  private requestRound(): void {
    if (this.scheduler.roundInterval === undefined) this.roundRequested = true;
  }

  private changed(): void {
    this.changes++;
    this.lastChangeAt = this.now;
  }

  private takeSample(): void {
    this.observer.sample(this.nextSample, this);
    this.nextSample += this.input.sampleInterval;
  }

  /**
   * A task can ever run if some machine group has the capacity and the attributes it needs. When
   * machines can come from the trace, any task may; with controllers, groups without machines yet count.
   */
  private canEverRun(task: Task): boolean {
    if (this.input.trace.machineEvents !== undefined) return true;
    const dims = this.cluster.dims;
    const groups = this.input.cluster.groups;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as ClusterSpec['groups'][number];
      if (g.ids.length === 0 && !this.dynamicMachines) continue;
      let d = 0;
      while (d < dims && (task.demand[d] as number) <= (g.capacity[d] as number)) d++;
      if (d === dims && satisfies(g.attributes, task.constraints)) return true;
    }
    return false;
  }

  private checkSlot(m: number): void {
    if (!Number.isInteger(m) || m < 0 || m >= this.cluster.size) throw new RangeError(`No machine slot ${m}`);
  }

  /** Bookkeeping for a new machine slot. */
  private machineSlot(m: number): void {
    this.ledger.ensure(this.cluster.size);
    this.ledger.restartMachine(m, this.firstSubmit < 0 ? this.ledger.from : this.now);
    this.addedAt[m] = this.firstSubmit < 0 ? 0 : this.now;
    this.removedAt[m] = -1;
    this.firstOnMachine[m] = -1;
    this.lastOnMachine[m] = -1;
  }

  private track(task: Task): void {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.live.length;
      this.live.push(undefined);
      this.slotDemand.push(task.demand);
      // a new slot's generation starts at 0
      this.slotInts = ensureLength(this.slotInts, (slot + 1) * SLOT_FIELDS);
      this.slotFinishAt = ensureLength(this.slotFinishAt, slot + 1);
    } else {
      this.slotDemand[slot] = task.demand;
    }
    const at = slot * SLOT_FIELDS;
    const ints = this.slotInts;
    ints[at + SLOT_TENANT] = task.tenantIndex;
    ints[at + SLOT_MACHINE] = -1;
    // a task that completes a dependency key must be seen when it ends
    ints[at + SLOT_QUICK] = task.completes === undefined ? 1 : 0;
    if (this.dynamicMachines) this.slotFinishAt[slot] = -1;
    let w = this.freeWaiting.pop();
    if (w === undefined) {
      w = this.waitingRecords.length;
      this.waitingRecords.push(task);
    } else {
      this.waitingRecords[w] = task;
    }
    ints[at + SLOT_WAITING] = w;
    task.slot = slot;
  }

  /** The attempt in `slot` no longer waits: its record leaves the waiting table. */
  private letGoWaiting(slot: number): void {
    const field = slot * SLOT_FIELDS + SLOT_WAITING;
    const w = this.slotInts[field] as number;
    this.waitingRecords[w] = undefined;
    this.freeWaiting.push(w);
    this.slotInts[field] = -1;
  }

  private untrack(task: Task, slot: number): void {
    this.live[slot] = undefined;
    task.slot = -1;
    this.freeSlot(slot);
  }

  private freeSlot(slot: number): void {
    this.staleFinish(slot);
    this.freeSlots.push(slot);
  }

  /** Makes any finish event still queued for `slot` stale; returns the slot's new generation (it wraps as int32, and events carry the wrapped value). */
  private staleFinish(slot: number): number {
    const field = slot * SLOT_FIELDS + SLOT_GENERATION;
    return (this.slotInts[field] = (this.slotInts[field] as number) + 1);
  }

  private linkOnMachine(slot: number, m: number): void {
    const ints = this.slotInts;
    const last = this.lastOnMachine[m] as number;
    ints[slot * SLOT_FIELDS + SLOT_PREV] = last;
    ints[slot * SLOT_FIELDS + SLOT_NEXT] = -1;
    if (last >= 0) ints[last * SLOT_FIELDS + SLOT_NEXT] = slot;
    else this.firstOnMachine[m] = slot;
    this.lastOnMachine[m] = slot;
  }

  private unlinkOnMachine(slot: number, m: number): void {
    const ints = this.slotInts;
    const prev = ints[slot * SLOT_FIELDS + SLOT_PREV] as number;
    const next = ints[slot * SLOT_FIELDS + SLOT_NEXT] as number;
    if (prev >= 0) ints[prev * SLOT_FIELDS + SLOT_NEXT] = next;
    else this.firstOnMachine[m] = next;
    if (next >= 0) ints[next * SLOT_FIELDS + SLOT_PREV] = prev;
    else this.lastOnMachine[m] = prev;
  }
}

function assertNever(kind: never): never {
  throw new Error(`Unhandled event kind ${String(kind)}`);
}
