import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { microsToSeconds } from '../../src/engine/time.js';
import { makeTask, newTaskSpec, type Task, type TaskKind, type TaskState } from '../../src/model/task.js';
import { NONE } from '../../src/model/constraints.js';
import { taskColumns } from '../../src/metrics/schemas.js';
import { attemptTimes } from '../../src/metrics/summary.js';
import { helperPays, TaskRows, type TaskRowMode } from '../../src/metrics/task-rows.js';
import { readArrowRows, type Row } from '../helpers/arrow.js';
import { recordedRun } from '../helpers/recorded-run.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-task-rows-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const RESOURCES = { names: ['cpu', 'mem', 'gpu'], units: ['millicore', 'MiB', 'milliGPU'] };
const SPECS = taskColumns(RESOURCES);
const STATES: TaskState[] = ['finished', 'killed', 'preempted', 'unschedulable', 'waiting', 'running'];
/** Machine ids by slot, one of them not ASCII. */
const MACHINES = Array.from({ length: 40 }, (_, k) => (k === 5 ? 'machine-ñ' : `m-${k}`));

/**
 * Task `i` of a varied run: ids and names partly outside ASCII, jobs that change every third row,
 * seven indexed tenants and some without an index, tasks never placed, every state and kind.
 */
function varied(i: number): Task {
  const id = i % 97 === 0 ? `tâche-${i}` : i % 89 === 0 ? `t😀${i}` : `task-${i}`;
  const state = STATES[i % STATES.length] as TaskState;
  const unplaced = i % 13 === 0 || state === 'unschedulable' || state === 'waiting';
  const lone = i % 50 === 0;
  const t = makeTask(
    newTaskSpec({
      id,
      job: `job-${Math.floor(i / 3)}`,
      tenant: lone ? 'lone-ü' : `team-${i % 7}`,
      priority: i % 5,
      kind: (i % 2 === 0 ? 'batch' : 'service') as TaskKind,
      submit: i * 1_000,
      duration: 2_000,
      demand: Float64Array.of((i % 4) * 1_000, 2_048, i % 3 === 0 ? 500 : 0),
      constraints: NONE,
    }),
    i,
  );
  t.tenantIndex = lone ? -1 : i % 7;
  t.attempt = i % 3;
  t.state = state;
  if (!unplaced) {
    t.machine = i % MACHINES.length;
    t.start = t.submit + 500 + (i % 11);
    if (state !== 'running') t.end = t.start + 2_000 + (i % 7) * 1_000;
  }
  return t;
}

const task = varied;

/** Writes tasks 0 … n − 1 through a ring of `records` records and `bytes` name bytes into `name`, flushing every `flushEvery` rows if given. */
function write(name: string, n: number, mode: TaskRowMode, records?: number, bytes?: number, flushEvery?: number): { path: string; threaded: boolean } {
  const path = join(root, name);
  const rows = new TaskRows(path, SPECS, RESOURCES.names.length, mode, records, bytes);
  for (let i = 0; i < n; i++) {
    rows.write(task(i), MACHINES);
    if (flushEvery !== undefined && i % flushEvery === 0) rows.flush();
  }
  const threaded = rows.inHelperThread;
  rows.close();
  return { path, threaded };
}

/** The row tasks.arrow must hold for task `i`, by the column definitions in the README. */
function expected(i: number): Row {
  const t = task(i);
  const times = attemptTimes(t.submit, t.start, t.end, { wait: NaN, run: NaN, slowdown: NaN, bounded: NaN });
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    task_id: t.id,
    job_id: t.job,
    tenant: t.tenant,
    attempt: t.attempt,
    state: t.state,
    kind: t.kind,
    priority: t.priority,
    machine_id: t.machine >= 0 ? (MACHINES[t.machine] as string) : null,
    submit_s: microsToSeconds(t.submit),
    start_s: t.start >= 0 ? microsToSeconds(t.start) : null,
    end_s: t.end >= 0 ? microsToSeconds(t.end) : null,
    wait_s: orNull(times.wait),
    run_s: orNull(times.run),
    slowdown: orNull(times.slowdown),
    bounded_slowdown: orNull(times.bounded),
    demand_cpu: t.demand[0] as number,
    demand_mem: t.demand[1] as number,
    demand_gpu: t.demand[2] as number,
  };
}

