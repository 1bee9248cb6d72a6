// Placement "fenzo": Fenzo's host evaluation — exclusive lock, hard constraints, resources, fitness
// (0 vetoes), soft constraints, score = (50·soft + 35·fitness) / 100, best score wins, ties to the
// smallest host name (code-unit order). Cost: O(machines) per task in the exact mode (every host
// scored, as Fenzo does by default); the indexed mode serves the default calculator and the
// single-resource packers and spreaders on unconstrained tasks in O(classes · log machines) with
// the same decisions. Simplifies: no leases/offers (a machine offers all its free room), no
// resource sets (their 15% weight is 0, as in Fenzo without them), no ports beyond a counted
// resource, evaluation is sequential.
import { inputError, show } from '../../src/errors.js';
import { parseTaskConstraints, type PlacementRule } from '../../src/model/constraints.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView, OptionSpec, OptionValue, Options, PartFactory, Placement } from '../../src/policy.js';
import { FITNESS_NAMES, fitnessOption, isSpreader, makeCalculator, weightsOption, type Calculator } from './fitness.js';
import { ClassIndex } from './class-index.js';
import { RuleState } from './rules.js';
import { nameOrder } from './names.js';
import { NameIndex } from './name-index.js';
import type { LazyIndex } from './lazy-index.js';
import { Misfits } from './misfits.js';

/** Hosts are scored in batches of this many when an early exit is allowed (Fenzo's worker batch). */
const BATCH = 10;

const options: Readonly<Record<string, OptionSpec>> = {
  fitness: fitnessOption,
  fitnessWeights: weightsOption,
  goodEnough: {
    type: 'number',
    default: 1,
    description: 'Stop scoring hosts once a score exceeds this (after finishing the current batch of 10, hosts in name order); the default 1 never triggers, as in Fenzo.',
    min: 0,
  },
  constraints: {
    type: 'object',
    default: {},
    description: 'Extra constraints by tenant ("*" for every task), in the trace grammar; all enforced by this placement.',
    check: checkConstraintMap,
  },
  mode: {
    type: 'string',
    default: 'exact',
    description: '"exact" scores every host for every task; "indexed" finds the same host through indexes where it can (default, single-resource packers and spreaders; tasks without constraints) and scores every host otherwise.',
    values: ['exact', 'indexed'],
  },
  exclusiveLocksInRound: {
    type: 'boolean',
    default: false,
    description: 'Quirk fix: an exclusive task placed earlier in the same round already locks its host (Fenzo: it does not).',
  },
  balancedSoft: {
    type: 'string',
    default: 'fenzo',
    description: 'Soft balanced score: "fenzo" (S − c) / S as the code does, or "average" (a − c) / a with a = S / max(n, values used).',
    values: ['fenzo', 'average'],
  },
  zeroDemandVeto: {
    type: 'boolean',
    default: true,
    description: 'Quirk: a bin-packer scoring 0 (zero demand on an idle host) vetoes the host, as in Fenzo.',
  },
  spreaderFillVeto: {
    type: 'boolean',
    default: true,
    description: 'Quirk: a spreader scoring 0 (the task exactly fills the host) vetoes the host, as in Fenzo.',
  },
};

