// Google cluster-usage trace 2011 (clusterdata-2011-2): task_events attempts, task_constraints, machine_events and machine_attributes.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NONE, type Constraint } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import type { Options } from '../policy.js';
import { columnsError, COUNT, expectColumns, INTEGER, numberAt, optionalNumberAt, TimeOrder } from './fields.js';
import { ByteCounter } from './lines.js';
import { Problems } from './problems.js';
import { CHUNK_SIZE, type MachineEvent, type TraceSource } from './source.js';
import { readTable, requireTable, RowCursor, tableFiles, totalSize, type Row } from './tables.js';
import { DemandPool } from './demand-pool.js';
import { DemandMaker, type Quantity } from './units.js';

export const TASK_EVENT_COLUMNS = ['time', 'missing_info', 'job_id', 'task_index', 'machine_id', 'event_type', 'user', 'scheduling_class', 'priority', 'cpu_request', 'memory_request', 'disk_request', 'different_machines'] as const;
export const MACHINE_EVENT_COLUMNS = ['time', 'machine_id', 'event_type', 'platform_id', 'cpus', 'memory'] as const;
export const MACHINE_ATTRIBUTE_COLUMNS = ['time', 'machine_id', 'attribute_name', 'attribute_value', 'attribute_deleted'] as const;
export const TASK_CONSTRAINT_COLUMNS = ['time', 'job_id', 'task_index', 'comparison_operator', 'attribute_name', 'attribute_value'] as const;

export const GOOGLE_QUANTITIES: readonly Quantity[] = [
  { name: 'cpu', traceUnit: 'normalised cores (1 = largest machine)', scale: 1e6, baseUnit: 'millionth of the largest machine' },
  { name: 'mem', traceUnit: 'normalised bytes (1 = largest machine)', scale: 1e6, baseUnit: 'millionth of the largest machine' },
  { name: 'disk', traceUnit: 'normalised bytes (1 = largest machine)', scale: 1e6, baseUnit: 'millionth of the largest machine' },
];

/** The 2^63−1 timestamp: "after the end of the trace window"; it exceeds 2^53, so it is matched as text. */
const AFTER_END = '9223372036854775807';

const SUBMIT = 0;
const SCHEDULE = 1;
const FINISH = 4;
const KILL = 5;
const UPDATE_PENDING = 7;
const UPDATE_RUNNING = 8;
/** Attempt end types beyond the trace's codes: still open, and cut off by the lookahead. */
const OPEN = -1;
const CUT_OFF = -2;

/** A trace attempt from SUBMIT to its end; emitted in submit order once its end (or fate) is known. */
interface Attempt {
  /** `<job ID>:<task index>`, the task's id. */
  readonly key: string;
  readonly job: string;
  readonly submit: number;
  scheduled: number;
  /** End time, Infinity when censored by the end of the trace or the lookahead, -1 while open. */
  end: number;
  endType: number;
  priority: number;
  schedulingClass: string;
  readonly user: string;
  cpu: number;
  mem: number;
  disk: number;
  readonly constraints: readonly Constraint[];
}

/** Attribute names and values are base64 hashes; `+` and `=` are not allowed in constraint text, so they are mapped. */
export function googleAttribute(text: string): string {
  return text.replaceAll('=', '').replaceAll('+', '-');
}

/** Machine attribute names get a `g.` prefix so they start with a letter, as constraint names must. */
export function googleAttributeName(text: string): string {
  return `g.${googleAttribute(text)}`;
}

/** Parses a trace time: integer µs, 0 = before the window (kept as 0), 2^63−1 = after it (Infinity). */
function traceTime(row: Row, names: readonly string[]): number {
  if (row.fields[0] === AFTER_END) return Infinity;
  return numberAt(row, 0, names, COUNT);
}

/**
 * Reads the Google 2011 trace from a folder (tables as folders of part files, or files named after
 * their tables) or a single task_events file. Each SUBMIT starts a task attempt; its duration is
 * the trace's SCHEDULE → end span. See docs/traces.md for the rules and what is left out.
 */
