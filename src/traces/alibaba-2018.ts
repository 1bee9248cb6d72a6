// Alibaba cluster-trace-v2018: batch_task rows as tasks (DAG parsed from task names), machine_meta as machine events.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NONE } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import type { Options } from '../policy.js';
import { COUNT, expectColumns, NON_NEGATIVE, numberAt } from './fields.js';
import { ByteCounter } from './lines.js';
import { Problems } from './problems.js';
import { inTimeOrder, reorderedTasks } from './reorder.js';
import type { MachineEvent, TraceSource } from './source.js';
import { requireTable, RowCursor, tableFiles, totalSize } from './tables.js';
import { DemandMaker, type Quantity } from './units.js';

export const BATCH_TASK_2018_COLUMNS = ['task_name', 'instance_num', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'plan_cpu', 'plan_mem'] as const;
export const MACHINE_META_COLUMNS = ['machine_id', 'time_stamp', 'failure_domain_1', 'failure_domain_2', 'cpu_num', 'mem_size', 'status'] as const;

export const ALIBABA_2018_QUANTITIES: readonly Quantity[] = [
  { name: 'cpu', traceUnit: 'cores (plan_cpu / 100; cpu_num)', scale: 1000, baseUnit: 'millicore' },
  { name: 'mem', traceUnit: 'normalised, 0-100 (100 = largest machine)', scale: 1e4, baseUnit: 'millionth of the largest machine' },
];

/**
 * The DAG in a task name: `M5_3_4` is task 5 depending on tasks 3 and 4 of the same job; names
 * without that shape (`task_<base64>`, `MergeTask`) are independent.
 */
export function parseTaskName(name: string): { task: string; parents: readonly string[] } | null {
  const match = /^[A-Za-z]+(\d+(?:_\d+)*)$/.exec(name);
  if (match === null) return null;
  const [task, ...parents] = (match[1] as string).split('_');
  return { task: task as string, parents };
}

/**
 * Reads batch_task: one task per instance, at the task's recorded start_time (the trace has no
 * submit time), running end_time − start_time. DAG names become dependency keys: the simulation
 * holds a task until every instance of its parent tasks has ended (see docs/traces.md).
 */
export function alibaba2018Trace(path: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const demand = new DemandMaker(resources, ALIBABA_2018_QUANTITIES, options);
  const expand = options['instances'] !== 'task';
  const metaFiles = tableFiles(path, 'machine_meta', false);
  const source: TraceSource = {
    name: path,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      const files = requireTable(path, 'batch_task');
      bytes.size = totalSize(files);
      const window = secondsToMicros(options['reorder_window_s'] as number);
      yield* reorderedTasks(files, bytes, window, problems, (row) => {
        expectColumns(row, BATCH_TASK_2018_COLUMNS, 'batch_task');
        const f = row.fields;
        const instances = numberAt(row, 1, BATCH_TASK_2018_COLUMNS, COUNT);
        const start = numberAt(row, 5, BATCH_TASK_2018_COLUMNS);
        const end = numberAt(row, 6, BATCH_TASK_2018_COLUMNS);
        const cpu = numberAt(row, 7, BATCH_TASK_2018_COLUMNS, NON_NEGATIVE);
        const mem = numberAt(row, 8, BATCH_TASK_2018_COLUMNS, NON_NEGATIVE);
        if (start <= 0 || end < start) {
          problems.drop('tasks without a start and end time');
          return null;
        }
        const job = f[2] as string;
        const dag = parseTaskName(f[0] as string);
        const spec = {
          id: `${job}/${f[0]}`,
          job,
          tenant: 'batch',
          priority: 0,
          kind: 'batch' as const,
          submit: secondsToMicros(start),
          duration: secondsToMicros(end - start),
          demand: demand.make([cpu / 100, mem]),
          constraints: NONE,
          ...(dag === null ? {} : { completes: { key: `${job}/${dag.task}`, of: expand ? instances : 1 } }),
          ...(dag === null || dag.parents.length === 0 ? {} : { after: dag.parents.map((p) => `${job}/${p}`) }),
        };
        return { spec, instances: expand ? instances : undefined, field: 'start_time' };
      });
    },
  };
  if (metaFiles.length === 0) return source;
  return { ...source, machineEvents: () => machineMeta(metaFiles, demand, problems) };
}

/**
 * machine_meta is a per-machine history sorted by machine id, so the (small) table is read whole and
 * ordered by (time, file order). USING makes a machine available (add, or update when known); any
 * other status takes a known machine out (remove).
 */
async function* machineMeta(files: readonly string[], demand: DemandMaker, problems: Problems): AsyncGenerator<readonly MachineEvent[]> {
  const rows: { time: number; id: string; using: boolean; capacity: Float64Array; domains: string[] }[] = [];
  const cursor = new RowCursor(files, new ByteCounter());
  try {
    for (let row = await cursor.advance(); row !== undefined; row = cursor.next() ?? (await cursor.advance())) {
      try {
        expectColumns(row, MACHINE_META_COLUMNS, 'machine_meta');
        const time = numberAt(row, 1, MACHINE_META_COLUMNS, NON_NEGATIVE);
        const cpus = numberAt(row, 4, MACHINE_META_COLUMNS, NON_NEGATIVE);
        const mem = numberAt(row, 5, MACHINE_META_COLUMNS, NON_NEGATIVE);
        const status = row.fields[6] as string;
        if (status === '') throw inputError(SyntaxError, `expected a status, got ${show(status)}`, { file: row.file, line: row.line, field: 'status' });
        rows.push({ time: secondsToMicros(time), id: row.fields[0] as string, using: status === 'USING', capacity: demand.make([cpus, mem]), domains: [row.fields[2] as string, row.fields[3] as string] });
      } catch (error) {
        problems.skip(error);
      }
    }
  } finally {
    await cursor.close();
  }
  const up = new Set<string>();
  for (const chunk of inTimeOrder(rows)) {
    const out: MachineEvent[] = [];
    for (const r of chunk) {
    const attributes = { failure_domain_1: r.domains[0] as string, failure_domain_2: r.domains[1] as string };
    if (r.using) {
      out.push({ time: r.time, kind: up.has(r.id) ? 'update' : 'add', id: r.id, capacity: r.capacity, attributes });
      up.add(r.id);
    } else if (up.delete(r.id)) {
      out.push({ time: r.time, kind: 'remove', id: r.id });
    } else {
      problems.drop('machine_meta rows of machines not in use yet');
    }
    }
    if (out.length > 0) yield out;
  }
}
