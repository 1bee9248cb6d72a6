// Alibaba cluster-trace-gpu-v2023 (openb): the pod list as tasks, the node list as the default cluster.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import type { ClusterSpec, MachineGroup } from '../model/cluster-spec.js';
import { NONE, type Constraint } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import type { Options } from '../policy.js';
import { COUNT, expectColumns, NON_NEGATIVE, numberAt, optionalNumberAt, TimeOrder } from './fields.js';
import { ByteCounter, fileSize, headLines } from './lines.js';
import { Problems } from './problems.js';
import type { TraceSource } from './source.js';
import { requireTable, RowCursor, tableFiles, totalSize, type Row } from './tables.js';
import { DemandMaker, naturalResources, type Quantity } from './units.js';

export const POD_COLUMNS = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli', 'gpu_spec', 'qos', 'pod_phase', 'creation_time', 'deletion_time', 'scheduled_time'] as const;
export const NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model'] as const;

export const GPU_QUANTITIES: readonly Quantity[] = [
  { name: 'cpu', traceUnit: 'cores (cpu_milli / 1000)', scale: 1000, baseUnit: 'millicore' },
  { name: 'mem', traceUnit: 'MiB', scale: 1, baseUnit: 'MiB' },
  { name: 'gpu', traceUnit: 'GPUs (num_gpu × gpu_milli / 1000)', scale: 1000, baseUnit: 'milliGPU' },
];

/** qos class → priority (higher first); the tenant is the class in lower case. */
const QOS_PRIORITY: Readonly<Record<string, number>> = { LS: 3, Guaranteed: 2, Burstable: 1, BE: 0 };

function checkHeader(row: Row, names: readonly string[]): void {
  if (row.fields.join(',') !== names.join(',')) {
    throw inputError(SyntaxError, `expected the header ${names.join(',')}, got ${show(row.fields.join(','))}`, { file: row.file, line: row.line });
  }
}

/** The node list of `path` (a folder, or the pod list beside it), or null if there is none. */
function nodeFile(path: string): string | null {
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  return tableFiles(dir, 'openb_node_list', false)[0] ?? null;
}

/**
 * One group per distinct node shape (model, GPUs, cpu, memory) in first-seen order, machines named by
 * their `sn`, attribute `gpu_model` (`none` without GPUs).
 */
export function gpuDefaultCluster(path: string, options: Options): ClusterSpec {
  const file = nodeFile(path);
  if (file === null) throw inputError(Error, 'No openb_node_list*.csv beside the pod list, so there is no default cluster; name a "cluster" in the experiment', { file: path });
  fileSize(path);
  const resources = naturalResources(GPU_QUANTITIES);
  const demand = new DemandMaker(resources, GPU_QUANTITIES, options);
  const shapes = new Map<string, { ids: string[]; capacity: Float64Array; model: string }>();
  const lines = headLines(file, 1 << 26);
  lines.forEach((line, i) => {
    if (line === '') return;
    const row: Row = { fields: line.split(','), file, line: i + 1 };
    if (i === 0) return checkHeader(row, NODE_COLUMNS);
    expectColumns(row, NODE_COLUMNS, 'the node list');
    const cpu = numberAt(row, 1, NODE_COLUMNS, COUNT);
    const mem = numberAt(row, 2, NODE_COLUMNS, COUNT);
    const gpus = numberAt(row, 3, NODE_COLUMNS, COUNT);
    const model = (row.fields[4] as string) || 'none';
    const key = `${model}-${gpus}gpu-${cpu}m-${mem}Mi`;
    const shape = shapes.get(key) ?? { ids: [], capacity: demand.make([cpu / 1000, mem, gpus]), model };
    shape.ids.push(row.fields[0] as string);
    shapes.set(key, shape);
  });
  const groups: MachineGroup[] = [...shapes].map(([name, s]) => ({ name, ids: s.ids, capacity: s.capacity, speed: 1, attributes: Object.freeze({ gpu_model: s.model }) }));
  return { file, resources, groups };
}

/**
 * Reads the pod list: a pod is a task submitted at creation_time, running deletion − scheduled
 * seconds (a service when never deleted); never-scheduled pods are left out. `gpu_spec` becomes a
 * `gpu_model` constraint; qos the tenant and priority.
 */
export function gpuTrace(path: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const demand = new DemandMaker(resources, GPU_QUANTITIES, options);
  const values = [0, 0, 0];
  const constraintCache = new Map<string, readonly Constraint[]>();
  return {
    name: path,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      const files = requireTable(path, 'openb_pod_list');
      bytes.size = totalSize(files);
      const pods = new RowCursor(files, bytes);
      const order = new TimeOrder();
      let out: TaskSpec[] = [];
      try {
        for (let row = await pods.advance(); row !== undefined; row = pods.next() ?? (await pods.advance())) {
          try {
            if (row.line === 1) {
              checkHeader(row, POD_COLUMNS);
              continue;
            }
            expectColumns(row, POD_COLUMNS, 'the pod list');
            const f = row.fields;
            const cpu = numberAt(row, 1, POD_COLUMNS, NON_NEGATIVE);
            const mem = numberAt(row, 2, POD_COLUMNS, NON_NEGATIVE);
            const numGpu = numberAt(row, 3, POD_COLUMNS, NON_NEGATIVE);
            const gpuMilli = numberAt(row, 4, POD_COLUMNS, NON_NEGATIVE);
            const created = numberAt(row, 8, POD_COLUMNS, NON_NEGATIVE);
            order.check(created, row, 'creation_time', 's');
            const deleted = optionalNumberAt(row, 9, POD_COLUMNS);
            const scheduled = optionalNumberAt(row, 10, POD_COLUMNS);
            const qos = f[6] as string;
            if (Number.isNaN(scheduled)) {
              problems.drop('pods never scheduled');
              continue;
            }
            if (deleted < scheduled) {
              problems.drop('pods deleted before being scheduled');
              continue;
            }
            values[0] = cpu / 1000;
            values[1] = mem;
            values[2] = (numGpu * gpuMilli) / 1000;
            const spec = f[5] as string;
            let constraints = constraintCache.get(spec);
            if (constraints === undefined) {
              const models = spec.split('|').map((m) => m.trim()).filter((m) => m !== '' && m.toLowerCase() !== 'nan');
              constraints = models.length === 0 ? NONE : [{ attribute: 'gpu_model', op: 'eq', values: models }];
              constraintCache.set(spec, constraints);
            }
            const duration = Number.isNaN(deleted) ? null : secondsToMicros(deleted - scheduled);
            out.push(newTaskSpec({
              id: f[0] as string,
              job: f[0] as string,
              tenant: qos === '' ? 'unknown' : qos.toLowerCase(),
              priority: QOS_PRIORITY[qos] ?? 0,
              kind: duration === null ? 'service' : 'batch',
              submit: secondsToMicros(created),
              duration,
              demand: demand.make(values),
              constraints,
            }));
          } catch (error) {
            problems.skip(error);
          }
          if (out.length >= 4096) {
            yield out;
            out = [];
          }
        }
        if (out.length > 0) yield out;
      } finally {
        await pods.close();
      }
    },
  };
}
