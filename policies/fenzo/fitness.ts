// Fenzo's fitness calculators: bin-packers, spreaders, the constant default and the weighted average.
import { inputError, show } from '../../src/errors.js';
import type { ClusterView, OptionSpec, OptionValue } from '../../src/policy.js';
import type { TaskView } from '../../src/model/task.js';

/** The calculators by Fenzo's Java field names; `weightedAverage` combines others by `fitnessWeights`. */
export const FITNESS_NAMES = [
  'default',
  'cpuBinPacker',
  'memoryBinPacker',
  'networkBinPacker',
  'cpuMemBinPacker',
  'cpuMemNetworkBinPacker',
  'cpuSpreader',
  'memorySpreader',
  'networkSpreader',
  'cpuMemSpreader',
  'cpuMemNetworkSpreader',
  'weightedAverage',
] as const;
export type FitnessName = (typeof FITNESS_NAMES)[number];

type Term = 'cpu' | 'mem' | 'network';

/** Which resource names of the cluster stand for Fenzo's cpus, memory and network, first match wins. */
export const RESOURCE_ALIASES: Readonly<Record<Term, readonly string[]>> = {
  cpu: ['cpu', 'cpus', 'cores'],
  mem: ['mem', 'memory', 'memMB', 'ram'],
  network: ['network', 'net', 'networkMbps', 'bandwidth'],
};

/** A calculator's shape: which resources it averages, and whether it packs or spreads. */
interface Shape {
  readonly terms: readonly Term[];
  readonly spread: boolean;
}

const SHAPES: Readonly<Record<Exclude<FitnessName, 'default' | 'weightedAverage'>, Shape>> = {
  cpuBinPacker: { terms: ['cpu'], spread: false },
  memoryBinPacker: { terms: ['mem'], spread: false },
  networkBinPacker: { terms: ['network'], spread: false },
  cpuMemBinPacker: { terms: ['cpu', 'mem'], spread: false },
  cpuMemNetworkBinPacker: { terms: ['cpu', 'mem', 'network'], spread: false },
  cpuSpreader: { terms: ['cpu'], spread: true },
  memorySpreader: { terms: ['mem'], spread: true },
  networkSpreader: { terms: ['network'], spread: true },
  cpuMemSpreader: { terms: ['cpu', 'mem'], spread: true },
  cpuMemNetworkSpreader: { terms: ['cpu', 'mem', 'network'], spread: true },
};

/** A fitness calculator bound to a run's view: the fitness of `task` on machine `m`, in [0, 1]. */
export interface Calculator {
  readonly name: FitnessName;
  fitness(task: TaskView, m: number): number;
  /** For a single-resource packer or spreader: its dimension and direction (the indexed mode serves these). */
  readonly single?: { readonly dim: number; readonly spread: boolean };
}

export const fitnessOption: OptionSpec = {
  type: 'string',
  default: 'default',
  description: 'Fitness calculator (Fenzo Java field name); 0.0 vetoes a host.',
  values: FITNESS_NAMES,
};

export const weightsOption: OptionSpec = {
  type: 'object',
  default: {},
  description: 'For fitness "weightedAverage": calculator name → weight; the weights must sum to 1.',
  check: checkWeights,
};

function checkWeights(value: OptionValue): string | undefined {
  const entries = Object.entries(value as Record<string, OptionValue>);
  let sum = 0;
  for (const [name, weight] of entries) {
    if (!(name in SHAPES) && name !== 'default') return `${show(name)} is not a calculator to average; expected one of default, ${Object.keys(SHAPES).join(', ')}`;
    if (typeof weight !== 'number' || !(weight > 0)) return `the weight of ${show(name)} must be a number > 0, got ${show(weight)}`;
    sum += weight;
  }
  // Fenzo demands an exact sum of 1.0; a tolerance keeps 0.1 + 0.2 + 0.7 usable
  if (entries.length > 0 && Math.abs(sum - 1) > 1e-9) return `the weights sum to ${sum}, expected 1`;
  return undefined;
}

/**
 * `pack_r = (demand + used) / capacity`: Fenzo's `(d + A + R) / (O + R)` where the machine's whole
 * capacity is offered, so offered + running is the capacity and assigned + running is what is used
 * (the view already counts earlier placements of the round). A machine without the resource
 * (capacity 0, Fenzo's 0/0 = NaN), or a cluster without it, has no term for it: the calculator
 * averages the rest, and a calculator left with no terms scores 1.0 like the default one.
 */
function shapeFitness(view: ClusterView, dims: readonly number[], spread: boolean): (task: TaskView, m: number) => number {
  return (task, m) => {
    let sum = 0;
    let n = 0;
    for (const d of dims) {
      const capacity = view.capacity(m, d);
      if (capacity === 0) continue;
      const pack = ((task.demand[d] as number) + capacity - view.free(m, d)) / capacity;
      sum += spread ? 1 - pack : pack;
      n++;
    }
    return n === 0 ? 1 : n === 1 ? sum : sum / n;
  };
}

/** The dimension standing for `term`, or -1 when the cluster has none (the term is then left out, as for capacity 0). */
function resolveTerm(view: ClusterView, term: Term): number {
  for (const name of RESOURCE_ALIASES[term]) {
    const d = view.resources.names.indexOf(name);
    if (d >= 0) return d;
  }
  return -1;
}

/** Makes the named calculator for a run; unknown or unusable names are input errors. */
export function makeCalculator(view: ClusterView, name: string, weights: Readonly<Record<string, OptionValue>>): Calculator {
  if (name === 'default') return { name, fitness: () => 1 };
  if (name === 'weightedAverage') {
    const parts = Object.entries(weights).map(([part, w]) => ({ calc: makeCalculator(view, part, {}), weight: w as number }));
    if (parts.length === 0) throw inputError(RangeError, 'Fitness "weightedAverage" needs fitnessWeights (calculator name → weight)', { field: 'fitnessWeights' });
    const total = parts.reduce((s, p) => s + p.weight, 0);
    return {
      name,
      fitness(task, m) {
        let sum = 0;
        for (const p of parts) {
          const f = p.calc.fitness(task, m);
          // Fenzo: any component at 0.0 makes the average 0.0, a veto
          if (f === 0) return 0;
          sum += p.weight * f;
        }
        return sum / total;
      },
    };
  }
  const shape = (SHAPES as Record<string, Shape | undefined>)[name];
  if (shape === undefined) throw inputError(RangeError, `Unknown fitness ${show(name)}; expected one of ${FITNESS_NAMES.join(', ')}`, { field: 'fitness' });
  const dims = shape.terms.map((t) => resolveTerm(view, t)).filter((d) => d >= 0);
  if (dims.length === 0) return { name: name as FitnessName, fitness: () => 1 };
  const calc: Calculator = { name: name as FitnessName, fitness: shapeFitness(view, dims, shape.spread) };
  return dims.length === 1 ? { ...calc, single: { dim: dims[0] as number, spread: shape.spread } } : calc;
}

/** True for a calculator that spreads (the spreader-fill quirk applies to it). */
export function isSpreader(name: FitnessName): boolean {
  return name in SHAPES && SHAPES[name as keyof typeof SHAPES].spread;
}
