// The native trace format: CSV with a header, one row per task, resources in the cluster's base units.
import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import { NO_TASK_CONSTRAINTS, parseTaskConstraints, type TaskConstraints } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { MAX_QUANTITY } from '../model/resources.js';
import type { TaskKind, TaskSpec } from '../model/task.js';
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
export function nativeTrace(file: string, resources: ResourceSpace): TraceSource {
  let size = 0;
  let consumed = 0;
  return {
    name: file,
    progress: () => (size > 0 ? Math.min(1, consumed / size) : null),
    async *chunks() {
      try {
        size = statSync(file).size;
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
        throw inputError(Error, `Cannot read trace ${file}: ${reason}`);
      }
      const input = createReadStream(file);
      input.on('data', (chunk) => {
        consumed += chunk.length;
      });
      const parser = input.pipe(parse({ info: true, relax_column_count: false, skip_empty_lines: true, trim: true, bom: true }));
      input.on('error', (error) => parser.destroy(error));
      let reader: RowReader | undefined;
      let chunk: TaskSpec[] = [];
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          if (reader === undefined) {
            reader = new RowReader(file, record, resources);
            continue;
          }
          chunk.push(reader.read(record, info.lines));
          if (chunk.length === CHUNK_SIZE) {
            yield chunk;
            chunk = [];
          }
        }
      } catch (error) {
        const e = error as Error & { code?: string; lines?: number; record?: unknown };
        if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
          const what = e.message.replace(/,? *(at|on) line \d+\.?$/, '');
          const row = Array.isArray(e.record) ? `; the row reads ${show(e.record.join(','))}` : '';
          throw inputError(SyntaxError, `Malformed CSV: ${what}${row}`, { file, line: e.lines });
        }
        throw error;
      } finally {
        input.destroy();
      }
      if (reader === undefined) throw inputError(SyntaxError, 'The trace is empty: expected a header line', { file, line: 1 });
      if (chunk.length > 0) yield chunk;
    },
  };
}

/** Turns CSV records into tasks, checking every field and the submit order. */
class RowReader {
  private readonly col: Record<string, number> = {};
  private readonly resourceCols: number[];
  private lastSubmit = -Infinity;
  private lastSubmitLine = 0;
  private readonly constraintCache = new Map<string, TaskConstraints>();

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
  }

  read(record: string[], line: number): TaskSpec {
    const field = (name: string): string | undefined => {
      const i = this.col[name];
      return i === undefined ? undefined : record[i];
    };
    const fail = (name: string, message: string): never => {
      throw inputError(RangeError, `column "${name}": ${message}, got ${show(field(name))}`, { file: this.file, line });
    };
    const id = field('task_id') as string;
    if (id === '') fail('task_id', 'expected a task id');

    const submitText = field('submit') as string;
    const submitSeconds = submitText === '' ? NaN : Number(submitText);
    if (!Number.isFinite(submitSeconds) || submitSeconds < 0) fail('submit', 'expected a non-negative number of seconds');
    const submit = secondsToMicros(submitSeconds);
    if (!Number.isSafeInteger(submit)) fail('submit', 'is too large');
    if (submit < this.lastSubmit) {
      fail('submit', `rows must be in non-decreasing submit order, but line ${this.lastSubmitLine} was submitted at ${this.lastSubmit / 1e6} s`);
    }
    this.lastSubmit = submit;
    this.lastSubmitLine = line;

    const durationText = field('duration') as string;
    let duration: number | null = null;
    if (durationText !== '') {
      const seconds = Number(durationText);
      if (!Number.isFinite(seconds) || seconds < 0) fail('duration', 'expected a non-negative number of seconds, or empty for a task that runs until the end');
      duration = secondsToMicros(seconds);
    }

    const demand = new Float64Array(this.resourceCols.length);
    for (let d = 0; d < this.resourceCols.length; d++) {
      const text = record[this.resourceCols[d] as number] as string;
      const q = text === '' ? NaN : Number(text);
      if (!Number.isInteger(q) || q < 0 || q > MAX_QUANTITY) {
        fail(this.resources.names[d] as string, `expected a non-negative integer in ${this.resources.units[d]} (at most ${MAX_QUANTITY})`);
      }
      demand[d] = q;
    }

    const priorityText = field('priority') ?? '';
    const priority = priorityText === '' ? 0 : Number(priorityText);
    if (!Number.isSafeInteger(priority)) fail('priority', 'expected an integer (higher is more important)');

    const kindText = field('kind') ?? '';
    let kind: TaskKind = duration === null ? 'service' : 'batch';
    if (kindText !== '') {
      if (kindText !== 'batch' && kindText !== 'service') fail('kind', 'expected "batch" or "service"');
      kind = kindText as TaskKind;
      if (kind === 'batch' && duration === null) fail('duration', 'a batch task needs a duration');
    }

    const constraintText = field('constraints') ?? '';
    let parsed: TaskConstraints = NO_TASK_CONSTRAINTS;
    if (constraintText !== '') {
      const cached = this.constraintCache.get(constraintText);
      parsed = cached ?? parseTaskConstraints(constraintText, { file: this.file, line, field: 'constraints' });
      if (cached === undefined && this.constraintCache.size < 10_000) this.constraintCache.set(constraintText, parsed);
    }
    const { constraints, rules } = parsed;

    const job = field('job_id') || id;
    const tenant = field('tenant') || DEFAULT_TENANT;
    return { id, job, tenant, priority, kind, submit, duration, demand, constraints, rules };
  }
}
