// Controller "fenzo-autoscaler": Fenzo's AutoScaler per machine group — keep idle machines between
// minIdle and maxIdle with a cool-down, scale up for the shortfall of tasks that could not be placed
// (naive: one machine per new failed task; optimizing: a pseudo round of the fenzo placement on
// clones of the group's machine), remove idle machines (optionally balanced over an attribute). Cost per tick:
// O(machines + pending tasks). Simplifies: rules are keyed by cluster-spec group instead of an
// attribute value by default; removed machines go at once (no disabled period).
import { inputError, show } from '../../src/errors.js';
import type { Micros } from '../../src/engine/time.js';
import { satisfies } from '../../src/model/constraints.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterControl, Controller, ControllerContext, ControllerFactory, OptionValue, Options } from '../../src/policy.js';
import { resourceVector } from './limits.js';
import { fenzo, FenzoPlacement } from './placement.js';
import { PseudoView } from './pseudo-view.js';
import { resolveOptions } from '../../src/options.js';
import { fitnessOption, weightsOption } from './fitness.js';
import { compareNames } from './names.js';
import { fenzoRun } from './run-state.js';

const SECOND = 1_000_000;
/** A failed task counts toward the shortfall again only after this long (Fenzo: 10 minutes). */
const RECOUNT_AFTER = 600 * SECOND;
/** The first action of a rule waits min(cool-down, this) after the rule is first evaluated. */
const STARTUP_GRACE = 120 * SECOND;

const RULE_FIELDS = ['minIdle', 'maxIdle', 'coolDown', 'minSize', 'maxSize', 'tooSmall', 'addGroup'] as const;

interface Rule {
  /** The rule's name: a cluster-spec group, or a value of the `groupBy` attribute. */
  readonly group: string;
  /** The cluster-spec group new machines come from. */
  readonly addGroup: string;
  readonly minIdle: number;
  readonly maxIdle: number;
  readonly coolDown: Micros;
  readonly minSize: number;
  readonly maxSize: number;
  /** A machine with less free room than this in some resource is not counted as idle. */
  readonly tooSmall: Float64Array;
  lastUp: Micros;
  lastDown: Micros;
  /** When a still-pending delayed scale-up / scale-down was first asked for, or -1. */
  upAskedAt: Micros;
  downAskedAt: Micros;
}

function checkRules(value: OptionValue): string | undefined {
  for (const [group, rule] of Object.entries(value as Record<string, OptionValue>)) {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return `the rule of group ${show(group)} must be a map, got ${show(rule)}`;
    const r = rule as Record<string, OptionValue>;
    for (const key of Object.keys(r)) if (!(RULE_FIELDS as readonly string[]).includes(key)) return `group ${show(group)} has no rule field ${show(key)}; expected ${RULE_FIELDS.join(', ')}`;
    for (const key of ['minIdle', 'maxIdle', 'minSize', 'maxSize'] as const) {
      const v = r[key];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) return `${group}.${key} must be a whole number ≥ 0, got ${show(v)}`;
    }
    if (r['addGroup'] !== undefined && typeof r['addGroup'] !== 'string') return `${group}.addGroup must be a machine group name, got ${show(r['addGroup'])}`;
    if (r['coolDown'] !== undefined && (typeof r['coolDown'] !== 'number' || !(r['coolDown'] >= 0))) return `${group}.coolDown must be seconds ≥ 0, got ${show(r['coolDown'])}`;
    const minIdle = (r['minIdle'] as number | undefined) ?? 1;
    const maxIdle = (r['maxIdle'] as number | undefined) ?? minIdle;
    if (minIdle < 1) return `${group}.minIdle must be ≥ 1 (Fenzo), got ${minIdle}`;
    if (maxIdle < minIdle) return `${group}.maxIdle (${maxIdle}) must be ≥ minIdle (${minIdle})`;
    if ((r['maxSize'] as number | undefined ?? Infinity) < ((r['minSize'] as number | undefined) ?? 0)) return `${group}.maxSize must be ≥ minSize`;
  }
  return undefined;
}

