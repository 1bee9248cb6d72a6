// The results index: index.arrow, one row per run with its parameters and summary, and experiment.json, the run list.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { ArrowTableWriter, type ColumnSpec } from '../metrics/arrow-table.js';
import type { TraceReport } from '../traces/problems.js';
import { canonical } from './sweep.js';

/** What `experiment.json` holds: the experiment's name, its sweep axes and every run id in plan order. */
export interface RunList {
  readonly experiment: string;
  /** Sweep axis key → column name in index.arrow (`param_<axis name>`). */
  readonly params: Readonly<Record<string, string>>;
  /** Every run in plan order, with its policy label. */
  readonly runs: readonly { readonly id: string; readonly policy: string }[];
}

interface RunRecord {
  readonly id: string;
  readonly manifest: { readonly seed: number; readonly params?: Record<string, unknown>; readonly config: { readonly policy: string }; readonly trace_report?: TraceReport | null };
  readonly summary: Record<string, number | null>;
}

/** Reads a finished run's manifest and summary; a missing run is an input error naming it. */
export function readRun(resultsDir: string, id: string): RunRecord {
  try {
    return {
      id,
      manifest: JSON.parse(readFileSync(join(resultsDir, id, 'manifest.json'), 'utf8')) as RunRecord['manifest'],
      summary: JSON.parse(readFileSync(join(resultsDir, id, 'summary.json'), 'utf8')) as RunRecord['summary'],
    };
  } catch (error) {
    throw inputError(Error, `Run ${id} is missing or incomplete in ${resultsDir} (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * Writes `experiment.json` and `index.arrow` for the runs of `list`, in its order. Columns: run_id,
 * policy (label), policy_name, seed, one `param_<axis>` per sweep axis (float64 when every value is a
 * number, else utf8 with JSON for non-strings; null where the axis does not apply), then every summary
 * metric as float64 in first-seen order. `experiment.json` is written last: its presence means the tree is whole. The bytes depend only on the runs' summaries and parameters.
 */
export function writeResultsIndex(resultsDir: string, list: RunList): void {
  const runs = list.runs.map(({ id, policy }) => ({ ...readRun(resultsDir, id), policy }));
  const axes = Object.entries(list.params);
  const numeric = axes.map(([key]) => runs.every((r) => r.manifest.params?.[key] === undefined || typeof r.manifest.params[key] === 'number'));
  const metrics: string[] = [];
  for (const r of runs) for (const k of Object.keys(r.summary)) if (!metrics.includes(k)) metrics.push(k);
  const columns: ColumnSpec[] = [
    { name: 'run_id', type: 'utf8' },
    { name: 'policy', type: 'utf8' },
    { name: 'policy_name', type: 'utf8' },
    { name: 'seed', type: 'int64' },
    ...axes.map(([, column], i): ColumnSpec => ({ name: column, type: numeric[i] ? 'float64' : 'utf8', nullable: true })),
    ...metrics.map((name): ColumnSpec => ({ name, type: 'float64', nullable: true })),
  ];
  const partial = join(resultsDir, '.index.arrow.partial');
  const table = new ArrowTableWriter(partial, columns);
  for (const r of runs) {
    let c = 0;
    table.string(c++, r.id);
    table.string(c++, r.policy);
    table.string(c++, r.manifest.config.policy);
    table.int(c++, r.manifest.seed);
    axes.forEach(([key], i) => {
      const v = r.manifest.params?.[key];
      if (v === undefined) table.null(c);
      else if (numeric[i]) table.float(c, v as number);
      else table.string(c, typeof v === 'string' ? v : canonical(v));
      c++;
    });
    for (const m of metrics) {
      const v = r.summary[m];
      if (typeof v === 'number') table.float(c, v);
      else table.null(c);
      c++;
    }
    table.endRow();
  }
  table.close();
  renameSync(partial, join(resultsDir, 'index.arrow'));
  writeFileSync(join(resultsDir, 'experiment.json'), `${JSON.stringify(list, null, 2)}\n`);
}
