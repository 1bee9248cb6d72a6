// Runs an experiment's runs (or one shard of them) sequentially or in parallel, resuming finished ones, then indexes them.
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Summary } from '../metrics/summary.js';
import type { TraceReport } from '../traces/problems.js';
import type { ExperimentConfig } from './config.js';
import { runInPool } from './pool.js';
import { readRun, writeResultsIndex, type RunList } from './results-index.js';
import { planHash, runToDirectory } from './run.js';
import type { PlannedRun } from './runner.js';
import { selectShard, shardFileName, type Shard } from './shard.js';

/** What the progress display hears: the plan once, the fraction of its trace a run has read, and every run as it ends. */
export type SweepEvent =
  | { readonly kind: 'start'; readonly total: number; readonly skipped: number; readonly toRun: number }
  | { readonly kind: 'reading'; readonly id: string; readonly fraction: number | null }
  | { readonly kind: 'done'; readonly id: string; readonly finished: number; readonly toRun: number; readonly wallSeconds: number };

export interface ExecuteOptions {
  /** Worker threads; 1 runs in this thread, one run after another. */
  readonly jobs: number;
  readonly shard?: Shard | undefined;
  readonly progress?: ((event: SweepEvent) => void) | undefined;
  /** Aborting stops the runs under way; finished ones stay, unfinished ones leave nothing. */
  readonly signal?: AbortSignal | undefined;
}

export interface ExecuteResult {
  /** The runs of this invocation (its shard, or all), in plan order, with what their trace readers skipped; empty when interrupted. */
  readonly outcomes: { readonly id: string; readonly label: string; readonly summary: Summary; readonly traceReport: TraceReport | null }[];
  readonly ran: number;
  readonly skipped: number;
  readonly interrupted: boolean;
}

/** The run list of an experiment, as `experiment.json` and the shard files record it. */
export function runList(config: ExperimentConfig, runs: readonly PlannedRun[]): RunList {
  return {
    experiment: config.name,
    params: Object.fromEntries(config.sweep.map((a) => [a.key, `param_${a.name}`])),
    runs: runs.map((r) => ({ id: r.plan.id, policy: r.label })),
  };
}

/**
 * Runs what is not yet finished of `runs` (or of the shard's part of them) into `<resultsDir>/<id>/`.
 * A run counts as finished when its folder's manifest has the config hash the plan has now. Without
 * a shard, writes index.arrow and experiment.json; with one, the shard file that `merge` reads.
 */
export async function executeExperiment(config: ExperimentConfig, runs: readonly PlannedRun[], resultsDir: string, options: ExecuteOptions): Promise<ExecuteResult> {
  const mine = options.shard === undefined ? [...runs] : selectShard(runs, options.shard);
  const ids = mine.map((r) => r.plan.id);
  removePartials(resultsDir, ids);
  const created = firstMissing(resultsDir);
  const pending: PlannedRun[] = [];
  for (const run of mine) if (!(await isFinished(run, resultsDir))) pending.push(run);
  const skipped = mine.length - pending.length;
  options.progress?.({ kind: 'start', total: mine.length, skipped, toRun: pending.length });
  let finished = 0;
  const done = (id: string, wallSeconds: number) => {
    finished++;
    options.progress?.({ kind: 'done', id, finished, toRun: pending.length, wallSeconds });
  };
  const signal = options.signal;
  try {
    if (options.jobs <= 1 || pending.length <= 1) {
      for (const run of pending) {
        if (signal?.aborted) break;
        const outcome = await runToDirectory(run.plan, join(resultsDir, run.plan.id), (fraction) => {
          signal?.throwIfAborted();
          options.progress?.({ kind: 'reading', id: run.plan.id, fraction });
        });
        done(run.plan.id, outcome.wallSeconds);
      }
    } else {
      const reading = (id: string, fraction: number) => options.progress?.({ kind: 'reading', id, fraction });
      await runInPool(config.file, pending.map((r) => r.plan.id), resultsDir, options.jobs, done, signal, reading);
    }
  } catch (error) {
    if (!signal?.aborted) {
      // stopped workers cannot clean up after themselves
      removePartials(resultsDir, ids);
      removeIfEmpty(resultsDir, created);
      throw error;
    }
  }
  if (signal?.aborted) {
    removePartials(resultsDir, ids);
    removeIfEmpty(resultsDir, created);
    return { outcomes: [], ran: finished, skipped, interrupted: true };
  }
  const list = runList(config, runs);
  if (options.shard === undefined) writeResultsIndex(resultsDir, list);
  else writeFileSync(join(resultsDir, shardFileName(options.shard)), `${JSON.stringify({ ...list, shard: options.shard }, null, 2)}\n`);
  const outcomes = mine.map((r) => {
    const run = readRun(resultsDir, r.plan.id);
    return { id: r.plan.id, label: r.label, summary: run.summary, traceReport: run.manifest.trace_report ?? null };
  });
  return { outcomes, ran: finished, skipped, interrupted: false };
}

async function isFinished(run: PlannedRun, resultsDir: string): Promise<boolean> {
  const manifest = join(resultsDir, run.plan.id, 'manifest.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { config_hash?: string }).config_hash === (await planHash(run.plan));
  } catch {
    return false;
  }
}

/** The outermost folder of `dir`'s path that does not exist yet (undefined if `dir` exists). */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = dir; !existsSync(d); d = dirname(d)) missing = d;
  return missing;
}

/** Removes `dir` and its parents up to `created` while they are empty: a failed first attempt leaves no folders. */
function removeIfEmpty(dir: string, created: string | undefined): void {
  if (created === undefined) return;
  for (let d = dir; d.length >= created.length; d = dirname(d)) {
    if (!existsSync(d) || readdirSync(d).length > 0) return;
    rmdirSync(d);
  }
}

/**
 * Removes the hidden folders unfinished runs of `ids` left behind (a killed process cannot clean up).
 * Only these ids: other shards may be writing theirs into the same folder.
 */
function removePartials(resultsDir: string, ids: readonly string[]): void {
  if (!existsSync(resultsDir)) return;
  const prefixes = ids.map((id) => `.${id}.partial-`);
  for (const entry of readdirSync(resultsDir)) {
    if (prefixes.some((p) => entry.startsWith(p) && /^\d+(\.old)?$/.test(entry.slice(p.length)))) rmSync(join(resultsDir, entry), { recursive: true, force: true });
  }
}