/** The autoscaler of one run. */
export class FenzoAutoscaler implements Controller {
  private readonly rules: Rule[];
  private readonly counted = new Map<TaskView, Micros>();
  private readonly provisioning = new Set<number>();
  private readonly run;
  private started = false;
  private readonly groupBy: string;
  private readonly pseudoOptions: Options;

  constructor(private readonly ctx: ControllerContext, private readonly opts: Options) {
    const view = ctx.view;
    this.run = fenzoRun(view);
    this.rules = Object.keys(opts['rules'] as Record<string, OptionValue>)
      .sort(compareNames)
      .map((group) => {
        const r = (opts['rules'] as Record<string, Record<string, OptionValue>>)[group] as Record<string, OptionValue>;
        const minIdle = (r['minIdle'] as number | undefined) ?? 1;
        return {
          group,
          addGroup: typeof r['addGroup'] === 'string' ? r['addGroup'] : group,
          minIdle,
          maxIdle: (r['maxIdle'] as number | undefined) ?? minIdle,
          coolDown: Math.round(((r['coolDown'] as number | undefined) ?? 0) * SECOND),
          minSize: (r['minSize'] as number | undefined) ?? 0,
          maxSize: (r['maxSize'] as number | undefined) ?? Infinity,
          tooSmall: resourceVector(view.resources, (r['tooSmall'] as Record<string, OptionValue> | undefined) ?? {}, `rules.${group}.tooSmall`).map((q) => (Number.isFinite(q) ? q : 0)),
          lastUp: 0,
          upAskedAt: -1,
          downAskedAt: -1,
          lastDown: 0,
        };
      });
    this.groupBy = String(opts['groupBy']);
    this.pseudoOptions = resolveOptions('controller "fenzo-autoscaler"', { fitness: opts['fitness'], fitnessWeights: opts['fitnessWeights'] }, [fenzo.options], { field: 'fitness' });
    for (const rule of this.rules) {
      if (!view.groups.includes(rule.addGroup)) throw inputError(RangeError, `Autoscaler rule ${show(rule.group)} adds machines to unknown group ${show(rule.addGroup)}; the cluster has ${view.groups.join(', ')}`, { field: `rules.${rule.group}` });
    }
  }

  tick(): void {
    const view = this.ctx.view;
    const now = view.now;
    if (!this.started) {
      this.started = true;
      for (const rule of this.rules) rule.lastUp = rule.lastDown = now - rule.coolDown + Math.min(rule.coolDown, STARTUP_GRACE);
    }
    for (const m of [...this.provisioning]) if (view.isUp(m)) this.provisioning.delete(m);
    const failed = this.newFailures(now);
    for (const rule of this.rules) this.evaluate(rule, failed, now);
  }

  /** Pending tasks not held back by the queue and not counted in the last 10 minutes. */
  private newFailures(now: Micros): TaskView[] {
    if (this.opts['shortfall'] === 'none') return [];
    const out: TaskView[] = [];
    const held = this.run.heldBack;
    this.ctx.control.visitPending((task) => {
      if (held.has(task)) return true;
      const at = this.counted.get(task);
      if (at !== undefined && now - at < RECOUNT_AFTER) return true;
      this.counted.set(task, now);
      out.push(task);
      return true;
    });
    for (const [task, at] of this.counted) if (now - at >= RECOUNT_AFTER || task.state !== 'waiting') this.counted.delete(task);
    return out;
  }

