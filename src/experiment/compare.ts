// `compare`: pairs two results trees' runs by policy, parameters and seed, and checks thresholds on the paired differences.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError, show } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { pairedDifference, type PairedDifference } from './seed-stats.js';
import { readRun, type RunList } from './results-index.js';
import { canonical } from './sweep.js';

/** `metric > +5%`, `metric < -0.01`: fail when the mean paired difference goes past the limit in that direction. */
export interface Threshold {
  readonly text: string;
  readonly metric: string;
  readonly direction: '>' | '<';
  readonly limit: number;
  readonly relative: boolean;
}

const THRESHOLD = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*([<>])\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)\s*$/;

/** Parses a `--fail-if` expression; anything else is an input error showing the expected form. */
export function parseThreshold(text: string): Threshold {
  const m = THRESHOLD.exec(text);
  if (m === null) throw inputError(SyntaxError, `--fail-if ${show(text)} is not a threshold; expected "<metric> > <limit>" or "<metric> < <limit>", the limit a number, a trailing % making it relative to the baseline mean (e.g. "wait_p95_s > +5%", "utilisation_mean < -0.01")`);
  return { text: text.trim(), metric: m[1] as string, direction: m[2] as '>' | '<', limit: Number(m[3]), relative: m[4] === '%' };
}

/** One configuration (policy label + sweep parameters) of a results tree, with its runs by seed. */
interface Group {
  readonly policy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly bySeed: Map<number, Record<string, number | null>>;
}

/** A baseline file: every run's policy label, seed, parameters and summary, small enough to commit. */
export interface BaselineFile {
  readonly experiment: string;
  readonly runs: readonly { readonly id: string; readonly policy: string; readonly seed: number; readonly params: Readonly<Record<string, unknown>>; readonly summary: Record<string, number | null> }[];
}

/** Reads a finished results folder into a {@link BaselineFile}. */
export function baselineOf(dir: string): BaselineFile {
  const listFile = join(dir, 'experiment.json');
  if (!existsSync(listFile)) throw inputError(Error, `${dir} is not a finished experiment's results folder (no experiment.json; run it, or merge its shards, first)`);
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as RunList;
  return {
    experiment: list.experiment,
    runs: list.runs.map(({ id, policy }) => {
      const run = readRun(dir, id);
      return { id, policy, seed: run.manifest.seed, params: run.manifest.params ?? {}, summary: run.summary };
    }),
  };
}

/** A results folder, or a baseline file written by `clustersim baseline`. */
function loadTree(path: string): Map<string, Group> {
  const source = path.endsWith('.json') && existsSync(path) && statSync(path).isFile() ? (JSON.parse(readFileSync(path, 'utf8')) as BaselineFile) : baselineOf(path);
  const groups = new Map<string, Group>();
  for (const { policy, params, seed, summary } of source.runs) {
    const key = `${policy} ${canonical(params)}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { policy, params, bySeed: new Map() }));
    group.bySeed.set(seed, summary);
  }
  return groups;
}

/** A metric name as written, or the summary's spelling of `p95_wait_s` style names (`wait_p95_s`). */
function metricKey(name: string, available: readonly string[]): string | undefined {
  if (available.includes(name)) return name;
  const m = /^(mean|p50|p95|p99)_([a-z_]+?)(_s)?$/.exec(name);
  const swapped = m === null ? undefined : `${m[2]}_${m[1]}${m[3] ?? ''}`;
  return swapped !== undefined && available.includes(swapped) ? swapped : undefined;
}

export interface MetricRow extends PairedDifference {
  readonly policy: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metric: string;
  /** Thresholds on this metric that this row breaks. */
  readonly failed: readonly string[];
  readonly checked: readonly string[];
}

export interface Comparison {
  readonly baseline: string;
  readonly candidate: string;
  readonly rows: readonly MetricRow[];
  readonly regressions: number;
}

export const DEFAULT_METRICS = ['wait_mean_s', 'wait_p95_s', 'bounded_slowdown_mean', 'utilisation_mean', 'makespan_s', 'jain_fairness', 'energy_j'];

/**
 * Compares two results trees. Every configuration and seed of one must be in the other (else an input
 * error listing the first differences); thresholds naming metrics neither has are input errors too.
 * Metrics shown: the thresholds' metrics, then `metrics` (those present in the summaries).
 */
export function compareResults(baselineDir: string, candidateDir: string, thresholds: readonly Threshold[], metrics: readonly string[] = DEFAULT_METRICS): Comparison {
  const baseline = loadTree(baselineDir);
  const candidate = loadTree(candidateDir);
  const describe = (g: Group, seed: number) => `${g.policy}${Object.keys(g.params).length ? ` ${canonical(g.params)}` : ''} seed ${seed}`;
  const missing = (from: Map<string, Group>, other: Map<string, Group>) =>
    [...from].flatMap(([key, g]) => [...g.bySeed.keys()].filter((seed) => !other.get(key)?.bySeed.has(seed)).map((seed) => describe(g, seed)));
  const onlyBaseline = missing(baseline, candidate);
  const onlyCandidate = missing(candidate, baseline);
  if (onlyBaseline.length + onlyCandidate.length > 0) {
    const list = (xs: string[]) => `${xs.slice(0, 5).join('; ')}${xs.length > 5 ? `; and ${xs.length - 5} more` : ''}`;
    throw inputError(RangeError, `The result sets do not match: runs are paired by policy, parameters and seed.${onlyBaseline.length ? ` Only in the baseline: ${list(onlyBaseline)}.` : ''}${onlyCandidate.length ? ` Only in the candidate: ${list(onlyCandidate)}.` : ''}`);
  }
  const available = [...new Set([...baseline.values()].flatMap((g) => [...g.bySeed.values()].flatMap((s) => Object.keys(s))))];
  const keyed = thresholds.map((t) => {
    const metric = metricKey(t.metric, available);
    if (metric === undefined) throw inputError(RangeError, `--fail-if ${show(t.text)}: the results have no metric ${show(t.metric)}${didYouMean(t.metric, available)}; they have ${available.join(', ')}`);
    return { ...t, metric };
  });
  const shown = [...new Set([...keyed.map((t) => t.metric), ...metrics.map((m) => metricKey(m, available)).filter((m): m is string => m !== undefined)])];
  const rows: MetricRow[] = [];
  for (const [key, b] of baseline) {
    const c = candidate.get(key) as Group;
    const seeds = [...b.bySeed.keys()].sort((x, y) => x - y);
    for (const metric of shown) {
      const pairs = seeds.map((s) => [b.bySeed.get(s)?.[metric], c.bySeed.get(s)?.[metric]]).filter((p): p is [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number');
      if (pairs.length === 0) continue;
      const diff = pairedDifference(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
      const mine = keyed.filter((t) => t.metric === metric);
      const failed = mine.filter((t) => breaks(t, diff)).map((t) => t.text);
      rows.push({ policy: b.policy, params: b.params, metric, ...diff, failed, checked: mine.map((t) => t.text) });
    }
  }
  return { baseline: baselineDir, candidate: candidateDir, rows, regressions: rows.filter((r) => r.failed.length > 0).length };
}

/** Whether the mean paired difference passes the threshold's limit in its direction (relative: as a percentage of the baseline mean). */
function breaks(t: Threshold, d: PairedDifference): boolean {
  const value = t.relative ? (d.relative === null ? (d.meanDiff === 0 ? 0 : Math.sign(d.meanDiff) * Infinity) : 100 * d.relative) : d.meanDiff;
  return t.direction === '>' ? value > t.limit : value < t.limit;
}
