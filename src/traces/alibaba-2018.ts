// Alibaba cluster-trace-v2018: batch_task rows as tasks (DAG parsed from task names), machine_meta as machine events.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NONE } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import type { Options } from '../policy.js';
import { COUNT, expectColumns, NON_NEGATIVE, numberAt, optionalNumberAt } from './fields.js';
import { ByteCounter } from './lines.js';
import { Problems } from './problems.js';
import { availabilityEvents, readWhole, type AvailabilityRow } from './availability.js';
import { reorderedTasks } from './reorder.js';
import type { MachineEvent, TraceSource } from './source.js';
import { requireTable, RowCursor, tableFiles, totalSize, type Row } from './tables.js';
import { DemandMaker, type Quantity } from './units.js';

export const BATCH_TASK_2018_COLUMNS = ['task_name', 'instance_num', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'plan_cpu', 'plan_mem'] as const;
export const BATCH_INSTANCE_COLUMNS = ['instance_name', 'task_name', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'machine_id', 'seq_no', 'total_seq_no', 'cpu_avg', 'cpu_max', 'mem_avg', 'mem_max'] as const;
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

/** What the tasks of batch_task give their instances in batch_instance. */
interface TaskPlan {
  readonly instances: number;
  readonly demand: Float64Array;
  readonly completes: { readonly key: string; readonly of: number } | undefined;
  readonly after: readonly string[] | undefined;
}

/**
 * Reads batch_task: one task per instance, at the task's recorded start_time (the trace has no
 * submit time), running end_time − start_time. With a batch_instance table beside it (and
 * `instances: expand`), each instance row is a task instead, with its own start and run time and
 * the plan of its task. DAG names become dependency keys: the simulation holds a task until every
 * instance of its parent tasks has ended (see docs/traces.md).
 */
