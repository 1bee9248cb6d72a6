// The policy plug-in contract: types only. Policies read a view and emit decisions as data.
import type { Micros } from './engine/time.js';
import type { Attributes } from './model/constraints.js';
import type { ResourceSpace } from './model/resources.js';
import type { GroupPower } from './power/spec.js';
import type { TaskView } from './model/task.js';

/**
 * A read-only view of the cluster during a scheduling round. Machines are dense slots
 * 0..size-1 in cluster-spec order; quantities are integers in the spec's base units.
 * Decisions applied earlier in the same round are already reflected.
 */
export interface ClusterView {
  readonly now: Micros;
  readonly resources: ResourceSpace;
  /** Number of machine slots, up or down. */
  readonly size: number;
  isUp(machine: number): boolean;
  machineId(machine: number): string;
  /** The cluster-spec group the machine belongs to (autoscalers grow and shrink groups). */
  group(machine: number): string;
  /** The machine groups, cluster-spec groups first. */
  readonly groups: readonly string[];
  attributes(machine: number): Attributes;
  speed(machine: number): number;
  capacity(machine: number, dim: number): number;
  free(machine: number, dim: number): number;
  /** Tasks running on the machine. */
  runningCount(machine: number): number;
  /** The machine group's power model and settings, or undefined when its group has none. */
  power(machine: number): GroupPower | undefined;
  /** Capacity summed over up machines. */
  totalCapacity(dim: number): number;
  /** True if the machine is up, has room for the task and satisfies its constraints. */
  fits(task: TaskView, machine: number): boolean;
  /** False only if no up machine can have room (a fast necessary check). */
  mayFit(task: TaskView): boolean;
  /**
   * A counter that moves whenever some machine gains room, comes up or changes attributes. While
   * it stays put, a task that fitted nowhere still fits nowhere.
   */
  readonly grew: number;
  /**
   * The machine where growth `k` happened (counting from 0, so the latest is `grew` − 1), or -1
   * once it is not among the latest few: a task that fitted nowhere when the count was g fits now
   * only on the machines of growths g to `grew` − 1.
   */
  grownMachine(k: number): number;
  /**
   * The lowest slot ≥ `from` where the task fits, or -1: O(D log N) plus rejected candidates, and
   * O(D) for a demand already found to fit nowhere since free room last grew.
   */
  firstFit(task: TaskView, from?: number): number;
  /**
   * Up machines by free quantity in `dim`: visits machines with free ≥ `atLeast`, ascending
   * (ties lowest slot first), until `visit` returns true; returns that machine or -1. With
   * `roomFor`, machines without room for that demand in every dimension are skipped unvisited
   * (much cheaper than rejecting them in `visit`).
   */
  scanByFreeUp(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number;
  /** Up machines with free ≥ `atLeast` in `dim`, descending (ties lowest slot first); as above. */
  scanByFreeDown(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number;
  /**
   * Best-fit (`up`) and worst-fit (`down`) in one call: the first up machine where the task fits
   * (room and constraints), in order of free quantity in `dim` (ascending from the task's demand,
   * or descending to it; ties lowest slot first), or -1 when it fits nowhere. O(D) for a demand
   * already found to fit nowhere since free room last grew, like {@link firstFit}.
   */
  fitByFree(task: TaskView, dim: number, direction: 'up' | 'down'): number;
  /** Writes the slots where the task fits into `out` (up to its length), ascending; returns the count. */
  collectFits(task: TaskView, out: Int32Array): number;
}

/** Where a round's decisions go. The engine validates and applies each at once. */
export interface Decisions {
  /** Starts a pending task on a machine; an invalid placement is a bug in the policy and throws. */
  place(task: TaskView, machine: number): void;
}

/** A row for events.arrow: something a policy or controller did that the results should show. */
export interface EventRecord {
  /** Short lowercase name, e.g. `offer-declined`, `cap`, `scale-up`, `policy-switch`. */
  readonly kind: string;
  /** Machine slot concerned, or -1. */
  readonly machine?: number;
  /** Task concerned, if any. */
  readonly task?: TaskView;
  /** Free text (e.g. the policy switched to); kept short. */
  readonly detail?: string;
  /** A number that goes with the event (e.g. the cap in watts), or NaN. */
  readonly value?: number;
}

/** What a policy gets when a run starts. */
export interface PolicyContext {
  readonly view: ClusterView;
  /** A seeded random stream, independent of every other named stream of the run. */
  random(stream: string): () => number;
  /**
   * Asks for a scheduling round at `time` (≥ now; the current instant's round if equal), e.g. when
   * a decline filter expires or an offer arrives after its latency. Requests at the same time merge.
   */
  wakeAt(time: Micros): void;
  /** Appends a row to the run's events.arrow at the current time. */
  log(event: EventRecord): void;
}

/** A policy's live state for one run. */
export interface Scheduler {
  /** A task joined the pending queue. */
  submitted(task: TaskView): void;
  /** A task left the pending queue (placed, or gone). */
  removed(task: TaskView): void;
  /** One scheduling round: emit placements; leaving tasks waiting is emitting nothing. */
  schedule(out: Decisions): void;
  /**
   * A task this scheduler placed stopped running (finished or killed); its resources are free
   * again. Leave it out if the policy does not need it: a simulation whose policy has no stopped
   * hook need not read a finished task's record at all, which on a large run saves a cache miss
   * per task (and leaves the record of a finished attempt showing `running`; see {@link TaskView}).
   * A policy that only needs what the task held can take {@link released} instead.
   */
  stopped?(task: TaskView): void;
  /**
   * A running task of tenant number `tenantIndex` (see {@link TaskView.tenantIndex}) stopped, and
   * the `demand` it held is free again: the part of {@link stopped} that policies tracking
   * allocations per tenant need (DRF), told without reading the task's record. Called only when
   * the scheduler has no `stopped` hook.
   */
  released?(tenantIndex: number, demand: Float64Array): void;
  /** A machine joined, left, failed, recovered or changed; `view` already shows the new state. */
  machineChanged?(machine: number): void;
  /**
   * With an interval, rounds run only on a periodic tick (every `roundInterval` µs from the first
   * submission, e.g. Mesos' allocation interval), on `wakeAt` times and when a machine joins,
   * instead of after every instant in which something changed.
   */
  readonly roundInterval?: Micros;
}

/** A value of a policy or controller option: scalars, lists, and string-keyed maps (per-tenant weights). */
export type OptionValue = string | number | boolean | readonly OptionValue[] | { readonly [key: string]: OptionValue };

/** A documented option of a policy part or controller. */
export interface OptionSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  readonly default: OptionValue;
  readonly description: string;
  /** For strings: the allowed values, or a note such as "a resource name". */
  readonly values?: readonly string[];
  readonly min?: number;
  /**
   * For object and array options (and any finer rule): returns what is wrong with `value`, as a
   * sentence fragment naming the offending entry and value, or undefined when it is valid.
   */
  readonly check?: (value: OptionValue) => string | undefined;
}

export type Options = Readonly<Record<string, OptionValue>>;

/** A configured policy: named, with its resolved options, making a fresh Scheduler per run. */
export interface Policy {
  readonly name: string;
  readonly options: Options;
  create(ctx: PolicyContext): Scheduler;
}

/** What a composed policy passes on to its parts besides their main calls; every hook is optional. */
export interface PartHooks {
  /** A scheduling round starts. */
  round?(): void;
  /** A task placed from this policy stopped running (parts that track their tasks, e.g. Fenzo's placement and tiered queue). */
  stopped?(task: TaskView): void;
  /** A task placed from this policy stopped running: its tenant and demand, for parts that track allocations (DRF); see Scheduler.released. */
  released?(tenantIndex: number, demand: Float64Array): void;
  /** A machine joined, left, failed, recovered or changed (parts that index machines or remember misfits). */
  machineChanged?(machine: number): void;
}

/** The order in which pending tasks are considered. */
export interface QueueOrder extends PartHooks {
  add(task: TaskView): void;
  remove(task: TaskView): void;
  /**
   * Visits pending tasks in order until `visit` returns false; tolerates removal of the visited task.
   * `misfit`, given when the placement can tell, says of a task just visited and left waiting
   * whether it fits on no machine (room and constraints): it would be turned down again, with no
   * effect, until {@link ClusterView.grew} moves, so an order may pass it over until then.
   */
  visit(visit: (task: TaskView) => boolean, misfit?: (task: TaskView) => boolean): void;
  /**
   * Optional, with {@link visitAddedSince}, for orders where visiting a task changes nothing and
   * tasks come in the order they were added: a mark of the tasks added so far.
   */
  mark?(): number;
  /**
   * Visits, in order, the pending tasks added (or added again) after `mark` was taken; those added
   * before it, which all come first, are skipped, or visited through `older` when given.
   */
  visitAddedSince?(mark: number, visit: (task: TaskView) => boolean, older?: (task: TaskView) => boolean): void;
}

/** Where a task goes: a machine slot, or -1 to leave it waiting. */
export interface Placement extends PartHooks {
  place(task: TaskView): number;
  /**
   * Optional: true if `task`, just turned down, fits on no machine (room and constraints), so that
   * until {@link ClusterView.grew} moves it would be turned down again, and asking has no effect.
   */
  misfit?(task: TaskView): boolean;
  /**
   * Optional: true if `place` tells by itself, without the cluster's max-free tree, that a task
   * fits nowhere (as best-fit's and worst-fit's walks do). The composer then asks `place` at once
   * instead of {@link ClusterView.mayFit} first, so a run that never reads the tree does not keep
   * it up to date. Decisions are the same either way; only the cost moves.
   */
  readonly checksFitItself?: boolean;
}

/** A part of a composed policy (a queue order or a placement) as the registry knows it. */
export interface PartFactory<T> {
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Cost per decision, for `clustersim policies`. */
  readonly cost: string;
  create(ctx: PolicyContext, options: Options): T;
}

/** What a controller may do to the cluster; every change is recorded in events.arrow. */
export interface ClusterControl {
  /**
   * Adds a machine of the cluster-spec group `group` (id `<group>-<n>`, n counting on from the
   * spec's machines); it joins, up and empty, after `delay` µs. Returns its slot at once.
   */
  addMachine(group: string, delay?: Micros): number;
  /** Removes a machine for good: its running tasks are killed and retried per the run's retry policy. */
  removeMachine(machine: number): void;
  /** Takes a machine down (failure, power-off); running tasks are killed and retried. */
  takeDown(machine: number): void;
  /** Brings a down (not removed) machine back up after `delay` µs. */
  bringUp(machine: number, delay?: Micros): void;
  /** Changes a machine's speed; running tasks keep their remaining work and stretch or shrink. */
  setSpeed(machine: number, speed: number): void;
  /** Visits pending tasks in admission order until `visit` returns false. */
  visitPending(visit: (task: TaskView) => boolean): void;
  /**
   * Visits the tasks running on `machine` in placement order. For controllers: a run without
   * controllers or machine events keeps no list of the tasks on each machine, and refuses the call.
   */
  visitRunning(machine: number, visit: (task: TaskView) => void): void;
}

export interface ControllerContext extends PolicyContext {
  readonly control: ClusterControl;
}

/** A controller's live state for one run: called on its periodic tick, after that instant's round. */
export interface Controller {
  tick(): void;
}

/** A periodic controller (power capping, autoscaling) as the registry knows it. */
export interface ControllerFactory {
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Ticks every `interval(options)` µs from the first submission. */
  interval(options: Options): Micros;
  create(ctx: ControllerContext, options: Options): Controller;
}

/** Tells `hooks` (a scheduler or a part) that `task` stopped running: through its stopped hook, or else its released hook. */
export function tellStopped(hooks: Pick<Scheduler, 'stopped' | 'released'>, task: TaskView): void {
  if (hooks.stopped !== undefined) hooks.stopped(task);
  else hooks.released?.(task.tenantIndex, task.demand);
}