export function googleTrace(path: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const pool = new DemandPool(resources.names.length);
  const demand = new DemandMaker(resources, GOOGLE_QUANTITIES, options);
  const finishedOnly = options['attempts'] === 'finished';
  const zeroMissing = options['missing_requests'] === 'zero';
  const tenantBy = options['tenant_by'] as string;
  const unscheduledAsServices = options['unscheduled'] === 'service';
  const lookahead = secondsToMicros(options['lookahead_s'] as number);
  const values = [0, 0, 0];
  const tenants = new Map<string, string>();
  /** The tenant of a user and class, cached: users are few, attempts many. */
  const tenantOf = (user: string, schedulingClass: string): string => {
    const key = tenantBy === 'user' ? user : `${schedulingClass}:${user}`;
    let tenant = tenants.get(key);
    if (tenant === undefined) {
      const path = user.replaceAll('/', '_');
      tenant = tenantBy === 'class' ? `class${schedulingClass}` : tenantBy === 'class/user' ? `class${schedulingClass}/${path}` : path;
      if (tenants.size < 100_000) tenants.set(key, tenant);
    }
    return tenant;
  };

  const toSpec = (a: Attempt): TaskSpec | null => {
    if (a.scheduled < 0) {
      if (a.end !== Infinity) {
        problems.drop('attempts ended before being scheduled');
        return null;
      }
      if (!unscheduledAsServices) {
        problems.drop(a.endType === CUT_OFF ? 'attempts never scheduled within the lookahead' : 'attempts never scheduled by the end of the trace');
        return null;
      }
    }
    if (finishedOnly && a.endType !== FINISH) {
      problems.drop('attempts that did not finish (attempts: finished)');
      return null;
    }
    if (Number.isNaN(a.cpu) || Number.isNaN(a.mem)) {
      if (!zeroMissing) {
        problems.drop('attempts with missing requests');
        return null;
      }
    }
    values[0] = a.cpu || 0;
    values[1] = a.mem || 0;
    values[2] = a.disk || 0;
    const duration = a.end === Infinity || a.scheduled < 0 ? null : a.end - a.scheduled;
    return newTaskSpec({
      id: a.key,
      job: a.job,
      tenant: tenantOf(a.user, a.schedulingClass),
      priority: a.priority,
      kind: duration === null ? 'service' : 'batch',
      submit: a.submit,
      duration,
      demand: pool.intern(demand.make(values, pool.scratch)),
      constraints: a.constraints,
    });
  };

  const eventFiles = tableFiles(path, 'machine_events', false);
  const attributeFiles = tableFiles(path, 'machine_attributes', false);
  const source: TraceSource = {
    name: path,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      const taskFiles = requireTable(path, 'task_events');
      const constraintFiles = tableFiles(path, 'task_constraints', false);
      bytes.size = totalSize([...taskFiles, ...constraintFiles]);
      const constraints = new ConstraintTable(constraintFiles, bytes, problems);
      const open = new Map<string, Attempt>();
      const queue: Attempt[] = [];
      let head = 0;
      const order = new TimeOrder();
      try {
        let out: TaskSpec[] = [];
        const flush = (now: number): void => {
          while (head < queue.length) {
            const a = queue[head] as Attempt;
            if (a.end < 0) {
              if (now - a.submit <= lookahead) break;
              // still open a lookahead after its submission: cut off, so memory stays bounded
              a.end = Infinity;
              a.endType = CUT_OFF;
              if (open.get(a.key) === a) open.delete(a.key);
              if (a.scheduled >= 0) problems.drop('attempts still running a lookahead after submission (run to the end)');
            }
            head++;
            const spec = toSpec(a);
            if (spec !== null) out.push(spec);
          }
          if (head > 4096 && head * 2 > queue.length) {
            queue.splice(0, head);
            head = 0;
          }
        };
        const ev = new TaskEventLine();
        for await (const batch of readTable(taskFiles, bytes)) {
          for (let i = 0; i < batch.lines.length; i++) {
            const line = batch.lines[i] as string;
            if (line === '') continue;
            try {
              ev.set(line, batch.file, batch.first + i);
              const time = ev.time();
              order.check(time, ev, 'time');
              if (constraints.pending(time)) await constraints.advanceTo(time);
              const type = ev.count(5);
              if (type > UPDATE_RUNNING) throw inputError(RangeError, `expected an event type 0-8, got ${show(ev.text(5))}`, { file: ev.file, line: ev.line, field: 'event_type' });
              const job = ev.count(2);
              const key = `${job}:${ev.count(3)}`;
              const priority = ev.integer(8);
              const cpu = ev.optional(9);
              const mem = ev.optional(10);
              const disk = ev.optional(11);
              let attempt = open.get(key);
              if (type === SUBMIT) {
                if (time === Infinity) {
                  problems.drop('submissions after the end of the trace');
                  continue;
                }
                if (attempt !== undefined) {
                  // a resubmission without an end event: the earlier attempt ends here
                  attempt.end = time;
                  attempt.endType = KILL;
                  problems.drop('attempts ended by a resubmission without an end event');
                }
                attempt = {
                  key,
                  job: String(job),
                  submit: time,
                  scheduled: -1,
                  end: -1,
                  endType: OPEN,
                  priority,
                  schedulingClass: ev.text(7),
                  user: ev.text(6),
                  cpu,
                  mem,
                  disk,
                  constraints: constraints.of(key),
                };
                open.set(key, attempt);
                queue.push(attempt);
              } else if (attempt === undefined) {
                problems.drop(`${type === SCHEDULE ? 'schedule' : type >= UPDATE_PENDING ? 'update' : 'end'} events of tasks not submitted in the trace`);
              } else if (type === SCHEDULE) {
                if (attempt.scheduled < 0) attempt.scheduled = time;
              } else if (type === UPDATE_PENDING || type === UPDATE_RUNNING) {
                attempt.priority = priority;
                if (!Number.isNaN(cpu)) attempt.cpu = cpu;
                if (!Number.isNaN(mem)) attempt.mem = mem;
                if (!Number.isNaN(disk)) attempt.disk = disk;
              } else {
                attempt.end = time;
                attempt.endType = type;
                open.delete(key);
                if (type === FINISH || type === KILL) constraints.forget(key);
              }
              if (time !== Infinity) flush(time);
            } catch (error) {
              problems.skip(error);
            }
          }
          if (out.length >= CHUNK_SIZE) {
            yield out;
            out = [];
          }
        }
        for (const a of open.values()) a.end = Infinity;
        flush(Infinity);
        if (out.length > 0) yield out;
      } finally {
        await constraints.close();
      }
    },
  };
  if (eventFiles.length === 0) return source;
  return { ...source, machineEvents: () => googleMachineEvents(eventFiles, attributeFiles, resources, options, problems) };
}