describe('tasks.arrow rows through the ring', () => {
  it('hold every field of every task, in order, written in this thread', () => {
    const { path } = write('inline.arrow', 3_000, 'inline');
    const rows = readArrowRows(path);
    expect(rows).toHaveLength(3_000);
    rows.forEach((row, i) => expect(row).toEqual(expected(i)));
    // the cases the varied run is meant to cover are really in it
    expect(rows.filter((r) => r.machine_id === null).length).toBeGreaterThan(100);
    expect(rows.some((r) => r.machine_id === 'machine-ñ')).toBe(true);
    expect(rows.some((r) => r.tenant === 'lone-ü')).toBe(true);
    expect(rows.some((r) => String(r.task_id).startsWith('t😀'))).toBe(true);
  });

  it('are the same bytes whether the helper thread or this one writes them, through a ring that wraps many times', () => {
    // 1,024 records and 16 KiB of names: both wrap about ten times over 10,000 rows
    const inline = write('small-inline.arrow', 10_000, 'inline', 1_024, 16_384);
    const threaded = write('small-thread.arrow', 10_000, 'thread', 1_024, 16_384);
    expect(threaded.threaded).toBe(true);
    const bytes = readFileSync(inline.path);
    expect(readFileSync(threaded.path).equals(bytes)).toBe(true);
    const rows = readArrowRows(threaded.path);
    expect(rows).toHaveLength(10_000);
    rows.forEach((row, i) => expect(row).toEqual(expected(i)));
  });

  it('are the same bytes when the rows queued so far are handed over early, in every mode', () => {
    const plain = readFileSync(write('plain.arrow', 10_000, 'inline', 1_024, 16_384).path);
    for (const mode of ['inline', 'thread', 'auto'] as const) {
      // at odd moments: between publications, and many times while the ring wraps
      const flushed = write(`flushed-${mode}.arrow`, 10_000, mode, 1_024, 16_384, 333);
      expect(readFileSync(flushed.path).equals(plain), mode).toBe(true);
    }
  });

  it('go to the helper thread in auto mode only once a run has enough rows, with the same bytes', () => {
    const small = write('auto-small.arrow', 1_000, 'auto');
    expect(small.threaded).toBe(false);
    expect(readFileSync(small.path).equals(readFileSync(write('inline-small.arrow', 1_000, 'inline').path))).toBe(true);
    const big = write('auto-big.arrow', 20_000, 'auto');
    expect(big.threaded).toBe(true);
    expect(readFileSync(big.path).equals(readFileSync(write('inline-big.arrow', 20_000, 'inline').path))).toBe(true);
  });

  it('stay in this thread in auto mode when names overflow the small first ring before the switch, with the same bytes', () => {
    // 200-character ids fill the first ring's 512 KiB of names before row 4,096, so the run drains it itself
    const writeLong = (name: string, mode: TaskRowMode) => {
      const path = join(root, name);
      const rows = new TaskRows(path, SPECS, 3, mode);
      for (let i = 0; i < 6_000; i++) {
        const t = task(i);
        (t as { id: string }).id = `${'x'.repeat(200)}-${i}`;
        rows.write(t, MACHINES);
      }
      const threaded = rows.inHelperThread;
      rows.close();
      return { path, threaded };
    };
    const auto = writeLong('long-auto.arrow', 'auto');
    expect(auto.threaded).toBe(false);
    expect(readFileSync(auto.path).equals(readFileSync(writeLong('long-inline.arrow', 'inline').path))).toBe(true);
    expect(readArrowRows(auto.path)[5_999]?.task_id).toBe(`${'x'.repeat(200)}-5999`);
  });

  it('use the helper thread in auto mode only on the main thread of a process with more than one core', () => {
    expect(helperPays(2, true)).toBe(true);
    expect(helperPays(1, true)).toBe(false);
    expect(helperPays(8, false)).toBe(false);
  });

  it('make an empty table with the schema when no task ended', () => {
    for (const mode of ['inline', 'thread'] as const) {
      const { path } = write(`empty-${mode}.arrow`, 0, mode);
      expect(readArrowRows(path)).toEqual([]);
    }
  });

  it('report a file that cannot be written, from either thread', () => {
    for (const mode of ['inline', 'thread'] as const) {
      expect(() => write(join('no-such-dir', `${mode}.arrow`), 5_000, mode, 1_024)).toThrow(/no such file or directory/);
    }
  });

  it('refuse a task whose names do not fit the ring, naming the task', () => {
    const rows = new TaskRows(join(root, 'long.arrow'), SPECS, 3, 'inline', 1_024, 1_024);
    const t = task(1);
    (t as { id: string }).id = 'x'.repeat(200);
    expect(() => rows.write(t, MACHINES)).toThrow(/Task "x{60}" has ids and names too long/);
    rows.abort();
  });

  it('refuse a task of a state or kind tasks.arrow has no code for, naming it', () => {
    const rows = new TaskRows(join(root, 'unknown.arrow'), SPECS, 3, 'inline');
    const odd = task(1);
    (odd as { state: string }).state = 'paused';
    expect(() => rows.write(odd, MACHINES)).toThrow(/Unknown task state "paused"/);
    const strange = task(2);
    (strange as { kind: string }).kind = 'Batch';
    expect(() => rows.started(strange, 0, MACHINES)).toThrow(/Unknown task kind "Batch"/);
    // known ones are still written after a refusal
    rows.write(Object.assign(task(3), { state: 'running', kind: 'service' }), MACHINES);
    rows.abort();
  });

  it('are the same bytes and figures when the caller ends the rows and works on before closing, in every mode', () => {
    const plain = readFileSync(write('not-ended.arrow', 10_000, 'inline').path);
    for (const mode of ['inline', 'thread', 'auto'] as const) {
      const figures = (name: string, end: boolean) => {
        const rows = new TaskRows(join(root, name), SPECS, RESOURCES.names.length, mode, 1_024, 16_384);
        for (let i = 0; i < 10_000; i++) rows.write(task(i), MACHINES);
        if (end) {
          rows.end();
          // the caller's other work: the helper finishes meanwhile, or has, before close() collects
          const until = Date.now() + 50;
          while (Date.now() < until);
        }
        return rows.close();
      };
      const late = figures(`ended-late-${mode}.arrow`, false);
      const early = figures(`ended-early-${mode}.arrow`, true);
      expect(early, mode).toEqual(late);
      expect(readFileSync(join(root, `ended-early-${mode}.arrow`)).equals(plain), mode).toBe(true);
      // closed at once after end(): close() waits for the helper still finishing
      const rows = new TaskRows(join(root, `ended-closed-${mode}.arrow`), SPECS, RESOURCES.names.length, mode, 1_024, 16_384);
      for (let i = 0; i < 10_000; i++) rows.write(task(i), MACHINES);
      rows.end();
      expect(rows.close(), mode).toEqual(late);
      expect(readFileSync(join(root, `ended-closed-${mode}.arrow`)).equals(plain), mode).toBe(true);
    }
  });

  it('let the helper thread finish the file, then take the next run, when aborted after the rows ended', () => {
    const path = join(root, 'ended-then-aborted.arrow');
    const rows = new TaskRows(path, SPECS, 3, 'thread', 1_024);
    for (let i = 0; i < 3_000; i++) rows.write(task(i), MACHINES);
    rows.end();
    rows.abort();
    // abort() came back only once the helper was done with the file: whole, not being written
    expect(readArrowRows(path)).toHaveLength(3_000);
    const after = write('after-ended-abort.arrow', 2_000, 'thread');
    expect(after.threaded).toBe(true);
    expect(readArrowRows(after.path)).toHaveLength(2_000);
  });

  it('let the helper thread take the next run after an aborted one', () => {
    const path = join(root, 'aborted.arrow');
    const rows = new TaskRows(path, SPECS, 3, 'thread', 1_024);
    for (let i = 0; i < 3_000; i++) rows.write(task(i), MACHINES);
    rows.abort();
    const after = write('after-abort.arrow', 2_000, 'thread');
    expect(after.threaded).toBe(true);
    expect(readArrowRows(after.path)).toHaveLength(2_000);
  });
});

