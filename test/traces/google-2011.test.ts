// Google 2011 reader: counts on the real t=0 sample, the attempt lifecycle on a hand-made fixture, machine events, malformed input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readError, readTrace, writeTruncatedGzip } from '../helpers/trace-read.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const SAMPLE = 'test/fixtures/traces/google-2011';
const LIFECYCLE = 'test/fixtures/traces/google-2011-lifecycle';
const tempDir = useTempDirs('google');
const demandOf = (t: { demand: Float64Array } | undefined) => [...(t?.demand ?? [])];

describe('the real t=0 sample', () => {
  it('has 1,015 submissions: none scheduled in the sample, so none run unless unscheduled: service', async () => {
    const dropped = await readTrace('google-2011', SAMPLE);
    expect(dropped.tasks).toHaveLength(0);
    expect(dropped.report?.dropped).toEqual({ 'attempts never scheduled by the end of the trace': 1015 });
    const { tasks, report } = await readTrace('google-2011', SAMPLE, { unscheduled: 'service' });
    expect(tasks).toHaveLength(1015 - 79);
    expect(report?.dropped).toEqual({ 'attempts with missing requests': 79 });
    expect(tasks.every((t) => t.submit === 0 && t.duration === null && t.kind === 'service')).toBe(true);
  });

  it('maps the first row with requests to millionths of the largest machine', async () => {
    // "0,,3418314,0,3938719206,0,70s3v5qRyCO/1PCdI6fVXnrW8FU/w+5CKRSa72xgcIo=,3,9,0.125,0.07446,0.0004244,0"
    const { tasks } = await readTrace('google-2011', SAMPLE, { unscheduled: 'service' });
    expect(tasks[0]).toMatchObject({ id: '3418314:0', job: '3418314', priority: 9, tenant: '70s3v5qRyCO_1PCdI6fVXnrW8FU_w+5CKRSa72xgcIo=' });
    expect(demandOf(tasks[0])).toEqual([125000, 74460, 424]);
    const zero = await readTrace('google-2011', SAMPLE, { unscheduled: 'service', missing_requests: 'zero' });
    expect(zero.tasks).toHaveLength(1015);
  });

  it('adds 1,523 machines at t=0, 40 of them with the attributes of machine_attributes', async () => {
    const { machines } = await readTrace('google-2011', SAMPLE);
    expect(machines).toHaveLength(1523);
    expect(machines.every((e) => e.kind === 'add' && e.time === 0)).toBe(true);
    expect(machines.filter((e) => Object.keys(e.attributes ?? {}).length > 0)).toHaveLength(40);
    expect(machines.reduce((n, e) => n + Object.keys(e.attributes ?? {}).length, 0)).toBe(1664);
    // "0,5,0,HofLGzk1Or/8Ildj2+Lqv0UGGvY82NLoni8+J/Yy0RU=,0.5,0.2493": disk is the whole unit
    expect(machines[0]).toMatchObject({ id: '5' });
    expect(demandOf({ demand: machines[0]?.capacity ?? new Float64Array() })).toEqual([500000, 249300, 1e6]);
    expect(machines[0]?.attributes?.['g.-8aLrMrUBQLYLD4Ndxi/ZmwwKGhtFGskL8ZSdChYMdo']).toBe('1');
  });
});

