// The native trace format: CSV with a header, one row per task, resources in the cluster's base units.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NO_TASK_CONSTRAINTS, parseTaskConstraints, type TaskConstraints } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { MAX_QUANTITY } from '../model/resources.js';
import { newTaskSpec, type TaskKind, type TaskSpec } from '../model/task.js';
import { DemandPool } from './demand-pool.js';
import { ByteCounter, fileSize, readLines } from './lines.js';
import { Problems } from './problems.js';
import { CHUNK_SIZE, type TraceSource } from './source.js';

const REQUIRED = ['task_id', 'submit', 'duration'] as const;
const OPTIONAL = ['job_id', 'tenant', 'priority', 'kind', 'constraints'] as const;

/** The tenant of rows that name none. */
export const DEFAULT_TENANT = 'default';

/**
 * Reads a native CSV trace. Columns: `task_id`, `submit` and `duration` (seconds; empty duration
 * = runs until the end), one column per resource dimension of the cluster (non-negative integers
 * in its base unit), and optionally `job_id`, `tenant`, `priority` (integer, higher first),
 * `kind` (`batch` or `service`) and `constraints` (`attr=v1|v2;attr!=v`, plus the placement rules of docs/fenzo.md).
 */
export function nativeTrace(file: string, resources: ResourceSpace, lenient = false): TraceSource {
  const problems = new Problems(lenient);
  const bytes = new ByteCounter();
  return {
    name: file,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      bytes.size = fileSize(file);
      let reader: RowReader | undefined;
      let chunk: TaskSpec[] = [];
      for await (const { lines, first } of readLines(file, bytes)) {
        for (let i = 0; i < lines.length; i++) {
          let line = lines[i] as string;
          if (line === '') continue;
          const lineNo = first + i;
          if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
          try {
            const record = splitCsvLine(line, file, lineNo);
            if (reader === undefined) reader = new RowReader(file, record, resources);
            else chunk.push(reader.read(record, lineNo));
          } catch (error) {
            if (reader === undefined) throw error;
            problems.skip(error);
          }
          if (chunk.length === CHUNK_SIZE) {
            yield chunk;
            chunk = [];
          }
        }
      }
      if (reader === undefined) throw inputError(SyntaxError, 'The trace is empty: expected a header line', { file, line: 1 });
      if (chunk.length > 0) yield chunk;
    },
  };
}

/**
 * Splits one CSV line into fields, trimming the space around them. Quoted fields (`"a,b"`, with
 * `""` for a quote) are supported within a line; a quote left open at the end of the line is an
 * input error, since rows never span lines in this format.
 */
export function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  if (!line.includes('"')) {
    const fields = line.split(',');
    if (line.includes(' ') || line.includes('\t')) for (let i = 0; i < fields.length; i++) fields[i] = (fields[i] as string).trim();
    return fields;
  }
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw inputError(SyntaxError, `Malformed CSV: a quoted field is not closed before the end of the line; the row reads ${show(line)}`, { file, line: lineNo });
        value += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') throw inputError(SyntaxError, `Malformed CSV: text after a closing quote at column ${i + 1}; the row reads ${show(line)}`, { file, line: lineNo });
    } else {
      const comma = line.indexOf(',', i);
      const stop = comma < 0 ? line.length : comma;
      value = line.slice(i, stop).trim();
      if (value.includes('"')) throw inputError(SyntaxError, `Malformed CSV: a quote inside an unquoted field; the row reads ${show(line)}`, { file, line: lineNo });
      i = stop;
    }
    fields.push(value);
    if (i >= line.length) return fields;
    i++;
  }
}

/** Column `i` of `record`, or '' for an optional column the header lacks (i = -1). */
function optional(record: string[], i: number): string {
  return i < 0 ? '' : (record[i] as string);
}

/** `text`, or `before` when they are equal: rows that repeat the row before share its string. */
function shared(text: string, before: string): string {
  return text === before ? before : text;
}

/** Turns CSV records into tasks, checking every field and the submit order. */
class RowReader {
  private readonly col: Record<string, number> = {};
  private readonly resourceCols: number[];
  private readonly width: number;
  private lastSubmit = -Infinity;
  private lastSubmitLine = 0;
  private readonly constraintCache = new Map<string, TaskConstraints>();
  /** The job and tenant of the row before: rows of one job or tenant share one string, not one each. */
  private lastJob = '';
  private lastTenant = DEFAULT_TENANT;
  private readonly pool: DemandPool;
  /** Column indices of the named fields, -1 when absent, looked up once rather than per row. */
  private readonly idCol: number;
  private readonly submitCol: number;
  private readonly durationCol: number;
  private readonly jobCol: number;
  private readonly tenantCol: number;
  private readonly priorityCol: number;
  private readonly kindCol: number;
  private readonly constraintsCol: number;