export function alibaba2018Trace(path: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const demand = new DemandMaker(resources, ALIBABA_2018_QUANTITIES, options);
  const expand = options['instances'] !== 'task';
  const metaFiles = tableFiles(path, 'machine_meta', false);
  const instanceFiles = expand ? tableFiles(path, 'batch_instance', false) : [];
  const window = secondsToMicros(options['reorder_window_s'] as number);

  /** The checked fields of a batch_task row. */
  const readTask = (row: Row): { job: string; start: number; end: number; plan: TaskPlan } => {
    expectColumns(row, BATCH_TASK_2018_COLUMNS, 'batch_task');
    const f = row.fields;
    const instances = numberAt(row, 1, BATCH_TASK_2018_COLUMNS, COUNT);
    const start = numberAt(row, 5, BATCH_TASK_2018_COLUMNS);
    const end = numberAt(row, 6, BATCH_TASK_2018_COLUMNS);
    const cpu = numberAt(row, 7, BATCH_TASK_2018_COLUMNS, NON_NEGATIVE);
    const mem = numberAt(row, 8, BATCH_TASK_2018_COLUMNS, NON_NEGATIVE);
    const job = f[2] as string;
    const dag = parseTaskName(f[0] as string);
    const plan: TaskPlan = {
      instances,
      demand: demand.make([cpu / 100, mem]),
      completes: dag === null ? undefined : { key: `${job}/${dag.task}`, of: expand ? instances : 1 },
      after: dag === null || dag.parents.length === 0 ? undefined : dag.parents.map((p) => `${job}/${p}`),
    };
    return { job, start, end, plan };
  };

  const source: TraceSource = {
    name: path,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      const files = requireTable(path, 'batch_task');
      bytes.size = totalSize([...files, ...instanceFiles]);
      if (instanceFiles.length > 0) {
        yield* instanceTasks(files, instanceFiles, bytes, window, problems, readTask);
        return;
      }
      yield* reorderedTasks(files, bytes, window, problems, (row) => {
        const task = readTask(row);
        if (task.start <= 0 || task.end < task.start) {
          problems.drop('tasks without a start and end time');
          return null;
        }
        const { job, plan } = task;
        const spec = newTaskSpec({
          id: `${job}/${row.fields[0]}`,
          job,
          tenant: 'batch',
          priority: 0,
          kind: 'batch' as const,
          submit: secondsToMicros(task.start),
          duration: secondsToMicros(task.end - task.start),
          demand: plan.demand,
          constraints: NONE,
          completes: plan.completes,
          after: plan.after,
        });
        return { spec, instances: expand ? plan.instances : undefined, field: 'start_time' };
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
  const rows = await readWhole(files, problems, (row): AvailabilityRow => {
    expectColumns(row, MACHINE_META_COLUMNS, 'machine_meta');
    const time = numberAt(row, 1, MACHINE_META_COLUMNS, NON_NEGATIVE);
    const cpus = numberAt(row, 4, MACHINE_META_COLUMNS, NON_NEGATIVE);
    const mem = numberAt(row, 5, MACHINE_META_COLUMNS, NON_NEGATIVE);
    const status = row.fields[6] as string;
    if (status === '') throw inputError(SyntaxError, `expected a status, got ${show(status)}`, { file: row.file, line: row.line, field: 'status' });
    const attributes = { failure_domain_1: row.fields[2] as string, failure_domain_2: row.fields[3] as string };
    const capacity = status === 'USING' ? demand.make([cpus, mem]) : undefined;
    return { time: secondsToMicros(time), id: row.fields[0] as string, capacity, attributes, unusedReason: 'machine_meta rows of machines not in use yet' };
  });
  yield* availabilityEvents(rows, problems);
}

/**
 * batch_instance rows as tasks: the plans of batch_task are read whole first (one entry per task,
 * not per instance), then the instances stream through the reorder buffer. An instance's final
 * attempt (seq_no = total_seq_no) counts toward its task's completion.
 */
async function* instanceTasks(
  taskFiles: readonly string[],
  instanceFiles: readonly string[],
  bytes: ByteCounter,
  window: number,
  problems: Problems,
  readTask: (row: Row) => { job: string; plan: TaskPlan },
): AsyncGenerator<TaskSpec[]> {
  const plans = new Map<string, TaskPlan>();
  const tasks = new RowCursor(taskFiles, bytes);
  try {
    for (let row = await tasks.advance(); row !== undefined; row = tasks.next() ?? (await tasks.advance())) {
      try {
        const task = readTask(row);
        plans.set(`${task.job}/${row.fields[0]}`, task.plan);
      } catch (error) {
        problems.skip(error);
      }
    }
  } finally {
    await tasks.close();
  }
  yield* reorderedTasks(instanceFiles, bytes, window, problems, (row) => {
    expectColumns(row, BATCH_INSTANCE_COLUMNS, 'batch_instance');
    const f = row.fields;
    const start = numberAt(row, 5, BATCH_INSTANCE_COLUMNS);
    const end = numberAt(row, 6, BATCH_INSTANCE_COLUMNS);
    const seq = optionalNumberAt(row, 8, BATCH_INSTANCE_COLUMNS);
    const total = optionalNumberAt(row, 9, BATCH_INSTANCE_COLUMNS);
    const job = f[2] as string;
    const plan = plans.get(`${job}/${f[1]}`);
    if (plan === undefined) {
      problems.drop('instances of tasks not in batch_task');
      return null;
    }
    if (start <= 0 || end < start) {
      problems.drop('instances without a start and end time');
      return null;
    }
    const last = Number.isNaN(seq) || Number.isNaN(total) || seq >= total;
    const spec = newTaskSpec({
      id: `${job}/${f[1]}/${f[0]}`,
      job,
      tenant: 'batch',
      priority: 0,
      kind: 'batch',
      submit: secondsToMicros(start),
      duration: secondsToMicros(end - start),
      demand: plan.demand,
      constraints: NONE,
      completes: last ? plan.completes : undefined,
      after: plan.after,
    });
    return { spec, instances: undefined, field: 'start_time' };
  });
}