/**
 * Writes tasks 0 … n − 1 as a simulation does: a placed task in two parts, started under a key
 * that a later task reuses once it has ended, in an order mixed with other tasks' starts and whole
 * rows; the rest as whole rows. Returns the file and the order in which rows were completed.
 */
function writeSplit(name: string, n: number, mode: TaskRowMode, records?: number, bytes?: number, task = varied): { path: string; order: number[]; threaded: boolean } {
  const path = join(root, name);
  const rows = new TaskRows(path, SPECS, RESOURCES.names.length, mode, records, bytes);
  const order: number[] = [];
  const running: { i: number; key: number }[] = [];
  const freeKeys: number[] = [];
  let nextKey = 0;
  let seed = 12_345;
  const end = (at: number) => {
    const [{ i, key }] = running.splice(at, 1) as [{ i: number; key: number }];
    const t = task(i);
    rows.ended(key, t.state, t.end);
    freeKeys.push(key);
    order.push(i);
  };
  for (let i = 0; i < n; i++) {
    const t = task(i);
    if (t.start < 0) {
      rows.write(t, MACHINES);
      order.push(i);
    } else {
      const key = freeKeys.pop() ?? nextKey++;
      rows.started(t, key, MACHINES);
      running.push({ i, key });
    }
    // up to about fifty attempts run at once, ending in a scrambled order
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    if (running.length > 50 || (running.length > 0 && seed % 3 === 0)) end(seed % running.length);
  }
  while (running.length > 0) end(running.length - 1);
  const threaded = rows.inHelperThread;
  rows.close();
  return { path, order, threaded };
}