  constructor(private readonly file: string, header: string[], private readonly resources: ResourceSpace) {
    header.forEach((name, i) => {
      if (name in this.col) throw inputError(RangeError, `Duplicate column ${show(name)} in the header`, { file, line: 1 });
      const known = (REQUIRED as readonly string[]).includes(name) || (OPTIONAL as readonly string[]).includes(name) || resources.names.includes(name);
      if (!known) {
        throw inputError(RangeError, `Unknown column ${show(name)}; expected ${REQUIRED.join(', ')}, the cluster's resources (${resources.names.join(', ')}) and optionally ${OPTIONAL.join(', ')}`, { file, line: 1 });
      }
      this.col[name] = i;
    });
    for (const name of [...REQUIRED, ...resources.names]) {
      if (!(name in this.col)) {
        throw inputError(RangeError, `Missing column ${show(name)}; the header needs ${REQUIRED.join(', ')} and one column per resource of the cluster (${resources.names.join(', ')})`, { file, line: 1 });
      }
    }
    this.resourceCols = resources.names.map((name) => this.col[name] as number);
    this.width = header.length;
    this.pool = new DemandPool(resources.names.length);
    const at = (name: string): number => this.col[name] ?? -1;
    this.idCol = at('task_id');
    this.submitCol = at('submit');
    this.durationCol = at('duration');
    this.jobCol = at('job_id');
    this.tenantCol = at('tenant');
    this.priorityCol = at('priority');
    this.kindCol = at('kind');
    this.constraintsCol = at('constraints');
  }

  /** The error for column `name` of `record`: names file, line, column and its value. */
  private fail(record: string[], line: number, name: string, message: string): never {
    const i = this.col[name];
    throw inputError(RangeError, `column "${name}": ${message}, got ${show(i === undefined ? undefined : record[i])}`, { file: this.file, line });
  }

  read(record: string[], line: number): TaskSpec {
    if (record.length !== this.width) {
      throw inputError(SyntaxError, `Malformed CSV: wrong number of columns (expect ${this.width}, got ${record.length}, as in the header); the row reads ${show(record.join(','))}`, { file: this.file, line });
    }
    const id = record[this.idCol] as string;
    if (id === '') this.fail(record, line, 'task_id', 'expected a task id');

    const submitText = record[this.submitCol] as string;
    const submitSeconds = submitText === '' ? NaN : Number(submitText);
    if (!Number.isFinite(submitSeconds) || submitSeconds < 0) this.fail(record, line, 'submit', 'expected a non-negative number of seconds');
    const submit = secondsToMicros(submitSeconds);
    if (!Number.isSafeInteger(submit)) this.fail(record, line, 'submit', 'is too large');
    if (submit < this.lastSubmit) {
      this.fail(record, line, 'submit', `rows must be in non-decreasing submit order, but line ${this.lastSubmitLine} was submitted at ${this.lastSubmit / 1e6} s`);
    }
    this.lastSubmit = submit;
    this.lastSubmitLine = line;

    const durationText = record[this.durationCol] as string;
    let duration: number | null = null;
    if (durationText !== '') {
      const seconds = Number(durationText);
      if (!Number.isFinite(seconds) || seconds < 0) this.fail(record, line, 'duration', 'expected a non-negative number of seconds, or empty for a task that runs until the end');
      duration = secondsToMicros(seconds);
    }

    const demand = this.pool.scratch;
    for (let d = 0; d < this.resourceCols.length; d++) {
      const text = record[this.resourceCols[d] as number] as string;
      const q = text === '' ? NaN : Number(text);
      if (!Number.isInteger(q) || q < 0 || q > MAX_QUANTITY) {
        this.fail(record, line, this.resources.names[d] as string, `expected a non-negative integer in ${this.resources.units[d]} (at most ${MAX_QUANTITY})`);
      }
      demand[d] = q;
    }

    const priorityText = optional(record, this.priorityCol);
    const priority = priorityText === '' ? 0 : Number(priorityText);
    if (!Number.isSafeInteger(priority)) this.fail(record, line, 'priority', 'expected an integer (higher is more important)');

    const kindText = optional(record, this.kindCol);
    let kind: TaskKind = duration === null ? 'service' : 'batch';
    if (kindText !== '') {
      if (kindText !== 'batch' && kindText !== 'service') this.fail(record, line, 'kind', 'expected "batch" or "service"');
      kind = kindText as TaskKind;
      if (kind === 'batch' && duration === null) this.fail(record, line, 'duration', 'a batch task needs a duration');
    }

    const constraintText = optional(record, this.constraintsCol);
    let parsed: TaskConstraints = NO_TASK_CONSTRAINTS;
    if (constraintText !== '') {
      const cached = this.constraintCache.get(constraintText);
      parsed = cached ?? parseTaskConstraints(constraintText, { file: this.file, line, field: 'constraints' });
      if (cached === undefined && this.constraintCache.size < 10_000) this.constraintCache.set(constraintText, parsed);
    }
    const { constraints, rules } = parsed;

    const job = (this.lastJob = shared(optional(record, this.jobCol) || id, this.lastJob));
    const tenant = (this.lastTenant = shared(optional(record, this.tenantCol) || DEFAULT_TENANT, this.lastTenant));
    return newTaskSpec({ id, job, tenant, priority, kind, submit, duration, demand: this.pool.intern(demand), constraints, rules: rules.length > 0 ? rules : undefined });
  }
}