  private evaluate(rule: Rule, failed: readonly TaskView[], now: Micros): void {
    const view = this.ctx.view;
    const control: ClusterControl = this.ctx.control;
    const members: number[] = [];
    const idle: number[] = [];
    for (let m = 0; m < view.size; m++) {
      if (!this.member(rule, m)) continue;
      if (!view.isUp(m)) {
        if (this.provisioning.has(m)) members.push(m);
        continue;
      }
      members.push(m);
      if (view.runningCount(m) === 0 && !this.tooSmall(rule, m)) idle.push(m);
    }
    const size = members.length;
    const shortfall = this.shortfall(rule, failed, size);
    let excess = shortfall > 0 ? 0 : idle.length - rule.maxIdle;
    if (excess > 0 && now > Math.max(rule.lastDown, rule.lastUp) + rule.coolDown) {
      if (size - excess < rule.minSize) excess = Math.max(0, size - rule.minSize);
      if (excess === 0 || !this.due(rule, 'down', now)) return;
      const chosen = this.pickForRemoval(idle, excess);
      for (const m of chosen) control.removeMachine(m);
      rule.lastDown = now;
      this.ctx.log({ kind: 'scale-down', detail: rule.group, value: chosen.length });
      return;
    }
    const cooled = now > rule.lastUp + rule.coolDown;
    if (shortfall > 0 || (excess <= 0 && cooled && idle.length < rule.minIdle)) {
      const base = cooled ? rule.maxIdle - idle.length : 0;
      const count = Math.min(Math.max(base, shortfall), rule.maxSize - size);
      if (count <= 0 || !this.due(rule, 'up', now)) return;
      const delay = Math.round((this.opts['provisioningDelay'] as number) * SECOND);
      for (let i = 0; i < count; i++) this.provisioning.add(control.addMachine(rule.addGroup, delay));
      rule.lastUp = now;
      this.ctx.log({ kind: 'scale-up', detail: rule.group, value: count });
    }
  }

  /**
   * Fenzo's delayed actions (`withDelayAutoscaleUp/DownBySecs`): the first evaluation that calls
   * for the action records the time; the action happens at the first later evaluation that still
   * calls for it while that record is between 1× and 2× the delay old; an older record restarts.
   */
  private due(rule: Rule, kind: 'up' | 'down', now: Micros): boolean {
    const delay = Math.round((this.opts[kind === 'up' ? 'delayUp' : 'delayDown'] as number) * SECOND);
    if (delay === 0) return true;
    const asked = kind === 'up' ? rule.upAskedAt : rule.downAskedAt;
    let next = asked;
    let fire = false;
    if (asked < 0 || now - asked > 2 * delay) next = now;
    else if (now - asked >= delay) {
      next = -1;
      fire = true;
    }
    if (kind === 'up') rule.upAskedAt = next;
    else rule.downAskedAt = next;
    return fire;
  }

  private member(rule: Rule, m: number): boolean {
    const view = this.ctx.view;
    return this.groupBy === '' ? view.group(m) === rule.group : view.attributes(m)[this.groupBy] === rule.group || (this.provisioning.has(m) && view.group(m) === rule.addGroup);
  }

  private tooSmall(rule: Rule, m: number): boolean {
    for (let d = 0; d < rule.tooSmall.length; d++) if (this.ctx.view.free(m, d) < (rule.tooSmall[d] as number)) return true;
    return false;
  }

  /**
   * Naive: every new failed task counts one machine for every group (Fenzo's default mapping).
   * Optimizing: a pseudo round of the fenzo placement (the autoscaler's `fitness`, the tasks' hard
   * and soft constraints) places the failed tasks, in queue order, on clones of the group's
   * largest machine — one clone per task that fits the shape, at most maxSize − size — and the
   * shortfall is the clones that received a task.
   */
  private shortfall(rule: Rule, failed: readonly TaskView[], size: number): number {
    if (failed.length === 0) return 0;
    if (this.opts['shortfall'] !== 'optimizing') return failed.length;
    const view = this.ctx.view;
    let shape = -1;
    for (let m = 0; m < view.size; m++) if (this.member(rule, m) && (shape < 0 || view.capacity(m, 0) > view.capacity(shape, 0))) shape = m;
    if (shape < 0) return failed.length;
    const dims = view.resources.names.length;
    const capacity = Float64Array.from({ length: dims }, (_, d) => view.capacity(shape, d));
    const fitting = failed.filter((task) => task.demand.every((q, d) => q <= (capacity[d] as number)) && satisfies(view.attributes(shape), task.constraints));
    const clones = Math.min(fitting.length, Math.max(0, rule.maxSize - size));
    if (clones === 0) return 0;
    const pseudo = new PseudoView(view.now, view.resources, capacity, view.attributes(shape), rule.addGroup, clones);
    const placement = new FenzoPlacement(pseudo, this.pseudoOptions);
    placement.round();
    for (const task of fitting) {
      const m = placement.place(task);
      if (m >= 0) pseudo.allocate(task, m);
    }
    return pseudo.used();
  }

