// What a report shows, read from a results tree: per configuration (policy + parameters), its runs' summaries, waits and time series.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { arrow } from '../arrow.js';
import { inputError } from '../errors.js';
import { readRun, type RunList } from '../experiment/results-index.js';
import { quantile } from '../metrics/stats.js';

/** One configuration: a policy label with one combination of sweep values, over its seeds. */
export interface ConfigData {
  /** The run id without `-seed<N>`. */
  readonly name: string;
  readonly policy: string;
  readonly summaries: readonly Record<string, number | null>[];
  /** Waiting-time quantiles at 0, 1, ..., 100 % over every started task attempt of every seed (empty when none started). */
  readonly waitQuantiles: readonly number[];
  /** Per sample instant: the mean over seeds of the cluster utilisation (mean over resources). */
  readonly utilisation: readonly { readonly time_s: number; readonly value: number }[];
  /** Per sample instant: the mean over seeds of cluster power in W, when the time series has a `power_w` column. */
  readonly power: readonly { readonly time_s: number; readonly value: number }[];
}

export interface ReportData {
  readonly experiment: string;
  readonly dir: string;
  readonly configs: readonly ConfigData[];
}

function table(path: string): Table {
  return arrow.tableFromIPC(readFileSync(path));
}

function numbers(t: Table, column: string): (number | null)[] {
  const col = t.getChild(column);
  if (col === null) return [];
  const out: (number | null)[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const v = col.get(i) as number | bigint | null;
    out.push(v === null ? null : Number(v));
  }
  return out;
}

/** Averages series sampled at the same instants (runs of one configuration share the sampling grid). */
function meanSeries(series: readonly (readonly { time_s: number; value: number | null }[])[]): { time_s: number; value: number }[] {
  const byTime = new Map<number, { sum: number; n: number }>();
  for (const s of series) {
    for (const { time_s, value } of s) {
      if (value === null) continue;
      const acc = byTime.get(time_s) ?? { sum: 0, n: 0 };
      acc.sum += value;
      acc.n++;
      byTime.set(time_s, acc);
    }
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([time_s, { sum, n }]) => ({ time_s, value: sum / n }));
}

/** Reads a finished results folder (`experiment.json` present): summaries, tasks.arrow waits and timeseries.arrow. */
export function loadReportData(dir: string): ReportData {
  const listFile = join(dir, 'experiment.json');
  if (!existsSync(listFile)) throw inputError(Error, `${dir} is not a finished experiment's results folder (no experiment.json)`);
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as RunList;
  const groups = new Map<string, { policy: string; ids: string[] }>();
  for (const { id, policy } of list.runs) {
    const name = id.replace(/-seed\d+$/, '');
    const g = groups.get(name) ?? { policy, ids: [] };
    g.ids.push(id);
    groups.set(name, g);
  }
  const configs = [...groups.entries()].map(([name, { policy, ids }]): ConfigData => {
    const waits: number[] = [];
    const util: { time_s: number; value: number | null }[][] = [];
    const power: { time_s: number; value: number | null }[][] = [];
    for (const id of ids) {
      for (const w of numbers(table(join(dir, id, 'tasks.arrow')), 'wait_s')) if (w !== null) waits.push(w);
      const ts = table(join(dir, id, 'timeseries.arrow'));
      const times = numbers(ts, 'time_s') as number[];
      const resources = ts.schema.fields.map((f) => f.name).filter((n) => n.startsWith('utilisation_'));
      const columns = resources.map((r) => numbers(ts, r));
      util.push(times.map((time_s, i) => {
        const vs = columns.map((c) => c[i]).filter((v): v is number => v !== null && v !== undefined);
        return { time_s, value: vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null };
      }));
      const watts = numbers(ts, 'power_w');
      if (watts.length) power.push(times.map((time_s, i) => ({ time_s, value: watts[i] ?? null })));
    }
    const sorted = Float64Array.from(waits).sort();
    return {
      name,
      policy,
      summaries: ids.map((id) => readRun(dir, id).summary),
      waitQuantiles: sorted.length ? Array.from({ length: 101 }, (_, q) => quantile(sorted, q / 100) as number) : [],
      utilisation: meanSeries(util),
      power: meanSeries(power),
    };
  });
  return { experiment: list.experiment, dir, configs };
}
