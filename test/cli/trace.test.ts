// `clustersim trace inspect|convert` and simulate on real formats: figures, round trips through native CSV, windows, errors.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { readTrace } from '../helpers/trace-read.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { convertToNative } from '../../src/traces/convert.js';
import type { TraceSource } from '../../src/traces/source.js';
import { NONE } from '../../src/model/constraints.js';

const NASA = 'traces/swf/NASA-iPSC-1993-3.1-cln.swf';
const GPU = 'test/fixtures/traces/alibaba-gpu-2023';
const LIFECYCLE = 'test/fixtures/traces/google-2011-lifecycle';
const tempDir = useTempDirs('trace-cli');

describe('trace inspect', () => {
  it('summarises the NASA log', async () => {
    const { code, stdout } = await cli('trace', 'inspect', NASA, '--format', 'swf', '--json');
    expect(code).toBe(0);
    const x = JSON.parse(stdout);
    expect(x).toMatchObject({ tasks: 18239, batch: 18239, services: 0, jobs: 18239, first_submit_s: 0, last_submit_s: 7948936, tenants: 69, priorities: { '0': 18239 } });
    expect(x.duration_s).toMatchObject({ min: 0, p50: 86, p95: 3723, max: 62643 });
    expect(x.demand.cpu).toMatchObject({ min: 1, p50: 4, p95: 64, max: 128 });
    expect(x.top_tenants[0]).toEqual({ tenant: 'u4', tasks: 2625 });
    expect(x.cluster).toMatchObject({ machines: 1, capacity: { cpu: 128 } });
    expect(x.problems).toEqual({ skipped: 0, firstSkipped: [], dropped: {} });
  });

  it('reports machine events and problems of a Google folder, in text', async () => {
    const { code, stdout } = await cli('trace', 'inspect', LIFECYCLE, '--format', 'google-2011');
    expect(code).toBe(0);
    expect(stdout).toContain('tasks        4 (3 batch, 1 services) in 3 jobs; 1 with constraints');
    expect(stdout).toContain('machines     2 in the trace: 3 add, 1 remove, 2 update events; last at 900 s');
    expect(stdout).toContain('             1 attempts never scheduled by the end of the trace');
  });

  it('reads only the window and task cap asked for', async () => {
    const { stdout } = await cli('trace', 'inspect', NASA, '--format', 'swf', '--json', '--from', '1000', '--until', '100000', '--max-tasks', '50');
    const x = JSON.parse(stdout);
    expect(x.tasks).toBe(50);
    expect(x.first_submit_s).toBeGreaterThanOrEqual(1000);
    const window = JSON.parse((await cli('trace', 'inspect', NASA, '--format', 'swf', '--json', '--until', '100000')).stdout);
    expect(window.last_submit_s).toBeLessThan(100000);
    expect(window.tasks).toBe((await readTrace('swf', NASA)).tasks.filter((t) => t.submit < 100000e6).length);
  });

  it('exits 2 naming the file, line and value of a malformed row, or counts it with lenient', async () => {
    const file = join(tempDir(), 'bad.swf');
    writeFileSync(file, '; MaxProcs: 4\n1 0 -1 5 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n2 x -1 5 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n');
    const strict = await cli('trace', 'inspect', file, '--format', 'swf');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe(`clustersim: ${file}:3: field "submit": expected a number, got "x"\n`);
    const lenient = await cli('trace', 'inspect', file, '--format', 'swf', '--options', '{"lenient": true}', '--json');
    expect(JSON.parse(lenient.stdout).problems).toMatchObject({ skipped: 1, firstSkipped: [`${file}:3: field "submit": expected a number, got "x"`] });
  });

  it('rejects unknown formats and options', async () => {
    expect((await cli('trace', 'inspect', NASA, '--format', 'swff')).stderr).toMatch(/Unknown trace format "swff" \(did you mean "swf"\?\); expected one of native, swf, google-2011/);
    expect((await cli('trace', 'inspect', NASA, '--format', 'swf', '--options', '{"speed": 2}')).stderr).toMatch(/Trace format "swf" has no option "speed"/);
  });
});

