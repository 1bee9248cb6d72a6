// Tasks: what the workload asks for, and the simulation's record of each attempt.
import type { Micros } from '../engine/time.js';
import type { Constraint, PlacementRule } from './constraints.js';

export type TaskKind = 'batch' | 'service';

/** Where a task attempt stands; the last four are terminal, `running`/`waiting` also end a run. */
export type TaskState = 'waiting' | 'running' | 'finished' | 'killed' | 'preempted' | 'unschedulable';

/** A task as a trace describes it. */
export interface TaskSpec {
  readonly id: string;
  readonly job: string;
  /** A '/'-separated tenant path, e.g. `prod/search`. */
  readonly tenant: string;
  /** Higher is more important. */
  readonly priority: number;
  readonly kind: TaskKind;
  readonly submit: Micros;
  /** Run time at speed 1.0; null for work that runs until the end of the simulation. */
  readonly duration: Micros | null;
  /** Demand per resource dimension, integers in base units, indexed like the resource space. */
  readonly demand: Float64Array;
  readonly constraints: readonly Constraint[];
  /**
   * Dependency keys this task waits for: it is admitted (submitted at the time the last one
   * completes, if later than `submit`) only once all have completed. Absent for independent tasks.
   */
  readonly after?: readonly string[] | undefined;
  /** The dependency key this task counts toward: it completes once `of` tasks carrying it have ended for good. */
  readonly completes?: { readonly key: string; readonly of: number } | undefined;
  /** Rules only some placements enforce (soft preferences, host names, co-task rules); none if absent. */
  readonly rules?: readonly PlacementRule[] | undefined;
}

/** What policies may read about a task. */
export interface TaskView extends TaskSpec {
  /** Dense number given at admission, in admission order; a stable tie-break key. */
  readonly uid: number;
  readonly attempt: number;
  /**
   * Where the attempt stands: current while it waits and runs, and in the policy's `stopped` hook.
   * After a finish nothing else sees, the record may go on showing `running`: a run whose policy has
   * no `stopped` hook, recorded by an observer that takes finishes without records (the standard
   * one does), does not go back to a finished task's record (see RunObserver.taskFinished). A
   * finished attempt's outcome is in the run's outputs.
   */
  readonly state: TaskState;
  /**
   * A dense number for the task's tenant in this run (0, 1, … in order of first admission), the
   * same for every task of that tenant: per-tenant tables can be indexed by it instead of looking
   * the name up. -1 for a task the simulation has not admitted (a test's own task, say).
   */
  readonly tenantIndex: number;
}

/** The simulation's mutable record of one task attempt. */
export interface Task extends TaskView {
  attempt: number;
  state: TaskState;
  /** Machine slot while running or after it ran there, -1 if never placed. */
  machine: number;
  start: Micros;
  /** When the attempt ended, or -1; like `state`, not written for a finish nobody reads the record of. */
  end: Micros;
  /** The simulation's live-table slot while pending or running, else -1. */
  slot: number;
  /** Given by the usage ledger at admission. */
  tenantIndex: number;
}

/** The uid of a record {@link newTaskSpec} made and no simulation has admitted yet. */
const UNADMITTED = -1;

/**
 * `spec` laid out as a task record not admitted yet, for trace readers: the first simulation that
 * admits it takes the object itself as its task (see {@link makeTask}) instead of copying it,
 * which saves an allocation and a copy per task on the hottest path. A reader hands each record
 * out once; the simulation then owns it and writes its attempt fields.
 */
export function newTaskSpec(spec: TaskSpec): TaskSpec {
  return record(spec, UNADMITTED);
}

/**
 * The task record of `spec`'s first attempt, numbered `uid` (≥ 0): `spec` itself if it is a record
 * from {@link newTaskSpec} not admitted before, else a fresh copy (any other spec, or one seen again).
 */
export function makeTask(spec: TaskSpec, uid: number): Task {
  const unadmitted = spec as { uid?: number };
  if (unadmitted.uid === UNADMITTED) {
    unadmitted.uid = uid;
    return spec as Task;
  }
  return record(spec, uid);
}

/** The one place task records are made, so all share one object shape. Fields are listed, not spread: spreading is far slower on this hot path. */
function record(spec: TaskSpec, uid: number): Task {
  return {
    id: spec.id,
    job: spec.job,
    tenant: spec.tenant,
    priority: spec.priority,
    kind: spec.kind,
    submit: spec.submit,
    duration: spec.duration,
    demand: spec.demand,
    constraints: spec.constraints,
    after: spec.after,
    completes: spec.completes,
    rules: spec.rules,
    uid,
    attempt: 0,
    state: 'waiting',
    machine: -1,
    start: -1,
    end: -1,
    slot: -1,
    tenantIndex: -1,
  };
}

/** The next attempt of `task`, submitted at `now` (after its machine went away). */
export function nextAttempt(task: Task, uid: number, now: Micros): Task {
  const next = makeTask(task, uid);
  return Object.assign(next, { submit: now, attempt: task.attempt + 1, tenantIndex: task.tenantIndex });
}
