// Alibaba cluster-trace-v2017: batch_task rows as tasks (one per instance), server_event as machine events.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NONE } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { newTaskSpec } from '../model/task.js';
import type { Options } from '../policy.js';
import { COUNT, expectColumns, NON_NEGATIVE, numberAt, optionalNumberAt } from './fields.js';
import { ByteCounter } from './lines.js';
import { Problems } from './problems.js';
import { availabilityEvents, readWhole, type AvailabilityRow } from './availability.js';
import { reorderedTasks } from './reorder.js';
import type { MachineEvent, TraceSource } from './source.js';
import { requireTable, tableFiles, totalSize, type Row } from './tables.js';
import { DemandMaker, type Quantity } from './units.js';

export const BATCH_TASK_2017_COLUMNS = ['create_time', 'end_time', 'job_id', 'task_id', 'instances', 'status', 'plan_cpu', 'plan_mem'] as const;
export const SERVER_EVENT_COLUMNS = ['time', 'machine_id', 'event_type', 'event_detail', 'cpus', 'memory', 'disk'] as const;

export const ALIBABA_2017_QUANTITIES: readonly Quantity[] = [
  { name: 'cpu', traceUnit: 'cores (plan_cpu / 100; server cpus)', scale: 1000, baseUnit: 'millicore' },
  { name: 'mem', traceUnit: 'normalised (1 = largest machine)', scale: 1e6, baseUnit: 'millionth of the largest machine' },
  { name: 'disk', traceUnit: 'normalised (1 = largest machine)', scale: 1e6, baseUnit: 'millionth of the largest machine' },
];

/** A first line whose first field is not a number is a header (some copies add one). */
export function isHeaderRow(row: Row): boolean {
  return row.line === 1 && Number.isNaN(Number(row.fields[0]));
}

/** Expands a task row into `instances` tasks (or one with `instances: task`); times ≤ 0 mean "before the trace" and become 0. */
export function alibaba2017Trace(path: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const demand = new DemandMaker(resources, ALIBABA_2017_QUANTITIES, options);
  const expand = options['instances'] !== 'task';
  const serverFiles = tableFiles(path, 'server_event', false);
  const source: TraceSource = {
    name: path,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      const files = requireTable(path, 'batch_task');
      bytes.size = totalSize(files);
      const window = secondsToMicros(options['reorder_window_s'] as number);
      yield* reorderedTasks(files, bytes, window, problems, (row) => {
        if (isHeaderRow(row)) return null;
        expectColumns(row, BATCH_TASK_2017_COLUMNS, 'batch_task');
        const f = row.fields;
        const created = numberAt(row, 0, BATCH_TASK_2017_COLUMNS);
        const ended = numberAt(row, 1, BATCH_TASK_2017_COLUMNS);
        const instances = numberAt(row, 4, BATCH_TASK_2017_COLUMNS, COUNT);
        const cpu = optionalNumberAt(row, 6, BATCH_TASK_2017_COLUMNS);
        const mem = optionalNumberAt(row, 7, BATCH_TASK_2017_COLUMNS);
        if (Number.isNaN(cpu) || Number.isNaN(mem)) {
          problems.drop('tasks without requests (Waiting/Ready)');
          return null;
        }
        const submit = secondsToMicros(Math.max(0, created));
        let duration: number | null = secondsToMicros(ended - Math.max(0, created));
        if (ended <= 0 || duration < 0) {
          if (f[5] !== 'Running') {
            problems.drop('tasks without an end time');
            return null;
          }
          duration = null;
        }
        const kind = duration === null ? ('service' as const) : ('batch' as const);
        const spec = newTaskSpec({ id: `${f[2]}/${f[3]}`, job: f[2] as string, tenant: 'batch', priority: 0, kind, submit, duration, demand: demand.make([cpu / 100, mem, 0]), constraints: NONE });
        return { spec, instances: expand ? instances : undefined, field: 'create_time' };
      });
    },
  };
  if (serverFiles.length === 0) return source;
  return { ...source, machineEvents: () => serverEvents(serverFiles, demand, options['machine_errors'] === 'remove', problems) };
}

/**
 * server_event is not in time order in the published file, so the (small) table is read whole and
 * ordered by (time, file order). `add` adds a machine (an update when it is known); soft and hard
 * errors remove it only with `machine_errors: remove`.
 */
async function* serverEvents(files: readonly string[], demand: DemandMaker, removeOnError: boolean, problems: Problems): AsyncGenerator<readonly MachineEvent[]> {
  const rows = await readWhole(files, problems, (row): AvailabilityRow | undefined => {
    expectColumns(row, SERVER_EVENT_COLUMNS, 'server_event');
    const time = secondsToMicros(Math.max(0, numberAt(row, 0, SERVER_EVENT_COLUMNS)));
    const id = row.fields[1] as string;
    const type = row.fields[2] as string;
    if (type === 'add') {
      const cpus = numberAt(row, 4, SERVER_EVENT_COLUMNS, NON_NEGATIVE);
      const mem = numberAt(row, 5, SERVER_EVENT_COLUMNS, NON_NEGATIVE);
      const disk = numberAt(row, 6, SERVER_EVENT_COLUMNS, NON_NEGATIVE);
      return { time, id, capacity: demand.make([cpus, mem, disk]), unusedReason: '' };
    }
    if (type !== 'softerror' && type !== 'harderror') {
      throw inputError(RangeError, `expected an event type add, softerror or harderror, got ${show(type)}`, { file: row.file, line: row.line, field: 'event_type' });
    }
    if (removeOnError) return { time, id, capacity: undefined, unusedReason: `${type} events of machines not in use` };
    problems.drop(`${type} events (machine_errors: ignore)`);
    return undefined;
  });
  yield* availabilityEvents(rows, problems);
}
