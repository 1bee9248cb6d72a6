// SWF reader: exact counts on the bundled PWA logs, hand-checked rows, the default cluster, malformed input and lenient mode.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { swfDefaultCluster, swfHeader } from '../../src/traces/swf.js';
import { readError, readTrace, writeTruncatedGzip } from '../helpers/trace-read.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const NASA = 'traces/swf/NASA-iPSC-1993-3.1-cln.swf';
const LLNL = 'traces/swf/LLNL-Atlas-2006-2.1-cln.swf.gz';
const LCG = 'test/fixtures/traces/swf/LCG-2005-1.head20000.swf.gz';
const tempDir = useTempDirs('swf');

/** A small hand-made log (not real data) with one job per rule under test. */
const SMALL = `; MaxProcs: 64
; MaxNodes: 16
; Note: a note
;       that continues
    1    0  -1  100  8  -1  2048  4  300  1024  1  3  2  -1  1  -1  -1  -1
    2   10  -1   50  2  -1    -1 -1   -1    -1  1  4 -1  -1  1  -1  -1  -1
    3   20  -1    0 -1  -1    -1 -1   -1    -1  5  4  1  -1  1  -1  -1  -1
    4   30  -1   -1  4  -1    -1  4   60    -1  0  5  1  -1  1  -1  -1  -1
`;

function small(text = SMALL): string {
  const file = join(tempDir(), 'small.swf');
  writeFileSync(file, text);
  return file;
}

describe('bundled logs', () => {
  it('NASA iPSC: 18,239 jobs, every one a task, default cluster of 128 processors', async () => {
    const { tasks, report, cluster } = await readTrace('swf', NASA);
    expect(tasks).toHaveLength(18239);
    expect(report?.dropped).toEqual({});
    expect(cluster.groups.map((g) => [g.name, [...g.capacity]])).toEqual([['swf', [128]]]);
    // line 36: "1 0 -1 1451 128 -1 -1 -1 -1 -1 -1 1 1 -1 -1 -1 -1 -1"
    expect(tasks[0]).toMatchObject({ id: '1', job: '1', tenant: 'u1', submit: 0, duration: 1451e6, kind: 'batch' });
    expect([...(tasks[0]?.demand ?? [])]).toEqual([128]);
    expect(tasks.at(-1)?.submit).toBe(7948936e6);
  });

  it('LLNL Atlas (gzip): 43,778 jobs, 4,571 cancelled ones without processors left out', async () => {
    const { tasks, report, cluster } = await readTrace('swf', LLNL);
    expect(tasks).toHaveLength(43778 - 4571);
    expect(report?.dropped).toEqual({ 'jobs with unknown processor count': 4571 });
    expect([...(cluster.groups[0]?.capacity ?? [])]).toEqual([9216]);
    // line 38: "1440 3279379 -1 0 8 -1 -1 8 -1 -1 1 2 -1 67 -1 1 -1 -1": the first job with processors
    expect(tasks[0]).toMatchObject({ id: '1440', submit: 3279379e6, duration: 0, tenant: 'u2' });
    expect([...(tasks[0]?.demand ?? [])]).toEqual([8]);
  });

  it('LCG head (gzip): 19,812 jobs; requested time drives the run with duration: requested', async () => {
    const actual = await readTrace('swf', LCG);
    expect(actual.tasks).toHaveLength(19812);
    expect(actual.tasks[1]).toMatchObject({ id: '2', submit: 3e6, duration: 3611e6 });
    const requested = await readTrace('swf', LCG, { duration: 'requested' });
    expect(requested.tasks[1]).toMatchObject({ id: '2', duration: 116400e6 });
    expect([...(actual.cluster.groups[0]?.capacity ?? [])]).toEqual([24515]);
  });

  it('reads the header keys, joining continuation lines', () => {
    const header = swfHeader(NASA);
    expect(header['MaxProcs']).toBe('128');
    expect(header['UnixStartTime']).toBe('749458803');
    expect(swfHeader(small())['Note']).toBe('a note that continues');
  });
});