describe('trace convert', () => {
  it('a trace that fails as the first rows go out leaves no file and no stray stream error', async () => {
    const dir = tempDir();
    const spec = { id: 'a', job: 'a', tenant: 't', priority: 0, kind: 'batch' as const, submit: 0, duration: 1e6, demand: Float64Array.of(1), constraints: NONE };
    const failing: TraceSource = {
      name: 'failing',
      progress: () => 0,
      async *chunks() {
        yield [spec];
        throw new SyntaxError('bad row');
      },
    };
    const cluster = { file: 'c', resources: { names: ['cpu'], units: ['core'] }, groups: [] };
    await expect(convertToNative(failing, cluster, join(dir, 'out.csv'))).rejects.toThrow('bad row');
    // a write still in flight when the stream went would surface here as an uncaught error
    await sleep(50);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a trace that fails while a large write is in flight rejects with its own error, not the stream\'s', async () => {
    const spec = { id: 'a', job: 'a', tenant: 't', priority: 0, kind: 'batch' as const, submit: 0, duration: 1e6, demand: Float64Array.of(1), constraints: NONE };
    const big = Array.from({ length: 50_000 }, () => spec);
    const cluster = { file: 'c', resources: { names: ['cpu'], units: ['core'] }, groups: [] };
    for (let attempt = 0; attempt < 3; attempt++) {
      const dir = tempDir();
      const failing: TraceSource = {
        name: 'failing',
        progress: () => 0,
        async *chunks() {
          yield big;
          throw new SyntaxError('bad row');
        },
      };
      await expect(convertToNative(failing, cluster, join(dir, 'out.csv'))).rejects.toThrow('bad row');
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('writes native CSV that reads back to the same tasks, and the default cluster as YAML', async () => {
    const dir = tempDir();
    const out = join(dir, 'pods.csv');
    const result = await cli('trace', 'convert', GPU, '--format', 'alibaba-gpu-2023', '--max-tasks', '150', '--out', out, '--cluster-out', join(dir, 'cluster.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`150 tasks written to ${out}\n`);
    // with a task cap the counts cover the rows read, which run up to one read buffer past the last task kept
    expect(result.stderr).toMatch(new RegExp(`^clustersim: ${join(process.cwd(), GPU)}: left out: \\d+ pods never scheduled\n$`));
    const original = await readTrace('alibaba-gpu-2023', GPU, { max_tasks: 150 });
    const converted = await readTrace('native', out, {}, original.cluster);
    expect(converted.tasks).toEqual(original.tasks);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('openb-pod-0000,openb-pod-0000,ls,3,batch,0,12537496,12000,16384,1000,');

    const native = await cli('simulate', '--cluster', join(dir, 'cluster.yaml'), '--trace', out, '--policy', 'fifo+best-fit', '--sample-interval', '86400', '--out', join(dir, 'a'));
    const direct = await cli('simulate', '--trace', GPU, '--trace-format', 'alibaba-gpu-2023', '--trace-options', '{"max_tasks": 150}', '--policy', 'fifo+best-fit', '--sample-interval', '86400', '--out', join(dir, 'b'));
    expect(native.code).toBe(0);
    expect(direct.code).toBe(0);
    const summary = (run: string) => JSON.parse(readFileSync(join(dir, run, 'summary.json'), 'utf8'));
    expect(summary('a')).toEqual(summary('b'));
  });

  it('leaves no file behind when the trace is bad', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.swf');
    writeFileSync(file, '; MaxProcs: 4\n1 0 -1 5 1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n2 0 -1 5\n');
    const result = await cli('trace', 'convert', file, '--format', 'swf', '--out', join(dir, 'out.csv'));
    expect(result.code, result.stderr).toBe(2);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    expect(existsSync(join(dir, 'out.csv.partial'))).toBe(false);
  });
});

describe('simulate on a real format without a cluster file', () => {
  it('replays an SWF log on the cluster from its header and writes what it left out to the manifest and stderr', async () => {
    const dir = tempDir();
    const result = await cli('simulate', '--trace', 'traces/swf/LLNL-Atlas-2006-2.1-cln.swf.gz', '--trace-format', 'swf', '--trace-options', '{"max_tasks": 500}', '--policy', 'fifo+first-fit', '--out', join(dir, 'run'));
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8'));
    const dropped = manifest.trace_report.dropped['jobs with unknown processor count'];
    expect(dropped).toBeGreaterThan(0);
    expect(result.stderr).toBe(`clustersim: trace: left out: ${dropped} jobs with unknown processor count\n`);
    expect(JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')).tasks).toBe(500);
  });

  it('takes the machines of an Alibaba trace from its machine table, and needs a cluster without one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'batch_task.csv'), '0,10,1,1,2,Terminated,100,0.5\n');
    const bare = await cli('simulate', '--trace', dir, '--trace-format', 'alibaba-2017', '--policy', 'fifo+first-fit', '--out', join(dir, 'run'));
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(`clustersim: ${dir}: No server_event table beside the tasks, so the trace has no machines of its own; name a cluster spec\n`);
    writeFileSync(join(dir, 'server_event.csv'), '0,m1,add,,1,1,1\n');
    const run = await cli('simulate', '--trace', dir, '--trace-format', 'alibaba-2017', '--policy', 'fifo+first-fit', '--out', join(dir, 'run'));
    expect(run.code).toBe(0);
    // two instances of one core each on a one-core machine: one after the other
    expect(JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'))).toMatchObject({ tasks: 2, finished: 2, makespan_s: 20 });
  });
});
