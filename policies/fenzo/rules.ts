// Placement rules that depend on other tasks (unique, balanced, exclusive) and on host names, as Fenzo checks them.
import { attributeValue, type PlacementRule } from '../../src/model/constraints.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';
import { grow, PlacedTasks } from './placed-tasks.js';

/** Quirk switches that change how rules score (see docs/fenzo.md). */
export interface RuleQuirks {
  /** Fenzo: a task placed with `exclusive` earlier in the same round does not lock its host. */
  readonly exclusiveLocksInRound: boolean;
  /** Fenzo scores soft balanced as (S − c) / S; 'average' uses the per-value average S / values. */
  readonly balancedSoft: 'fenzo' | 'average';
}

/** Co-task counts per attribute value, computed once per task for each attribute its rules name. */
interface ValueCounts {
  readonly counts: Map<string, number>;
  /** Co-tasks on machines without the attribute. */
  readonly missing: number;
  readonly total: number;
}

/**
 * Where the policy's running tasks are, by job (a task's co-tasks are the other tasks of its job)
 * and which machines hold a hard-exclusive task. Costs O(machines the job uses) per rule and task.
 */
export class RuleState {
  private byJob: Map<string, Map<number, number>> | null = null;
  private readonly placedOn = new PlacedTasks();
  private exclusive: Int32Array = new Int32Array(0);
  private readonly exclusiveThisRound: number[] = [];
  private readonly counts = new Map<string, ValueCounts>();
  private countsFor: TaskView | null = null;

  constructor(private readonly view: ClusterView, private readonly quirks: RuleQuirks) {}

  round(): void {
    this.exclusiveThisRound.length = 0;
  }

  placed(task: TaskView, m: number, rules: readonly PlacementRule[]): void {
    this.placedOn.add(task, m);
    if (this.byJob !== null) this.count(this.byJob, task.job, m, 1);
    if (rules.length > 0 && rules.some((r) => r.kind === 'exclusive' && !r.soft)) {
      if (this.exclusive.length <= m) this.exclusive = grow(this.exclusive, Math.max(m + 1, this.view.size));
      this.exclusive[m] = (this.exclusive[m] as number) + 1;
      this.exclusiveThisRound.push(m);
    }
    this.countsFor = null;
  }

  /** Forgets a stopped task; returns the machine it ran on, or -1 if this policy did not place it. */
  stopped(task: TaskView, rules: readonly PlacementRule[]): number {
    const m = this.placedOn.remove(task);
    if (m < 0) return -1;
    if (this.byJob !== null) this.count(this.byJob, task.job, m, -1);
    if (rules.length > 0 && rules.some((r) => r.kind === 'exclusive' && !r.soft)) this.exclusive[m] = (this.exclusive[m] as number) - 1;
    this.countsFor = null;
    return m;
  }

  /**
   * Running tasks per job and machine, made from `placedOn` the first time a co-task rule asks and
   * kept from then on: runs without unique or balanced rules never pay for it.
   */
  private jobs(): Map<string, Map<number, number>> {
    if (this.byJob === null) {
      const byJob = new Map<string, Map<number, number>>();
      this.placedOn.forEach((task, m) => this.count(byJob, task.job, m, 1));
      this.byJob = byJob;
    }
    return this.byJob;
  }

  private count(byJob: Map<string, Map<number, number>>, jobId: string, m: number, change: 1 | -1): void {
    let job = byJob.get(jobId);
    if (job === undefined) byJob.set(jobId, (job = new Map()));
    const left = (job.get(m) ?? 0) + change;
    if (left > 0) job.set(m, left);
    else job.delete(m);
    if (job.size === 0) byJob.delete(jobId);
  }

  /** Fenzo's exclusive lock: a host running a hard-exclusive task takes no other task. */
  locked(m: number): boolean {
    if (m >= this.exclusive.length || this.exclusive[m] === 0) return false;
    if (this.quirks.exclusiveLocksInRound) return true;
    let inRound = 0;
    for (const x of this.exclusiveThisRound) if (x === m) inRound++;
    return (this.exclusive[m] as number) > inRound;
  }

  /** True if every hard rule of `task` holds on machine `m`. */
  hardHold(task: TaskView, rules: readonly PlacementRule[], m: number): boolean {
    for (const rule of rules) if (!rule.soft && !this.passes(task, rule, m)) return false;
    return true;
  }

  /** The mean of the soft rules' scores on `m`, or 1 when there are none (Fenzo). */
  softMean(task: TaskView, rules: readonly PlacementRule[], m: number): number {
    let sum = 0;
    let n = 0;
    for (const rule of rules) {
      if (!rule.soft) continue;
      n++;
      sum += rule.kind === 'balanced' ? this.balancedSoft(task, rule.attribute, rule.expected, m) : this.passes(task, rule, m) ? 1 : 0;
    }
    return n === 0 ? 1 : sum / n;
  }

  private passes(task: TaskView, rule: PlacementRule, m: number): boolean {
    const view = this.view;
    switch (rule.kind) {
      case 'value': {
        const value = attributeValue(view.attributes(m), view.machineId(m), rule.attribute);
        return (value !== undefined && value !== '' && rule.values.includes(value)) === (rule.op === 'eq');
      }
      case 'exclusive':
        return view.runningCount(m) === 0;
      case 'unique': {
        const value = attributeValue(view.attributes(m), view.machineId(m), rule.attribute);
        if (value === undefined) return false;
        const c = this.valueCounts(task, rule.attribute);
        return c.missing === 0 && (c.counts.get(value) ?? 0) === 0;
      }
      case 'balanced': {
        const value = attributeValue(view.attributes(m), view.machineId(m), rule.attribute);
        if (value === undefined) return false;
        const c = this.valueCounts(task, rule.attribute);
        const here = c.counts.get(value) ?? 0;
        if (here === 0) return true;
        let max = 0;
        let min = Infinity;
        for (const n of c.counts.values()) {
          if (n > max) max = n;
          if (n < min) min = n;
        }
        if (c.counts.size < rule.expected) min = 0;
        return min === max || here < max;
      }
    }
  }

  private balancedSoft(task: TaskView, attribute: string, expected: number, m: number): number {
    const value = attributeValue(this.view.attributes(m), this.view.machineId(m), attribute);
    const c = this.valueCounts(task, attribute);
    if (value === undefined || c.missing > 0) return 0;
    const here = c.counts.get(value) ?? 0;
    if (here === 0) return 1;
    if (this.quirks.balancedSoft === 'fenzo') return (c.total - here) / c.total;
    const average = c.total / Math.max(expected, c.counts.size);
    return Math.max(0, (average - here) / average);
  }

  private valueCounts(task: TaskView, attribute: string): ValueCounts {
    if (this.countsFor !== task) {
      this.counts.clear();
      this.countsFor = task;
    }
    let c = this.counts.get(attribute);
    if (c !== undefined) return c;
    const counts = new Map<string, number>();
    let missing = 0;
    let total = 0;
    for (const [m, n] of this.jobs().get(task.job) ?? []) {
      const value = attributeValue(this.view.attributes(m), this.view.machineId(m), attribute);
      total += n;
      if (value === undefined) missing += n;
      else counts.set(value, (counts.get(value) ?? 0) + n);
    }
    c = { counts, missing, total };
    this.counts.set(attribute, c);
    return c;
  }
}
