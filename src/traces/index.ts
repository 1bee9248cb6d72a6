// The trace format registry: experiment files and the CLI open traces by format name through it.
import { inputError, show, type Where } from '../errors.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { resolveOptions } from '../options.js';
import { didYouMean } from '../suggest.js';
import type { OptionSpec, Options } from '../policy.js';
import { nativeTrace } from './native.js';
import type { TraceSource } from './source.js';

/** A trace format: how to open a file or folder of it as a stream for a given cluster. */
export interface TraceFormat {
  readonly description: string;
  /** Whether `path` is required (false for generated workloads). */
  readonly needsPath: boolean;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Opens the trace; reading errors surface from the stream as input errors naming file and line. */
  open(path: string | null, cluster: ClusterSpec, options: Options, seed: number): TraceSource;
}

export const traceFormats: Readonly<Record<string, TraceFormat>> = {
  native: {
    description: 'clustersim native CSV: task_id, submit, duration, one column per resource, optional job_id, tenant, priority, kind, constraints',
    needsPath: true,
    options: {},
    open: (path, cluster) => nativeTrace(path as string, cluster.resources),
  },
};

/** A trace as an experiment file or the CLI names it. */
export interface TraceRef {
  readonly format: string;
  /** Absolute path of the file or folder, or null for generated workloads. */
  readonly path: string | null;
  readonly options: Readonly<Record<string, unknown>>;
  readonly where: Where;
  readonly optionsWhere: Where;
}

/** Checks the format name and options of `ref`; unknown names and options are input errors. */
export function checkTraceRef(ref: TraceRef): Options {
  const format = traceFormats[ref.format];
  if (format === undefined) {
    throw inputError(RangeError, `Unknown trace format ${show(ref.format)}${didYouMean(ref.format, Object.keys(traceFormats))}; expected one of ${Object.keys(traceFormats).join(', ')}`, ref.where);
  }
  if (format.needsPath && ref.path === null) throw inputError(RangeError, `Trace format ${show(ref.format)} needs a "path"`, ref.where);
  return resolveOptions(`trace format ${show(ref.format)}`, ref.options, [format.options], ref.optionsWhere);
}

/** Opens the trace `ref` names for a run on `cluster` with `seed` (generated workloads draw from it). */
export function openTrace(ref: TraceRef, cluster: ClusterSpec, seed: number): TraceSource {
  const options = checkTraceRef(ref);
  return (traceFormats[ref.format] as TraceFormat).open(ref.path, cluster, options, seed);
}

/** A reference to a trace file given directly (the CLI's --trace, tests): no options. */
export function traceFile(path: string, format = 'native', options: Readonly<Record<string, unknown>> = {}): TraceRef {
  return { format, path, options, where: { file: path }, optionsWhere: { file: path } };
}
