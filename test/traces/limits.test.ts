// Options every format takes: lenient native CSV, the task cap and the submit-time window, an experiment without a cluster.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCsvLine } from '../../src/traces/native.js';
import { cli } from '../helpers/cli.js';
import { readError, readTrace, writeTruncatedGzip } from '../helpers/trace-read.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('limits');
const CLUSTER = { file: 'c', resources: { names: ['cpu'], units: ['millicore'] }, groups: [] };

describe('common trace options', () => {
  it('lenient native CSV skips rows with a wrong column count or a bad value and reports them', async () => {
    const file = join(tempDir(), 'trace.csv');
    writeFileSync(file, 'task_id,submit,duration,cpu\na,0,1,10\nb,1,1\nc,2,1,ten\nd,3,1,10\n');
    const { tasks, report } = await readTrace('native', file, { lenient: true }, CLUSTER);
    expect(tasks.map((t) => t.id)).toEqual(['a', 'd']);
    expect(report).toEqual({
      skipped: 2,
      firstSkipped: [`${file}:3: Malformed CSV: wrong number of columns (expect 4, got 3, as in the header); the row reads "b,1,1"`, `${file}:4: column "cpu": expected a non-negative integer in millicore (at most 4294967295), got "ten"`],
      dropped: {},
    });
  });

  it('keeps the submit window [from_s, until_s) and at most max_tasks tasks', async () => {
    const file = join(tempDir(), 'trace.csv');
    writeFileSync(file, `task_id,submit,duration,cpu\n${Array.from({ length: 10 }, (_, i) => `t${i},${i * 10},1,1`).join('\n')}\n`);
    const ids = async (options: Record<string, unknown>) => (await readTrace('native', file, options, CLUSTER)).tasks.map((t) => t.id);
    expect(await ids({ from_s: 20, until_s: 60 })).toEqual(['t2', 't3', 't4', 't5']);
    expect(await ids({ from_s: 20, max_tasks: 2 })).toEqual(['t2', 't3']);
    expect(await ids({ until_s: 0 })).toHaveLength(10);
  });

  it('stops machine events at until_s too', async () => {
    const { machines } = await readTrace('google-2011', 'test/fixtures/traces/google-2011-lifecycle', { until_s: 850 });
    expect(machines.map((e) => [e.time / 1e6, e.kind])).toEqual([[0, 'add'], [0, 'add'], [800, 'remove']]);
  });

  it('lets an experiment leave out the cluster only when the trace format has a default', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'exp.yaml'), `name: nasa\ntrace: { format: swf, path: ${join(process.cwd(), 'traces/swf/NASA-iPSC-1993-3.1-cln.swf')}, options: { max_tasks: 200 } }\npolicies: [fifo+first-fit]\nseeds: [1]\n`);
    const result = await cli('run', join(dir, 'exp.yaml'), '--out', join(dir, 'results'), '--quiet');
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'results', 'nasa', 'fifo+first-fit-seed1', 'summary.json'), 'utf8')).tasks).toBe(200);
    writeFileSync(join(dir, 'bad.yaml'), `name: a2017\ntrace: { format: alibaba-2017, path: ${dir} }\npolicies: [fifo+first-fit]\nseeds: [1]\n`);
    const bad = await cli('run', join(dir, 'bad.yaml'), '--out', join(dir, 'results'), '--quiet');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/No server_event table beside the tasks, so the trace has no machines of its own; name a cluster spec/);
    writeFileSync(join(dir, 'native.yaml'), `name: n\ntrace: ${join(dir, 'x.csv')}\npolicies: [fifo+first-fit]\nseeds: [1]\n`);
    writeFileSync(join(dir, 'x.csv'), 'task_id,submit,duration,cpu\n');
    expect((await cli('run', join(dir, 'native.yaml'), '--out', join(dir, 'results'), '--quiet')).stderr).toMatch(/native\.yaml:\d+:\d+: field "cluster": missing required field/);
  });
});

describe('native CSV compressed', () => {
  it('reads gzip and reports a truncated stream', async () => {
    const dir = tempDir();
    const text = `task_id,submit,duration,cpu\n${Array.from({ length: 5000 }, (_, i) => `t${i},${i},1,1`).join('\n')}\n`;
    writeTruncatedGzip(join(dir, 'whole.csv.gz'), text, 1);
    expect((await readTrace('native', join(dir, 'whole.csv.gz'), {}, CLUSTER)).tasks).toHaveLength(5000);
    writeTruncatedGzip(join(dir, 'cut.csv.gz'), text, 0.5);
    expect(await readError('native', join(dir, 'cut.csv.gz'), {}, CLUSTER)).toMatch(new RegExp(`^${join(dir, 'cut.csv.gz')}:\\d+: Truncated or corrupt gzip data \\(unexpected end of file\\); the last complete line read was \\d+$`));
  });
});

describe('native CSV lines', () => {
  it('splits quoted fields within a line and trims the space around fields', () => {
    expect(splitCsvLine('a, "b,c" ,"say ""hi""",', 'f', 1)).toEqual(['a', 'b,c', 'say "hi"', '']);
    expect(splitCsvLine(' x , y ', 'f', 1)).toEqual(['x', 'y']);
    expect(() => splitCsvLine('a,"b', 'f', 3)).toThrow('f:3: Malformed CSV: a quoted field is not closed before the end of the line; the row reads "a,\\"b"');
    expect(() => splitCsvLine('a,"b"c', 'f', 3)).toThrow(/text after a closing quote at column 6/);
  });
});