describe('field mapping', () => {
  it('maps processors (requested, else allocated), memory in KB per processor × processors, users and groups', async () => {
    const cluster = { file: 'c', resources: { names: ['cpu', 'mem'], units: ['processor', 'MiB'] }, groups: [] };
    const { tasks, report } = await readTrace('swf', small(), { tenant_by: 'group/user' }, cluster);
    expect(tasks.map((t) => t.id)).toEqual(['1', '2']);
    // job 1: requested 4 procs × 1024 KB requested memory = 4 MiB; job 2: 2 allocated procs, no memory
    expect(tasks.map((t) => [...t.demand])).toEqual([[4, 4], [2, 0]]);
    expect(tasks.map((t) => t.tenant)).toEqual(['g2/u3', 'g-unknown/u4']);
    expect(tasks[0]).toMatchObject({ submit: 0, duration: 100e6 });
    expect(report?.dropped).toEqual({ 'jobs with unknown processor count': 1, 'jobs with unknown run time': 1 });
  });

  it('uses the requested time where known with duration: requested, the actual one where it is -1', async () => {
    const { tasks } = await readTrace('swf', small(), { duration: 'requested' });
    expect(tasks.map((t) => t.duration)).toEqual([300e6, 50e6, 60e6]);
  });

  it('has no default cluster without MaxProcs or MaxNodes', () => {
    expect(() => swfDefaultCluster(small('    1 0 -1 1 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n'))).toThrow(/no MaxProcs or MaxNodes/);
  });
});

describe('malformed input', () => {
  const cluster = { file: 'c', resources: { names: ['cpu'], units: ['processor'] }, groups: [] };
  it('names file, line and the row for a wrong field count', async () => {
    const file = small(`${SMALL}    5 40 -1 10 1 -1\n`);
    expect(await readError('swf', file, {}, cluster)).toBe(`${file}:9: expected 18 whitespace-separated fields, got 6: "5 40 -1 10 1 -1"`);
  });

  it('names the field and value for text in a numeric field', async () => {
    const file = small(SMALL.replace('    2   10', '    2   1O'));
    expect(await readError('swf', file, {}, cluster)).toBe(`${file}:6: field "submit": expected a number, got "1O"`);
  });

  it('rejects an out-of-order submit time', async () => {
    const file = small(`${SMALL}    5   25  -1  1  1  -1  -1  1  -1  -1  1  1  1  -1  1  -1  -1  -1\n`);
    expect(await readError('swf', file, {}, cluster)).toBe(`${file}:9: field "submit": submit time 25 s is out of order: line 8 was submitted at 30 s`);
  });

  it('reports a truncated gzip file with the line reading stopped at', async () => {
    const file = join(tempDir(), 'cut.swf.gz');
    writeTruncatedGzip(file, Array.from({ length: 2000 }, (_, i) => `${i + 1} ${i} -1 10 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n`).join(''));
    expect(await readError('swf', file, {}, cluster)).toMatch(new RegExp(`^${file}:\\d+: Truncated or corrupt gzip data \\(unexpected end of file\\); the last complete line read was \\d+$`));
  });

  it('skips and counts malformed rows in lenient mode, keeping the first messages', async () => {
    const file = small(`${SMALL}    5 40 -1 10 1 -1\n    6 x -1 10 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n    7 50 -1 10 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n`);
    const { tasks, report } = await readTrace('swf', file, { lenient: true }, cluster);
    expect(tasks.map((t) => t.id)).toEqual(['1', '2', '7']);
    expect(report?.skipped).toBe(2);
    expect(report?.firstSkipped).toEqual([`${file}:9: expected 18 whitespace-separated fields, got 6: "5 40 -1 10 1 -1"`, `${file}:10: field "submit": expected a number, got "x"`]);
  });
});