/**
 * One task_events line, cut at its commas without splitting: the hot path reads digits in place, and
 * only a field that is not plain digits goes through the checked parsers (which name file, line,
 * field and value when it is bad).
 */
class TaskEventLine {
  private readonly starts = new Int32Array(TASK_EVENT_COLUMNS.length + 1);
  private text_ = '';
  private row: Row | undefined;
  file = '';
  line = 0;

  set(text: string, file: string, line: number): void {
    this.text_ = text;
    this.file = file;
    this.line = line;
    this.row = undefined;
    const starts = this.starts;
    let pos = 0;
    for (let k = 1; k < TASK_EVENT_COLUMNS.length; k++) {
      const comma = text.indexOf(',', pos);
      if (comma < 0) throw columnsError(this.split(), TASK_EVENT_COLUMNS, 'task_events');
      starts[k] = pos = comma + 1;
    }
    if (text.indexOf(',', pos) >= 0) throw columnsError(this.split(), TASK_EVENT_COLUMNS, 'task_events');
    starts[TASK_EVENT_COLUMNS.length] = text.length + 1;
  }

  text(k: number): string {
    return this.text_.slice(this.starts[k], (this.starts[k + 1] as number) - 1);
  }

  /** The time column: 2^63−1 is Infinity, else a non-negative integer. */
  time(): number {
    const from = this.starts[0] as number;
    if ((this.starts[1] as number) - 1 - from === AFTER_END.length && this.text_.startsWith(AFTER_END, from)) return Infinity;
    return this.count(0);
  }

