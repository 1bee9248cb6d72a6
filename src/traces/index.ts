// The trace format registry: experiment files and the CLI open traces by format name through it.
import { inputError, show, type Where } from '../errors.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { resolveOptions } from '../options.js';
import type { OptionSpec, Options } from '../policy.js';
import { alibaba2017Trace, ALIBABA_2017_QUANTITIES } from './alibaba-2017.js';
import { alibaba2018Trace, ALIBABA_2018_QUANTITIES } from './alibaba-2018.js';
import { gpuDefaultCluster, gpuTrace, GPU_QUANTITIES } from './alibaba-gpu-2023.js';
import { googleTrace, GOOGLE_QUANTITIES } from './google-2011.js';
import { COMMON_OPTIONS, limitSource } from './limits.js';
import { nativeTrace } from './native.js';
import type { TraceSource } from './source.js';
import { swfDefaultCluster, swfTrace, SWF_QUANTITIES } from './swf.js';
import { syntheticFormat } from './synthetic-format.js';
import { machinesFromTable } from './tables.js';
import { scaleOption, type Quantity } from './units.js';

/** A trace format: how to open a file or folder of it as a stream for a given cluster. */
export interface TraceFormat {
  readonly description: string;
  /** Whether `path` is required (false for generated workloads). */
  readonly needsPath: boolean;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Opens the trace; reading errors surface from the stream as input errors naming file and line. */
  open(path: string | null, cluster: ClusterSpec, options: Options, seed: number): TraceSource;
  /** What the format reads, in its own units, and the default conversion to base units (the `scale` option). */
  readonly quantities?: readonly Quantity[];
  /** The cluster to use when the experiment names none (SWF header, GPU node list; no machines when they all come from machine events). */
  defaultCluster?(path: string, options: Options): ClusterSpec;
}

const TENANT_BY = (values: readonly string[], description: string): OptionSpec => ({ type: 'string', default: values[0] as string, values, description });
const WINDOW = (dflt: number): OptionSpec => ({ type: 'number', default: dflt, min: 0, description: 'Seconds of trace time rows may arrive out of submit order (the file is sorted by another key); a row later than that is an error' });
const INSTANCES: OptionSpec = { type: 'string', default: 'expand', values: ['expand', 'task'], description: 'expand: one task per instance of a batch task; task: one task per batch task (the demand of one instance)' };

/** A format's options: its own, `scale` for its quantities, and the common ones (lenient, max_tasks, from_s, until_s). */
function withCommon(quantities: readonly Quantity[], own: Readonly<Record<string, OptionSpec>>): Readonly<Record<string, OptionSpec>> {
  return { ...own, ...(quantities.length > 0 ? { scale: scaleOption(quantities) } : {}), ...COMMON_OPTIONS };
}