/** Writes tasks in `order` as whole rows. */
function writeWhole(name: string, order: readonly number[], task = varied): string {
  const path = join(root, name);
  const rows = new TaskRows(path, SPECS, RESOURCES.names.length, 'inline');
  for (const i of order) rows.write(task(i), MACHINES);
  rows.close();
  return path;
}

describe('tasks.arrow rows sent in two parts, when an attempt starts and when it ends', () => {
  it('are the same bytes as whole rows sent at the end, in the order the attempts ended, through rings that wrap', () => {
    const split = writeSplit('split-inline.arrow', 10_000, 'inline', 1_024, 16_384);
    const whole = readFileSync(writeWhole('split-reference.arrow', split.order));
    // the mix the case is meant to cover: parts interleaved with whole rows, keys reused, rows out of start order
    expect(split.order).toHaveLength(10_000);
    expect(split.order.some((i, j) => j > 0 && i < (split.order[j - 1] as number))).toBe(true);
    expect(readFileSync(split.path).equals(whole)).toBe(true);
    const threaded = writeSplit('split-thread.arrow', 10_000, 'thread', 1_024, 16_384);
    expect(threaded.threaded).toBe(true);
    expect(threaded.order).toEqual(split.order);
    expect(readFileSync(threaded.path).equals(whole)).toBe(true);
    const rows = readArrowRows(split.path);
    rows.forEach((row, j) => expect(row).toEqual(expected(split.order[j] as number)));
  });

  it('keep the names of attempts still running when a later attempt brings a much longer id', () => {
    // a 160-byte id now and then, while about fifty attempts hold their names (in this thread and the helper's)
    const long = (i: number): Task => {
      const t = varied(i);
      if (i % 701 === 350) (t as { id: string }).id = `${'long-'.repeat(32)}${i}`;
      return t;
    };
    for (const mode of ['inline', 'thread'] as const) {
      const split = writeSplit(`split-long-${mode}.arrow`, 3_000, mode, 1_024, 16_384, long);
      expect(readFileSync(split.path).equals(readFileSync(writeWhole(`split-long-reference-${mode}.arrow`, split.order, long)))).toBe(true);
      const rows = readArrowRows(split.path);
      expect(rows.filter((r) => String(r.task_id).startsWith('long-')).length).toBe(4);
      rows.forEach((row, j) => expect(row.task_id).toBe(long(split.order[j] as number).id));
    }
  });

  it('are the same bytes in auto mode, before and after the helper thread takes over', () => {
    const auto = writeSplit('split-auto.arrow', 20_000, 'auto');
    expect(auto.threaded).toBe(helperPays());
    expect(readFileSync(auto.path).equals(readFileSync(writeWhole('split-auto-reference.arrow', auto.order)))).toBe(true);
  });

  it('refuse an end part with no started part under its key, and a started attempt never ended, from either thread', () => {
    for (const mode of ['inline', 'thread'] as const) {
      const orphan = new TaskRows(join(root, `orphan-${mode}.arrow`), SPECS, 3, mode);
      orphan.ended(7, 'finished', 5_000);
      expect(() => orphan.close()).toThrow(/an end came for key 7, which has no started attempt/);
      const unended = new TaskRows(join(root, `unended-${mode}.arrow`), SPECS, 3, mode);
      unended.started(task(1), 0, MACHINES);
      unended.started(task(2), 1, MACHINES);
      unended.ended(0, 'finished', 9_000);
      expect(() => unended.close()).toThrow(/1 started task attempts were never ended/);
    }
  });
});

/** A whole run of 6,000 generated tasks, recorded with tasks.arrow written as `mode` says; returns its directory. */
function simulate(name: string, mode: TaskRowMode): Promise<string> {
  return recordedRun(root, name, { tasks: 6_000, machines: 30, tenants: 12, policy: 'drf+first-fit', seed: 5, sampleSeconds: 30, taskRows: mode });
}

describe('a run recorded with tasks.arrow written by the helper thread', () => {
  it('has the same files, byte for byte, as one written in this thread', async () => {
    const inline = await simulate('run-inline', 'inline');
    for (const mode of ['auto', 'thread'] as const) {
      const other = await simulate(`run-${mode}`, mode);
      const files = readdirSync(inline).sort();
      expect(readdirSync(other).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(other, f)).equals(readFileSync(join(inline, f))), f).toBe(true);
    }
    expect(readArrowRows(join(inline, 'tasks.arrow'))).toHaveLength(6_000);
  });
});