  /** A non-negative integer column. */
  count(k: number): number {
    const text = this.text_;
    const from = this.starts[k] as number;
    const to = (this.starts[k + 1] as number) - 1;
    if (to > from && to - from <= 15) {
      let value = 0;
      let i = from;
      for (; i < to; i++) {
        const digit = text.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === to) return value;
    }
    return numberAt(this.split(), k, TASK_EVENT_COLUMNS, COUNT);
  }

  /** An integer column (negative ones take the checked path). */
  integer(k: number): number {
    const first = this.text_.charCodeAt(this.starts[k] as number);
    return first >= 48 && first <= 57 ? this.count(k) : numberAt(this.split(), k, TASK_EVENT_COLUMNS, INTEGER);
  }

  /** An optional number column: NaN when empty. */
  optional(k: number): number {
    const from = this.starts[k] as number;
    const to = (this.starts[k + 1] as number) - 1;
    if (to === from) return NaN;
    const value = Number(this.text_.slice(from, to));
    return Number.isFinite(value) ? value : optionalNumberAt(this.split(), k, TASK_EVENT_COLUMNS);
  }

  private split(): Row {
    return (this.row ??= { fields: this.text_.split(','), file: this.file, line: this.line });
  }
}

/** task_constraints read alongside task_events: the constraints in force for each task, by time. */
class ConstraintTable {
  private readonly cursor: RowCursor | undefined;
  private readonly byTask = new Map<string, Constraint[]>();
  private nextTime = -Infinity;
  private readonly order = new TimeOrder();

  constructor(files: readonly string[], bytes: ByteCounter, private readonly problems: Problems) {
    this.cursor = files.length === 0 ? undefined : new RowCursor(files, bytes);
  }

  /** True if constraint rows at or before `time` may still be unread. */
  pending(time: number): boolean {
    return this.cursor !== undefined && this.nextTime <= time;
  }

  async advanceTo(time: number): Promise<void> {
    const cursor = this.cursor as RowCursor;
    if (this.nextTime === -Infinity) await cursor.advance();
    for (let row = cursor.row; row !== undefined; row = cursor.next() ?? (await cursor.advance())) {
      try {
        expectColumns(row, TASK_CONSTRAINT_COLUMNS, 'task_constraints');
        const t = traceTime(row, TASK_CONSTRAINT_COLUMNS);
        if (t > time) {
          this.nextTime = t;
          return;
        }
        this.order.check(t, row, 'time');
        this.add(row);
      } catch (error) {
        this.problems.skip(error);
      }
    }
    this.nextTime = Infinity;
  }

  private add(row: Row): void {
    const op = numberAt(row, 3, TASK_CONSTRAINT_COLUMNS, COUNT);
    if (op > 3) throw inputError(RangeError, `expected a comparison operator 0-3, got ${show(row.fields[3])}`, { file: row.file, line: row.line, field: 'comparison_operator' });
    if (op >= 2) {
      this.problems.drop('LESS_THAN/GREATER_THAN constraints (not modelled)');
      return;
    }
    const value = row.fields[5] as string;
    if (value === '') {
      this.problems.drop('constraints with an empty value');
      return;
    }
    const key = `${row.fields[1]}:${row.fields[2]}`;
    const list = this.byTask.get(key) ?? [];
    list.push({ attribute: googleAttributeName(row.fields[4] as string), op: op === 0 ? 'eq' : 'ne', values: [googleAttribute(value)] });
    this.byTask.set(key, list);
  }

  of(key: string): readonly Constraint[] {
    if (this.byTask.size === 0) return NONE;
    const list = this.byTask.get(key);
    return list === undefined ? NONE : [...list];
  }

  forget(key: string): void {
    this.byTask.delete(key);
  }

  async close(): Promise<void> {
    await this.cursor?.close();
  }
}

/**
 * machine_events (0 ADD, 1 REMOVE, 2 UPDATE) merged by time with machine_attributes; attribute rows
 * at or before a machine event's time apply first, so a machine's t=0 attributes arrive with its ADD.
 */