  /**
   * Idle machines to remove: from the attribute value with the most idle machines left (ties to
   * the smaller value) when balancing, each time the one with the largest host name.
   */
  private pickForRemoval(idle: readonly number[], count: number): number[] {
    const view = this.ctx.view;
    const byName = [...idle].sort((a, b) => compareNames(view.machineId(b), view.machineId(a)));
    const attribute = String(this.opts['scaleDownBalancedBy']);
    if (attribute === '') return byName.slice(0, count);
    const pools = new Map<string, number[]>();
    for (const m of byName) {
      const value = view.attributes(m)[attribute] ?? '';
      let pool = pools.get(value);
      if (pool === undefined) pools.set(value, (pool = []));
      pool.push(m);
    }
    const chosen: number[] = [];
    while (chosen.length < count) {
      let best: string | undefined;
      for (const [value, pool] of pools) {
        if (pool.length === 0) continue;
        const current = best === undefined ? undefined : (pools.get(best) as number[]);
        if (current === undefined || pool.length > current.length || (pool.length === current.length && compareNames(value, best as string) < 0)) best = value;
      }
      if (best === undefined) break;
      chosen.push((pools.get(best) as number[]).shift() as number);
    }
    return chosen;
  }
}

export const fenzoAutoscaler: ControllerFactory = {
  description: 'Fenzo autoscaler: per machine group keep idle machines between minIdle and maxIdle (cool-down), add machines for the shortfall of unplaced tasks, remove excess idle ones.',
  options: {
    interval: { type: 'number', default: 1, min: 0.000001, description: 'Seconds between evaluations (Fenzo evaluates after every scheduling iteration).' },
    rules: { type: 'object', default: {}, description: 'Rule name (cluster-spec group, or groupBy value) → { minIdle (1), maxIdle (= minIdle), coolDown s (0), minSize (0), maxSize (∞), tooSmall { resource: quantity }, addGroup (the rule name) }.', check: checkRules },
    provisioningDelay: { type: 'number', default: 0, min: 0, description: 'Seconds from a scale-up until the new machine joins.' },
    shortfall: { type: 'string', default: 'naive', values: ['naive', 'optimizing', 'none'], description: 'How unplaced tasks turn into machines to add.' },
    fitness: { ...fitnessOption, description: 'Fitness calculator of the optimizing evaluator\'s pseudo round (use the policy\'s).' },
    fitnessWeights: weightsOption,
    groupBy: { type: 'string', default: '', description: 'Attribute whose value names a machine\'s rule (Fenzo\'s autoscale attribute); empty: the cluster-spec group.' },
    delayUp: { type: 'number', default: 0, min: 0, description: 'Seconds a scale-up must keep being called for before it happens (Fenzo withDelayAutoscaleUpBySecs).' },
    delayDown: { type: 'number', default: 0, min: 0, description: 'Seconds a scale-down must keep being called for before it happens (Fenzo withDelayAutoscaleDownBySecs).' },
    scaleDownBalancedBy: { type: 'string', default: '', description: 'Attribute to balance removals over (e.g. zone); empty for none.' },
  },
  interval: (opts) => Math.max(1, Math.round((opts['interval'] as number) * SECOND)),
  create: (ctx, opts) => new FenzoAutoscaler(ctx, opts),
};
