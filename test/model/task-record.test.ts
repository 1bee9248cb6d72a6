// Task records: trace readers' specs admitted in place the first time, copied after that.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { makeTask, newTaskSpec, type Task, type TaskSpec } from '../../src/model/task.js';
import { clusterSpec, simulate, taskSpec } from '../helpers/policy-fixtures.js';
import { readTrace } from '../helpers/trace-read.js';

/** A plain spec and a reader's record of it. */
function specs(id: string, submit = 0): { plain: TaskSpec; record: TaskSpec } {
  const plain = taskSpec({ submit, duration: 2_000_000, demand: [1], tenant: 'a', job: 'j' }, id);
  return { plain, record: newTaskSpec(plain) };
}

/** What a run says of its tasks, in the order they ended. */
function ends(tasks: readonly Task[]): string[] {
  return tasks.map((t) => `${t.id}#${t.uid}:${t.state}@${t.start}-${t.end} on ${t.machine}`);
}

describe('newTaskSpec and makeTask', () => {
  it('admits a record in place: the task is the record, numbered, in its first attempt', () => {
    const { plain, record } = specs('t0');
    const task = makeTask(record, 7);
    expect(task).toBe(record);
    expect(task).toMatchObject({ id: 't0', job: 'j', tenant: 'a', demand: plain.demand, uid: 7, attempt: 0, state: 'waiting', machine: -1, start: -1, end: -1, slot: -1, tenantIndex: -1 });
  });

  it('copies a record admitted before, with fresh attempt fields whatever the first run wrote', () => {
    const { record } = specs('t0');
    const first = makeTask(record, 0);
    Object.assign(first, { state: 'finished', machine: 3, start: 5, end: 9, slot: 2, tenantIndex: 1 });
    const second = makeTask(record, 4);
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ id: 't0', uid: 4, attempt: 0, state: 'waiting', machine: -1, start: -1, end: -1, slot: -1, tenantIndex: -1 });
    expect(first.uid).toBe(0);
  });

  it('copies any other spec and leaves it as it was', () => {
    const { plain } = specs('t0');
    const before = { ...plain };
    const task = makeTask(plain, 0);
    expect(task).not.toBe(plain);
    expect(plain).toEqual(before);
    expect('uid' in plain).toBe(false);
  });

  it('lays records and copies out alike, field for field in one order (one object shape for every task)', () => {
    const { plain, record } = specs('t0');
    expect(Object.keys(record)).toEqual(Object.keys(makeTask(plain, 0)));
  });

  it('gives the same run twice from the same records: the first run admits them in place, the second copies them', async () => {
    const spec = clusterSpec(['cpu'], [{ count: 2, capacity: [1] }]);
    const records = ['t0', 't1', 't2', 't3', 't4'].map((id, i) => specs(id, i * 500_000).record);
    const plain = ['t0', 't1', 't2', 't3', 't4'].map((id, i) => specs(id, i * 500_000).plain);
    const policy = resolvePolicy('fifo+first-fit');
    const first = await simulate(spec, records, policy);
    const second = await simulate(spec, records, policy);
    const copied = await simulate(spec, plain, policy);
    expect(ends(first.ended)).toEqual(ends(copied.ended));
    expect(ends(second.ended)).toEqual(ends(copied.ended));
    // in place the first time (each record is its task), copies the second
    expect(first.ended.every((t) => records.includes(t))).toBe(true);
    expect(second.ended.some((t) => records.includes(t))).toBe(false);
    // worked by hand: t0 on 0 over 0–2 s, t1 on 1 over 0.5–2.5 s; t2 (at 1 s) waits for t0, t3 for t1, t4 for t2
    expect(ends(first.ended)).toEqual(['t0#0:finished@0-2000000 on 0', 't1#1:finished@500000-2500000 on 1', 't2#2:finished@2000000-4000000 on 0', 't3#3:finished@2500000-4500000 on 1', 't4#4:finished@4000000-6000000 on 0']);
  });
});

describe('native trace rows of one job or tenant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clustersim-records-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keep each row its own job and tenant when consecutive rows share them and when they alternate', async () => {
    const file = join(dir, 'tasks.csv');
    const rows = [
      ['a', 'j1', 'x'],
      ['b', 'j1', 'x'],
      ['c', 'j2', 'y'],
      ['d', 'j1', 'x'],
      ['e', '', ''],
      ['f', 'j2', 'y'],
    ];
    writeFileSync(file, `task_id,submit,duration,cpu,job_id,tenant\n${rows.map(([id, job, tenant], i) => `${id},${i},1,1,${job},${tenant}`).join('\n')}\n`);
    const { tasks } = await readTrace('native', file, {}, clusterSpec(['cpu'], [{ count: 1, capacity: [1] }]));
    expect(tasks.map((t) => `${t.id}:${t.job}:${t.tenant}`)).toEqual(['a:j1:x', 'b:j1:x', 'c:j2:y', 'd:j1:x', 'e:e:default', 'f:j2:y']);
  });
});
