// The policy plug-in contract: types only. Policies read a view and emit decisions as data.
import type { Micros } from './engine/time.js';
import type { Attributes } from './model/constraints.js';
import type { ResourceSpace } from './model/resources.js';
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
  attributes(machine: number): Attributes;
  speed(machine: number): number;
  capacity(machine: number, dim: number): number;
  free(machine: number, dim: number): number;
  /** Tasks running on the machine. */
  runningCount(machine: number): number;
  /** Capacity summed over up machines. */
  totalCapacity(dim: number): number;
  /** True if the machine is up, has room for the task and satisfies its constraints. */
  fits(task: TaskView, machine: number): boolean;
  /** False only if no up machine can have room (a fast necessary check). */
  mayFit(task: TaskView): boolean;
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
  /** Writes the slots where the task fits into `out` (up to its length), ascending; returns the count. */
  collectFits(task: TaskView, out: Int32Array): number;
}

/** Where a round's decisions go. The engine validates and applies each at once. */
export interface Decisions {
  /** Starts a pending task on a machine; an invalid placement is a bug in the policy and throws. */
  place(task: TaskView, machine: number): void;
}

/** What a policy gets when a run starts. */
export interface PolicyContext {
  readonly view: ClusterView;
  /** A seeded random stream, independent of every other named stream of the run. */
  random(stream: string): () => number;
}

/** A policy's live state for one run. */
export interface Scheduler {
  /** A task joined the pending queue. */
  submitted(task: TaskView): void;
  /** A task left the pending queue (placed, or gone). */
  removed(task: TaskView): void;
  /** One scheduling round: emit placements; leaving tasks waiting is emitting nothing. */
  schedule(out: Decisions): void;
}

/** A documented option of a policy part. */
export interface OptionSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly default: string | number | boolean;
  readonly description: string;
  /** For strings: the allowed values, or a note such as "a resource name". */
  readonly values?: readonly string[];
  readonly min?: number;
}

export type Options = Readonly<Record<string, string | number | boolean>>;

/** A configured policy: named, with its resolved options, making a fresh Scheduler per run. */
export interface Policy {
  readonly name: string;
  readonly options: Options;
  create(ctx: PolicyContext): Scheduler;
}

/** The order in which pending tasks are considered. */
export interface QueueOrder {
  add(task: TaskView): void;
  remove(task: TaskView): void;
  /** Visits pending tasks in order until `visit` returns false; tolerates removal of the visited task. */
  visit(visit: (task: TaskView) => boolean): void;
}

/** Where a task goes: a machine slot, or -1 to leave it waiting. */
export interface Placement {
  place(task: TaskView): number;
}

/** A part of a composed policy (a queue order or a placement) as the registry knows it. */
export interface PartFactory<T> {
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Cost per decision, for `clustersim policies`. */
  readonly cost: string;
  create(ctx: PolicyContext, options: Options): T;
}