async function* googleMachineEvents(eventFiles: readonly string[], attributeFiles: readonly string[], resources: ResourceSpace, options: Options, problems: Problems): AsyncGenerator<readonly MachineEvent[]> {
  const bytes = new ByteCounter();
  const demand = new DemandMaker(resources, GOOGLE_QUANTITIES, options);
  const events = new RowCursor(eventFiles, bytes);
  const attributes = attributeFiles.length === 0 ? undefined : new RowCursor(attributeFiles, bytes);
  const attrs = new Map<string, Record<string, string>>();
  const added = new Set<string>();
  const eventOrder = new TimeOrder();
  const attributeOrder = new TimeOrder();
  const diskDim = resources.names.indexOf('disk');
  let out: MachineEvent[] = [];
  /** Applies attribute rows up to `time`: stored for machines not yet added, an update for added ones. */
  const applyAttributes = async (time: number): Promise<void> => {
    for (let a = attributes?.row; a !== undefined; a = await (attributes as RowCursor).advance()) {
      try {
        expectColumns(a, MACHINE_ATTRIBUTE_COLUMNS, 'machine_attributes');
        const t = traceTime(a, MACHINE_ATTRIBUTE_COLUMNS);
        if (t > time) break;
        attributeOrder.check(t, a, 'time');
        const deleted = numberAt(a, 4, MACHINE_ATTRIBUTE_COLUMNS, COUNT);
        const id = a.fields[1] as string;
        const map = attrs.get(id) ?? {};
        const name = googleAttributeName(a.fields[2] as string);
        if (deleted === 1) delete map[name];
        else map[name] = googleAttribute(a.fields[3] as string);
        attrs.set(id, map);
        if (added.has(id) && t !== Infinity) out.push({ time: t, kind: 'update', id, attributes: { ...map } });
      } catch (error) {
        problems.skip(error);
      }
    }
  };
  try {
    await attributes?.advance();
    for (let row = await events.advance(); row !== undefined; row = events.next() ?? (await events.advance())) {
      let time: number;
      try {
        expectColumns(row, MACHINE_EVENT_COLUMNS, 'machine_events');
        time = traceTime(row, MACHINE_EVENT_COLUMNS);
        eventOrder.check(time, row, 'time');
      } catch (error) {
        problems.skip(error);
        continue;
      }
      await applyAttributes(time);
      if (time === Infinity) continue;
      try {
        const type = numberAt(row, 2, MACHINE_EVENT_COLUMNS, COUNT);
        numberAt(row, 1, MACHINE_EVENT_COLUMNS, COUNT);
        const id = row.fields[1] as string;
        const cpus = optionalNumberAt(row, 4, MACHINE_EVENT_COLUMNS);
        const memory = optionalNumberAt(row, 5, MACHINE_EVENT_COLUMNS);
        const capacity = Number.isNaN(cpus) || Number.isNaN(memory) ? undefined : demand.make([cpus, memory, 1]);
        // machine_events carry no disk capacity: each machine gets the whole normalised unit
        if (capacity !== undefined && diskDim >= 0) capacity[diskDim] = demand.one(diskDim, 1);
        if (type === 0) {
          if (capacity === undefined) {
            problems.drop('machine adds without a capacity');
            continue;
          }
          added.add(id);
          out.push({ time, kind: 'add', id, capacity, attributes: { ...(attrs.get(id) ?? {}) } });
        } else if (type === 1) {
          if (added.delete(id)) out.push({ time, kind: 'remove', id });
          else problems.drop('removals of machines not added');
        } else if (type === 2) {
          if (!added.has(id)) problems.drop('updates of machines not added');
          else if (capacity !== undefined) out.push({ time, kind: 'update', id, capacity });
        } else {
          throw inputError(RangeError, `expected a machine event type 0 (add), 1 (remove) or 2 (update), got ${show(row.fields[2])}`, { file: row.file, line: row.line, field: 'event_type' });
        }
      } catch (error) {
        problems.skip(error);
      }
      if (out.length >= 4096) {
        yield out;
        out = [];
      }
    }
    await applyAttributes(Infinity);
    if (out.length > 0) yield out;
  } finally {
    await events.close();
    await attributes?.close();
  }
}
