// Experiment files: what to run (cluster, trace, policies with options, seeds, sampling), validated.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigDocument, type FieldReader } from '../document.js';
import { show, type Where } from '../errors.js';
import { traceFormats, type TraceRef } from '../traces/index.js';

/** One policy entry of an experiment: a registry name, its options, and the label runs are named by. */
export interface PolicyEntry {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly label: string;
  /** Where the name and the options are written, for errors found when the policy is resolved. */
  readonly where: Where;
  readonly optionsWhere: Where;
}

/** One controller entry: a registry name and its options. */
export interface ControllerEntry {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly where: Where;
  readonly optionsWhere: Where;
}

export interface ExperimentConfig {
  readonly file: string;
  readonly name: string;
  /** Absolute paths, resolved against the experiment file's folder; no cluster = the trace format's default cluster. */
  readonly cluster: string | null;
  readonly trace: TraceRef;
  readonly policies: readonly PolicyEntry[];
  /** Periodic controllers every run gets (power capping, autoscaling). */
  readonly controllers: readonly ControllerEntry[];
  /** Attempts a task gets when machines under it go away (1 = no retries). */
  readonly maxAttempts: number;
  readonly seeds: readonly number[];
  /** Seconds between samples in timeseries.arrow. */
  readonly sampleInterval: number;
  /** Seconds after which runs stop, if set. */
  readonly horizon: number | undefined;
}

const FIELDS = ['name', 'description', 'cluster', 'trace', 'policies', 'controllers', 'seeds', 'sample_interval', 'horizon', 'max_attempts'];
const LABEL = /^[A-Za-z0-9_.+\-]+$/;

/** Loads and validates an experiment file; problems name the file, line and field. */
export function loadExperiment(file: string): ExperimentConfig {
  return readExperiment(ConfigDocument.load(file).reader());
}

export function readExperiment(r: FieldReader): ExperimentConfig {
  r.object([], FIELDS);
  const base = dirname(resolve(r.doc.file));
  const name = r.string(['name']);
  if (!LABEL.test(name)) r.fail(RangeError, ['name'], `${show(name)} may hold letters, digits, "_", ".", "+" and "-" only (it names the results folder)`);
  if (r.get(['description']) !== undefined) r.string(['description']);
  const policies = r.array(['policies']).map((_, i): PolicyEntry => {
    const at = ['policies', i];
    const where = r.doc.where(at);
    if (typeof r.get(at) === 'string') return { name: r.string(at), options: {}, label: r.string(at), where, optionsWhere: where };
    r.object(at, ['name', 'options', 'label']);
    const policyName = r.string([...at, 'name']);
    const options = r.optionalObject([...at, 'options']) ?? {};
    const label = r.optionalString([...at, 'label']) ?? policyName;
    if (!LABEL.test(label)) r.fail(RangeError, [...at, 'label'], `${show(label)} may hold letters, digits, "_", ".", "+" and "-" only (it names run folders)`);
    return { name: policyName, options, label, where: r.doc.where([...at, 'name']), optionsWhere: r.doc.where([...at, 'options']) };
  });
  if (policies.length === 0) r.fail(RangeError, ['policies'], 'list at least one policy');
  policies.forEach((p, i) => {
    if (policies.findIndex((q) => q.label === p.label) !== i) {
      r.fail(RangeError, ['policies', i], `two entries are labelled ${show(p.label)}; give one a distinct "label"`);
    }
  });
  const seeds = r.array(['seeds']).map((_, i) => r.integer(['seeds', i], 0, 2 ** 32 - 1));
  if (seeds.length === 0) r.fail(RangeError, ['seeds'], 'list at least one seed');
  seeds.forEach((s, i) => {
    if (seeds.indexOf(s) !== i) r.fail(RangeError, ['seeds', i], `seed ${s} is listed twice`);
  });
  const sampleInterval = r.get(['sample_interval']) === undefined ? 60 : r.number(['sample_interval'], 0, Infinity, true);
  const horizon = r.get(['horizon']) === undefined ? undefined : r.number(['horizon'], 0, Infinity, true);
  const existing = (at: (string | number)[]): string => {
    const path = resolve(base, r.string(at));
    if (!existsSync(path)) r.fail(RangeError, at, `file not found: ${show(r.get(at))} (looked for ${path})`);
    return path;
  };
  const trace = readTraceRef(r, existing);
  const cluster = r.get(['cluster']) === undefined && traceFormats[trace.format]?.defaultCluster !== undefined ? null : existing(['cluster']);
  const controllers = (r.get(['controllers']) === undefined ? [] : r.array(['controllers'])).map((_, i): ControllerEntry => {
    const at = ['controllers', i];
    const where = r.doc.where(at);
    if (typeof r.get(at) === 'string') return { name: r.string(at), options: {}, where, optionsWhere: where };
    r.object(at, ['name', 'options']);
    return { name: r.string([...at, 'name']), options: r.optionalObject([...at, 'options']) ?? {}, where: r.doc.where([...at, 'name']), optionsWhere: r.doc.where([...at, 'options']) };
  });
  const maxAttempts = r.get(['max_attempts']) === undefined ? 1 : r.integer(['max_attempts'], 1, 1_000_000);
  return {
    file: r.doc.file,
    name,
    cluster,
    trace,
    policies,
    controllers,
    maxAttempts,
    seeds,
    sampleInterval,
    horizon,
  };
}

/** `trace: path` (native CSV) or `trace: { format, path, options }`. */
function readTraceRef(r: FieldReader, existing: (at: (string | number)[]) => string): TraceRef {
  if (typeof r.get(['trace']) === 'string') {
    const where = r.doc.where(['trace']);
    return { format: 'native', path: existing(['trace']), options: {}, where, optionsWhere: where };
  }
  r.object(['trace'], ['format', 'path', 'options']);
  const format = r.optionalString(['trace', 'format']) ?? 'native';
  const path = r.get(['trace', 'path']) === undefined ? null : existing(['trace', 'path']);
  return { format, path, options: r.optionalObject(['trace', 'options']) ?? {}, where: r.doc.where(['trace']), optionsWhere: r.doc.where(['trace', 'options']) };
}
