// Plans an experiment into runs (points × seeds, policies resolved and checked), runs them in order, and tabulates them.
import { join } from 'node:path';
import { policyNames, resolveController, resolvePolicy } from '../../policies/index.js';
import { checkTraceRef, defaultClusterOf } from '../traces/index.js';
import { inputError, isInputError, type Where } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { Cluster } from '../model/cluster.js';
import { loadClusterSpec, type ClusterSpec } from '../model/cluster-spec.js';
import { LiveClusterView } from '../model/view.js';
import type { Policy } from '../policy.js';
import { randomStream } from '../random.js';
import type { Summary } from '../metrics/summary.js';
import type { ExperimentConfig } from './config.js';
import { runToDirectory, type RunOutcome, type RunPlan } from './run.js';
import { canonical, inSweepPoint } from './sweep.js';

export interface PlannedRun {
  readonly plan: RunPlan;
  readonly label: string;
  /** Sweep axis key → value for this run. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Expands an experiment into runs: its points (policies, then sweep values) outermost, then seeds; resolves every policy first. */
export function planExperiment(config: ExperimentConfig): PlannedRun[] {
  const clusters = new Map<string, ClusterSpec>();
  const checked = new Set<string>();
  /** A point's cluster: its spec file, or the default cluster its trace format builds from the trace. */
  const clusterOf = (point: ExperimentConfig['points'][number]): { key: string; cluster: ClusterSpec } => {
    const key = point.cluster ?? `trace ${point.trace.format} ${point.trace.path} ${canonical(point.trace.options)}`;
    let cluster = clusters.get(key);
    if (cluster === undefined) clusters.set(key, (cluster = point.cluster === null ? defaultClusterOf(point.trace) : loadClusterSpec(point.cluster)));
    return { key, cluster };
  };
  return config.points.flatMap((point) => {
    const entry = point.policy;
    const { key, cluster } = clusterOf(point);
    const resolve = () => {
      const policy = resolveNamed(entry.name, entry.options, entry.where, entry.optionsWhere);
      // a sweep repeats the same policy and options across many points: make it once per cluster
      const checkKey = `${key}\0${entry.name}\0${canonical(entry.options)}`;
      if (!checked.has(checkKey)) {
        checkPolicy(policy, cluster, entry.optionsWhere);
        checked.add(checkKey);
      }
      checkTraceRef(point.trace);
      return { policy, controllers: point.controllers.map((c) => resolveController(c.name, c.options, c.where, c.optionsWhere)) };
    };
    const { policy, controllers } = Object.keys(point.params).length > 0 ? inSweepPoint(point.id, resolve) : resolve();
    return config.seeds.map((seed) => ({
      label: entry.label,
      params: point.params,
      plan: {
        id: `${point.id}-seed${seed}`,
        experiment: config.name,
        clusterFile: cluster.file,
        cluster,
        trace: point.trace,
        policy,
        controllers,
        maxAttempts: point.maxAttempts,
        seed,
        sampleInterval: point.sampleInterval,
        horizon: point.horizon,
        params: point.params,
      },
    }));
  });
}

/** {@link resolvePolicy}, with the nearest valid name suggested when the name is unknown. */
function resolveNamed(name: string, options: Readonly<Record<string, unknown>>, where: Where, optionsWhere: Where): Policy {
  try {
    return resolvePolicy(name, options, where, optionsWhere);
  } catch (error) {
    const names = policyNames();
    const hint = names.includes(name) ? '' : didYouMean(name, names);
    if (!isInputError(error) || hint === '') throw error;
    throw inputError(RangeError, `${(error as Error).message}${hint}`);
  }
}

/**
 * Makes the policy once against the cluster, so options that depend on it (a resource name, say)
 * fail before any run starts; input errors gain the location of the options.
 */
export function checkPolicy(policy: Policy, spec: ClusterSpec, where: Where): void {
  const cluster = new Cluster(spec);
  try {
    policy.create({ view: new LiveClusterView(cluster, () => 0), random: (name) => randomStream(0, name), wakeAt: () => {}, log: () => {} });
  } catch (error) {
    if (isInputError(error) && where.file !== undefined) throw inputError(RangeError, (error as Error).message, where);
    throw error;
  }
}

/**
 * Runs every planned run in order into `<resultsDir>/<run id>/`, in this thread, with no resume and
 * no index: the plain loop for library use. The CLI uses `executeExperiment` (execute.ts).
 */
export async function runExperiment(runs: readonly PlannedRun[], resultsDir: string): Promise<(RunOutcome & { label: string })[]> {
  const outcomes: (RunOutcome & { label: string })[] = [];
  for (const { plan, label } of runs) outcomes.push({ ...(await runToDirectory(plan, join(resultsDir, plan.id))), label });
  return outcomes;
}

/** One row per policy label: summary metrics averaged over its seeds. */
export function comparisonRows(outcomes: readonly { label: string; summary: Summary }[]): { policy: string; runs: number; values: Record<string, number | null> }[] {
  const labels = [...new Set(outcomes.map((o) => o.label))];
  return labels.map((label) => {
    const mine = outcomes.filter((o) => o.label === label);
    const values: Record<string, number | null> = {};
    for (const key of TABLE_METRICS.map((m) => m.key)) {
      const xs = mine.map((o) => o.summary[key]).filter((x): x is number => typeof x === 'number');
      values[key] = xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
    }
    return { policy: label, runs: mine.length, values };
  });
}

export const TABLE_METRICS = [
  { key: 'finished', title: 'finished', digits: 0 },
  { key: 'wait_mean_s', title: 'mean wait s', digits: 1 },
  { key: 'wait_p95_s', title: 'p95 wait s', digits: 1 },
  { key: 'utilisation_mean', title: 'mean util', digits: 3 },
  { key: 'makespan_s', title: 'makespan s', digits: 0 },
] as const;

/** Renders the comparison as an aligned text table. */
export function formatComparison(rows: ReturnType<typeof comparisonRows>): string {
  const header = ['policy', 'seeds', ...TABLE_METRICS.map((m) => m.title)];
  const body = rows.map((r) => [r.policy, String(r.runs), ...TABLE_METRICS.map((m) => {
    const v = r.values[m.key];
    return v === null || v === undefined ? '—' : v.toFixed(m.digits);
  })]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
