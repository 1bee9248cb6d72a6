// Reads a whole trace through the format registry, for reader tests: tasks, machine events and the report.
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { isInputError } from '../../src/errors.js';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import type { TaskSpec } from '../../src/model/task.js';
import { defaultClusterOf, openTrace, traceFile, traceFormats } from '../../src/traces/index.js';
import type { TraceReport } from '../../src/traces/problems.js';
import type { MachineEvent } from '../../src/traces/source.js';
import { naturalResources } from '../../src/traces/units.js';

export interface ReadTrace {
  readonly tasks: TaskSpec[];
  readonly machines: MachineEvent[];
  readonly report: TraceReport | undefined;
  readonly cluster: ClusterSpec;
}

/**
 * The cluster a reader test uses: the format's default, else (no default, or a folder without the
 * machine table the default needs) one with the format's own quantities and no machines.
 */
export function clusterFor(format: string, path: string, options: Record<string, unknown> = {}): ClusterSpec {
  const f = traceFormats[format];
  if (f === undefined) throw new Error(`no format ${format}`);
  try {
    if (f.defaultCluster !== undefined) return defaultClusterOf(traceFile(path, format, options));
  } catch (error) {
    if (!isInputError(error)) throw error;
  }
  return { file: path, resources: naturalResources(f.quantities ?? []), groups: [] };
}

export async function readTrace(format: string, path: string, options: Record<string, unknown> = {}, cluster = clusterFor(format, path, options)): Promise<ReadTrace> {
  const source = openTrace(traceFile(path, format, options), cluster, 1);
  const tasks: TaskSpec[] = [];
  for await (const chunk of source.chunks()) tasks.push(...chunk);
  const machines: MachineEvent[] = [];
  if (source.machineEvents !== undefined) for await (const chunk of source.machineEvents()) machines.push(...chunk);
  return { tasks, machines, report: source.report?.(), cluster };
}

/** The first error reading the trace throws, as its message. */
export async function readError(format: string, path: string, options: Record<string, unknown> = {}, cluster?: ClusterSpec): Promise<string> {
  try {
    await readTrace(format, path, options, cluster ?? clusterFor(format, path, options));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the trace to fail');
}

/** Writes `text` gzip-compressed and cut to `keep` of its compressed bytes (a truncated download). */
export function writeTruncatedGzip(file: string, text: string, keep = 0.6): void {
  const gz = gzipSync(Buffer.from(text));
  writeFileSync(file, gz.subarray(0, Math.floor(gz.length * keep)));
}