function checkConstraintMap(value: OptionValue): string | undefined {
  for (const [tenant, text] of Object.entries(value as Record<string, OptionValue>)) {
    if (typeof text !== 'string') return `the constraints of ${show(tenant)} must be a string, got ${show(text)}`;
    try {
      parseTaskConstraints(text);
    } catch (error) {
      return `tenant ${show(tenant)}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The constraint rules an experiment file adds per tenant; hard attribute clauses become hard value rules. */
function experimentRules(map: Readonly<Record<string, OptionValue>>): Map<string, readonly PlacementRule[]> {
  const out = new Map<string, readonly PlacementRule[]>();
  for (const tenant of Object.keys(map).sort()) {
    const parsed = parseTaskConstraints(map[tenant] as string, { field: `constraints.${tenant}` });
    const asRules: PlacementRule[] = parsed.constraints.map((c) => ({ kind: 'value', attribute: c.attribute, op: c.op, values: c.values, soft: false }));
    out.set(tenant, [...asRules, ...parsed.rules]);
  }
  return out;
}

const NO_RULES: readonly PlacementRule[] = [];

/** A Fenzo scheduler's placement state for one run. */
export class FenzoPlacement implements Placement {
  private readonly calc: Calculator;
  private readonly vetoZero: boolean;
  private readonly goodEnough: number;
  private readonly rules: RuleState;
  private readonly extra: Map<string, readonly PlacementRule[]>;
  private readonly index: LazyIndex | null;
  private readonly misfits: Misfits;
  /** Slots in host-name order, rebuilt when machines are added. */
  private hostOrder = new Int32Array(0);

  constructor(private readonly view: ClusterView, opts: Options) {
    const name = String(opts['fitness']);
    if (!(FITNESS_NAMES as readonly string[]).includes(name)) throw inputError(RangeError, `Unknown fitness ${show(name)}; expected one of ${FITNESS_NAMES.join(', ')}`, { field: 'fitness' });
    this.calc = makeCalculator(view, name, opts['fitnessWeights'] as Record<string, OptionValue>);
    const zeroDemand = opts['zeroDemandVeto'] === true;
    const fill = opts['spreaderFillVeto'] === true;
    this.vetoZero = name === 'weightedAverage' ? zeroDemand || fill : isSpreader(this.calc.name) ? fill : zeroDemand;
    this.goodEnough = opts['goodEnough'] as number;
    this.rules = new RuleState(view, { exclusiveLocksInRound: opts['exclusiveLocksInRound'] === true, balancedSoft: opts['balancedSoft'] === 'average' ? 'average' : 'fenzo' });
    this.extra = experimentRules(opts['constraints'] as Record<string, OptionValue>);
    this.misfits = new Misfits(view);
    const single = this.calc.single;
    const indexed = opts['mode'] === 'indexed' && this.goodEnough >= 1 && this.vetoZero;
    this.index = !indexed ? null : single !== undefined ? new ClassIndex(view, single.dim, single.spread) : name === 'default' ? new NameIndex(view) : null;
  }

  round(): void {
    this.rules.round();
  }

  place(task: TaskView): number {
    // no host has room and satisfies the simulation's constraints: every host would fail (O(1) for known misfits)
    if (this.misfits.known(task)) return -1;
    const rules = this.rulesOf(task);
    const indexed = this.index !== null && rules.length === 0 && task.constraints.length === 0;
    // the index finds nothing for a misfit anyway, so it is told apart only when the index finds nothing
    if (!indexed && this.refusedAsMisfit(task)) return -1;
    const m = indexed ? (this.index as LazyIndex).best(task, this.calc, this.rules) : this.exact(task, rules);
    if (m < 0) {
      if (indexed) this.refusedAsMisfit(task);
      return -1;
    }
    this.rules.placed(task, m, rules);
    this.index?.touch(m);
    return m;
  }

  /** True, remembering it, if `task` has room and its constraints on no host. */
  private refusedAsMisfit(task: TaskView): boolean {
    if (this.view.firstFit(task) >= 0) return false;
    this.misfits.remember(task);
    return true;
  }

  misfit(task: TaskView): boolean {
    return this.misfits.known(task);
  }

  stopped(task: TaskView): void {
    const m = this.rules.stopped(task, this.rulesOf(task));
    if (m >= 0) this.index?.touch(m);
  }

  machineChanged(m: number): void {
    this.index?.reshaped(m);
  }

  /** Fenzo's full scan: every up host in name order, the best score, ties to the first (smallest name). */
  private exact(task: TaskView, rules: readonly PlacementRule[]): number {
    const view = this.view;
    const order = this.hosts();
    let best = -1;
    let bestScore = -Infinity;
    let stopAt = order.length;
    let scored = 0;
    for (let i = 0; i < order.length && scored < stopAt; i++) {
      const m = order[i] as number;
      if (!view.isUp(m)) continue;
      scored++;
      if (this.rules.locked(m)) continue;
      if (rules.length > 0 && !this.rules.hardHold(task, rules, m)) continue;
      if (!view.fits(task, m)) continue;
      const f = this.calc.fitness(task, m);
      if (f === 0 && this.vetoZero) continue;
      const soft = rules.length > 0 ? this.rules.softMean(task, rules, m) : 1;
      const score = (soft * 50 + f * 35) / 100;
      if (score > bestScore) {
        bestScore = score;
        best = m;
      }
      if (score > this.goodEnough && stopAt === order.length) stopAt = Math.ceil(scored / BATCH) * BATCH;
    }
    return best;
  }

  private hosts(): Int32Array {
    const view = this.view;
    if (this.hostOrder.length !== view.size) {
      this.hostOrder = nameOrder(view);
    }
    return this.hostOrder;
  }

  private rulesOf(task: TaskView): readonly PlacementRule[] {
    const own = task.rules ?? NO_RULES;
    if (this.extra.size === 0) return own;
    const added = this.extra.get(task.tenant) ?? this.extra.get('*');
    if (added === undefined) return own;
    return own.length === 0 ? added : [...added, ...own];
  }
}

export const fenzo: PartFactory<Placement> = {
  description: 'Fenzo: every host scored by fitness calculator and soft constraints after hard constraints and resources; best score wins, ties to the smallest host name.',
  options,
  cost: 'O(machines) per task (exact); O(capacity classes · log machines) for default and single-resource packers/spreaders on unconstrained tasks (indexed)',
  create: ({ view }, opts) => new FenzoPlacement(view, opts),
};
