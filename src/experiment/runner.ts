// Runs an experiment: every policy × seed, one results directory per run, and a comparison table.
import { join } from 'node:path';
import { resolveController, resolvePolicy } from '../../policies/index.js';
import { checkTraceRef, defaultClusterOf } from '../traces/index.js';
import { inputError, isInputError, type Where } from '../errors.js';
import { Cluster } from '../model/cluster.js';
import { loadClusterSpec, type ClusterSpec } from '../model/cluster-spec.js';
import { LiveClusterView } from '../model/view.js';
import type { Policy } from '../policy.js';
import { randomStream } from '../random.js';
import type { Summary } from '../metrics/summary.js';
import type { ExperimentConfig } from './config.js';
import { runToDirectory, type RunOutcome, type RunPlan } from './run.js';

export interface PlannedRun {
  readonly plan: RunPlan;
  readonly label: string;
}

/** Expands an experiment into runs, policies outermost, then seeds; resolves every policy first. */
export function planExperiment(config: ExperimentConfig): PlannedRun[] {
  const cluster = config.cluster === null ? defaultClusterOf(config.trace) : loadClusterSpec(config.cluster);
  const policies = config.policies.map((entry) => {
    const policy = resolvePolicy(entry.name, entry.options, entry.where, entry.optionsWhere);
    checkPolicy(policy, cluster, entry.optionsWhere);
    return { entry, policy };
  });
  const controllers = config.controllers.map((c) => resolveController(c.name, c.options, c.where, c.optionsWhere));
  checkTraceRef(config.trace);
  return policies.flatMap(({ entry, policy }) =>
    config.seeds.map((seed) => ({
      label: entry.label,
      plan: {
        id: `${entry.label}-seed${seed}`,
        experiment: config.name,
        clusterFile: cluster.file,
        cluster,
        trace: config.trace,
        policy,
        controllers,
        maxAttempts: config.maxAttempts,
        seed,
        sampleInterval: config.sampleInterval,
        horizon: config.horizon,
      },
    })),
  );
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

/** Reports progress: which run, how many, and the fraction of its trace read (null if unknown). */
export type ExperimentProgress = (event: { index: number; total: number; id: string; fraction: number | null; done: boolean }) => void;

/** Runs every planned run in order into `<resultsDir>/<run id>/`. */
export async function runExperiment(runs: readonly PlannedRun[], resultsDir: string, progress?: ExperimentProgress): Promise<(RunOutcome & { label: string })[]> {
  const outcomes: (RunOutcome & { label: string })[] = [];
  for (const [index, { plan, label }] of runs.entries()) {
    const report = (fraction: number | null, done: boolean) => progress?.({ index, total: runs.length, id: plan.id, fraction, done });
    const outcome = await runToDirectory(plan, join(resultsDir, plan.id), (f) => report(f, false));
    report(1, true);
    outcomes.push({ ...outcome, label });
  }
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