describe('attempt lifecycle (hand-made fixture)', () => {
  it('makes one task per scheduled attempt, lasting its SCHEDULE → end span, in submit order', async () => {
    const { tasks, report } = await readTrace('google-2011', LIFECYCLE);
    expect(tasks.map((t) => [t.id, t.submit / 1e6, t.duration === null ? null : t.duration / 1e6, t.kind])).toEqual([
      ['1:0', 0, 800, 'batch'],
      ['2:0', 600, 90, 'batch'],
      ['2:0', 700, 180, 'batch'],
      ['4:0', 960, null, 'service'],
    ]);
    expect(tasks.map((t) => [t.priority, t.tenant, t.job])).toEqual([[9, 'alice', '1'], [1, 'bob_x', '2'], [1, 'bob_x', '2'], [11, 'dave', '4']]);
    expect(demandOf(tasks[0])).toEqual([250000, 500000, 1000]);
    expect(tasks[0]?.constraints).toEqual([{ attribute: 'g.QUJD-/', op: 'eq', values: ['x1'] }]);
    expect(report?.dropped).toEqual({ 'LESS_THAN/GREATER_THAN constraints (not modelled)': 1, 'attempts never scheduled by the end of the trace': 1 });
  });

  it('keeps only finished attempts with attempts: finished; unscheduled ones run as services when asked', async () => {
    const finished = await readTrace('google-2011', LIFECYCLE, { attempts: 'finished' });
    expect(finished.tasks.map((t) => [t.id, t.submit / 1e6])).toEqual([['1:0', 0], ['2:0', 700]]);
    const services = await readTrace('google-2011', LIFECYCLE, { unscheduled: 'service', tenant_by: 'class/user' });
    const carol = services.tasks.find((t) => t.id === '3:0');
    expect(carol).toMatchObject({ submit: 950e6, duration: null, tenant: 'class1/carol' });
    expect(demandOf(carol)).toEqual([200000, 100000, 0]);
    expect(carol?.constraints).toEqual([{ attribute: 'g.QUJD-/', op: 'ne', values: ['x2'] }]);
  });

  it('cuts attempts still open a lookahead after submission: running ones become services', async () => {
    const { tasks, report } = await readTrace('google-2011', LIFECYCLE, { lookahead_s: 50 });
    expect(tasks.map((t) => [t.id, t.duration === null ? null : t.duration / 1e6])).toEqual([['1:0', null], ['2:0', 90], ['2:0', null], ['4:0', null]]);
    expect(report?.dropped['attempts still running a lookahead after submission (run to the end)']).toBe(2);
  });

  it('streams machine adds, removals, re-adds and updates with attributes merged by time', async () => {
    const { machines } = await readTrace('google-2011', LIFECYCLE);
    expect(machines.map((e) => [e.time / 1e6, e.kind, e.id, e.capacity === undefined ? null : [...e.capacity], e.attributes ?? null])).toEqual([
      [0, 'add', '100', [500000, 500000, 1e6], { 'g.QUJD-/': 'x1' }],
      [0, 'add', '200', [500000, 250000, 1e6], { 'g.QUJD-/': 'x2' }],
      [800, 'remove', '200', null, null],
      [850, 'update', '100', null, {}],
      [850, 'add', '200', [500000, 250000, 1e6], { 'g.QUJD-/': 'x2' }],
      [900, 'update', '100', [1e6, 1e6, 1e6], null],
    ]);
  });

  it('reads task_events parts from a task_events/ folder, gzip-compressed, in name order', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'task_events'));
    const rows = '0,,1,0,,0,u,0,0,0.1,0.1,,0\n0,,1,0,5,1,u,0,0,,,,\n';
    writeTruncatedGzip(join(dir, 'task_events', 'part-00000-of-00002.csv.gz'), rows, 1);
    writeTruncatedGzip(join(dir, 'task_events', 'part-00001-of-00002.csv.gz'), '5000000,,1,0,5,4,u,0,0,,,,\n', 1);
    const { tasks } = await readTrace('google-2011', dir);
    expect(tasks.map((t) => [t.id, t.duration])).toEqual([['1:0', 5e6]]);
  });
});

describe('malformed input', () => {
  const write = (text: string): string => {
    const dir = tempDir();
    writeFileSync(join(dir, 'task_events.csv'), text);
    return dir;
  };
  const GOOD = '0,,1,0,,0,u,0,0,0.1,0.1,,0\n';

  it('names file, line and the row for a wrong column count', async () => {
    const dir = write(`${GOOD}0,,1,0,,1,u,0,0\n`);
    expect(await readError('google-2011', dir)).toBe(`${join(dir, 'task_events.csv')}:2: expected 13 comma-separated columns for task_events (time, missing_info, job_id, task_index, machine_id, event_type, user, scheduling_class, priority, cpu_request, memory_request, disk_request, different_machines), got 9: "0,,1,0,,1,u,0,0"`);
  });

  it('names the field and value for text in a numeric field', async () => {
    const dir = write(`${GOOD}0,,1,0,,0,u,0,0,lots,0.1,,0\n`);
    expect(await readError('google-2011', dir)).toBe(`${join(dir, 'task_events.csv')}:2: field "cpu_request": expected a number or an empty field, got "lots"`);
  });

  it('rejects an out-of-order time', async () => {
    const dir = write(`5,,1,0,,0,u,0,0,0.1,0.1,,0\n${GOOD}`);
    expect(await readError('google-2011', dir)).toBe(`${join(dir, 'task_events.csv')}:2: field "time": time 0 µs is out of order: line 1 is at 5 µs`);
  });

  it('reports a truncated gzip part', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},,${i},0,,0,u,0,0,0.1,0.1,,0\n`).join('');
    writeTruncatedGzip(join(dir, 'task_events.csv.gz'), rows);
    expect(await readError('google-2011', dir)).toMatch(/task_events\.csv\.gz:\d+: Truncated or corrupt gzip data/);
  });

  it('counts skipped rows in lenient mode', async () => {
    const dir = write(`${GOOD}0,,1,0,,1,u,0,0\n0,,1,0,,9,u,0,0,,,,\n0,,1,0,7,1,u,0,0,,,,\n`);
    const { tasks, report } = await readTrace('google-2011', dir, { lenient: true });
    expect(tasks).toHaveLength(1);
    expect(report?.skipped).toBe(2);
    expect(report?.firstSkipped[1]).toBe(`${join(dir, 'task_events.csv')}:3: field "event_type": expected an event type 0-8, got "9"`);
  });

  it('needs task_events files', async () => {
    expect(await readError('google-2011', tempDir())).toMatch(/No task_events files found/);
  });
});