export const traceFormats: Readonly<Record<string, TraceFormat>> = {
  native: {
    description: 'clustersim native CSV: task_id, submit, duration, one column per resource, optional job_id, tenant, priority, kind, constraints',
    needsPath: true,
    options: COMMON_OPTIONS,
    open: (path, cluster, options) => nativeTrace(path as string, cluster.resources, options['lenient'] as boolean),
  },
  swf: {
    description: 'Standard Workload Format (Parallel Workloads Archive): one task per job; default cluster from the MaxProcs header',
    needsPath: true,
    quantities: SWF_QUANTITIES,
    options: withCommon(SWF_QUANTITIES, {
      duration: { type: 'string', default: 'actual', values: ['actual', 'requested'], description: 'Run time that drives the simulation: actual (field 4) or requested (field 9, the user estimate; actual where it is -1)' },
      tenant_by: TENANT_BY(['user', 'group/user'], 'Tenant of a job: u<user>, or g<group>/u<user>'),
    }),
    defaultCluster: (path) => swfDefaultCluster(path),
    open: (path, cluster, options) => swfTrace(path as string, cluster.resources, options),
  },
  'google-2011': {
    description: 'Google cluster-usage trace 2011 (clusterdata-2011-2): task_events attempts, task_constraints, machine_events, machine_attributes',
    needsPath: true,
    quantities: GOOGLE_QUANTITIES,
    options: withCommon(GOOGLE_QUANTITIES, {
      attempts: { type: 'string', default: 'all', values: ['all', 'finished'], description: 'all: every scheduled attempt is a task lasting its SCHEDULE→end span; finished: only attempts that ended in FINISH' },
      missing_requests: { type: 'string', default: 'drop', values: ['drop', 'zero'], description: 'Attempts whose CPU or memory request is empty (missing-info rows): left out, or given 0' },
      tenant_by: TENANT_BY(['user', 'class', 'class/user'], 'Tenant of a task: its user hash ("/" → "_"), class<scheduling class>, or both as a path'),
      unscheduled: { type: 'string', default: 'drop', values: ['drop', 'service'], description: 'Attempts the trace never scheduled (pending at its end or after the lookahead): left out, or services that run to the end (their run time is unknown)' },
      lookahead_s: { type: 'number', default: 21600, min: 0, description: 'Trace seconds an attempt may stay open (its end unknown) before it is emitted anyway: running ones run to the end, pending ones are left out; bounds memory' },
    }),
    defaultCluster: (path) => machinesFromTable(path, 'machine_events', GOOGLE_QUANTITIES),
    open: (path, cluster, options) => googleTrace(path as string, cluster.resources, options),
  },
  'alibaba-2017': {
    description: 'Alibaba cluster-trace-v2017: batch_task (a task per instance), server_event machine events',
    needsPath: true,
    quantities: ALIBABA_2017_QUANTITIES,
    options: withCommon(ALIBABA_2017_QUANTITIES, {
      instances: INSTANCES,
      reorder_window_s: WINDOW(86400),
      machine_errors: { type: 'string', default: 'ignore', values: ['ignore', 'remove'], description: 'softerror/harderror server events: ignored (the trace says running work continues), or the machine is removed' },
    }),
    defaultCluster: (path) => machinesFromTable(path, 'server_event', ALIBABA_2017_QUANTITIES),
    open: (path, cluster, options) => alibaba2017Trace(path as string, cluster.resources, options),
  },
  'alibaba-2018': {
    description: 'Alibaba cluster-trace-v2018: batch_task (a task per instance, DAG names parsed), machine_meta machine events',
    needsPath: true,
    quantities: ALIBABA_2018_QUANTITIES,
    options: withCommon(ALIBABA_2018_QUANTITIES, { instances: INSTANCES, reorder_window_s: WINDOW(86400) }),
    defaultCluster: (path) => machinesFromTable(path, 'machine_meta', ALIBABA_2018_QUANTITIES),
    open: (path, cluster, options) => alibaba2018Trace(path as string, cluster.resources, options),
  },
  'alibaba-gpu-2023': {
    description: 'Alibaba cluster-trace-gpu-v2023 (openb): pod list as tasks; default cluster from the node list beside it',
    needsPath: true,
    quantities: GPU_QUANTITIES,
    options: withCommon(GPU_QUANTITIES, {}),
    defaultCluster: (path, options) => gpuDefaultCluster(path, options),
    open: (path, cluster, options) => gpuTrace(path as string, cluster.resources, options),
  },
  synthetic: syntheticFormat,
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
    throw inputError(RangeError, `Unknown trace format ${show(ref.format)}; expected one of ${Object.keys(traceFormats).join(', ')}`, ref.where);
  }
  if (format.needsPath && ref.path === null) throw inputError(RangeError, `Trace format ${show(ref.format)} needs a "path"`, ref.where);
  return resolveOptions(`trace format ${show(ref.format)}`, ref.options, [format.options], ref.optionsWhere);
}

/** Opens the trace `ref` names for a run on `cluster` with `seed` (generated workloads draw from it). */
export function openTrace(ref: TraceRef, cluster: ClusterSpec, seed: number): TraceSource {
  const options = checkTraceRef(ref);
  return limitSource((traceFormats[ref.format] as TraceFormat).open(ref.path, cluster, options, seed), options);
}

/** The cluster a run of `ref` uses when none is named: the format's default; an input error if it has none. */
export function defaultClusterOf(ref: TraceRef): ClusterSpec {
  const options = checkTraceRef(ref);
  const format = traceFormats[ref.format] as TraceFormat;
  if (format.defaultCluster === undefined || ref.path === null) {
    throw inputError(RangeError, `Trace format ${show(ref.format)} has no default cluster; name a cluster spec`, ref.where);
  }
  return format.defaultCluster(ref.path, options);
}

/** A reference to a trace file given directly (the CLI's --trace, tests): no options. */
export function traceFile(path: string, format = 'native', options: Readonly<Record<string, unknown>> = {}): TraceRef {
  return { format, path, options, where: { file: path }, optionsWhere: { file: path } };
}
