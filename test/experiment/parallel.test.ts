// Must hold: sequential, parallel and sharded-then-merged runs give byte-identical Arrow files; an interrupted sweep resumes to the same results.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/config.js';
import { executeExperiment } from '../../src/experiment/execute.js';
import { mergeResults } from '../../src/experiment/merge.js';
import { planExperiment } from '../../src/experiment/runner.js';
import { parseShard, selectShard } from '../../src/experiment/shard.js';
import { readArrowRows } from '../helpers/arrow.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('parallel');
const ROOT = resolve(import.meta.dirname, '..', '..');

/** Two policies (one with a swept option), a swept horizon and two seeds on the bundled default trace: 12 runs. */
function smallExperiment(seeds = '[1, 2]'): string {
  const dir = tempDir();
  const file = join(dir, 'small.yaml');
  writeFileSync(file, `name: small
cluster: ${join(ROOT, 'traces/default/cluster.yaml')}
trace: ${join(ROOT, 'traces/default/pods.csv')}
policies:
  - fifo+first-fit
  - { name: priority+best-fit, label: pbf }
seeds: ${seeds}
sample_interval: 3600
sweep:
  horizon: [400000, 800000]
  policies.pbf.options.dimension: [dominant, gpu]
`);
  return file;
}

/** Every file under `dir` (relative path → bytes), Arrow and run lists only: manifests hold wall-clock times. */
function arrowTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (entry.name.endsWith('.arrow') || entry.name === 'experiment.json' || entry.name === 'summary.json')) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length + 1), readFileSync(path));
    }
  }
  return out;
}

function expectSameTree(a: string, b: string): void {
  const left = arrowTree(a);
  const right = arrowTree(b);
  expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
  for (const [path, bytes] of left) expect(Buffer.compare(bytes, right.get(path) as Buffer), path).toBe(0);
}

async function runAll(file: string, out: string, jobs: number, shard?: string) {
  const config = loadExperiment(file);
  return executeExperiment(config, planExperiment(config), out, { jobs, shard: shard === undefined ? undefined : parseShard(shard) });
}

/** The small experiment and its sequential results, shared by the tests that compare against them. */
let file: string;
let sequential: string;
/** The files of a finished run folder, as the sequential run wrote them. */
let RUN_FILES: string[];

beforeAll(async () => {
  file = smallExperiment();
  sequential = tempDir();
  await runAll(file, sequential, 1);
  RUN_FILES = readdirSync(join(sequential, 'fifo+first-fit-horizon=400000-seed1')).sort();
});

describe('one experiment, three ways', () => {
  it('sequential, 2 worker threads, and 3 shards merged give byte-identical Arrow files and index', async () => {
    const parallel = tempDir();
    const merged = tempDir();
    const parts = [tempDir(), tempDir(), tempDir()];
    await runAll(file, parallel, 2);
    for (const [i, part] of parts.entries()) await runAll(file, part, 1, `${i + 1}/3`);
    mergeResults(merged, parts);
    const runDirs = readdirSync(sequential).filter((e) => e.includes('seed'));
    expect(runDirs).toHaveLength(12);
    expect(arrowTree(sequential).size).toBe(runDirs.length * (RUN_FILES.filter((f) => f.endsWith('.arrow')).length + 1) + 2);
    expectSameTree(sequential, parallel);
    expectSameTree(sequential, merged);
    const index = readArrowRows(join(sequential, 'index.arrow'));
    expect(index.map((r) => r['run_id'])).toEqual(JSON.parse(readFileSync(join(sequential, 'experiment.json'), 'utf8')).runs.map((r: { id: string }) => r.id));
    expect(index[0]).toMatchObject({ run_id: 'fifo+first-fit-horizon=400000-seed1', policy: 'fifo+first-fit', policy_name: 'fifo+first-fit', seed: 1, param_horizon: 400000, param_dimension: null });
    expect(index.at(-1)).toMatchObject({ policy: 'pbf', policy_name: 'priority+best-fit', seed: 2, param_horizon: 800000, param_dimension: 'gpu' });
    const summary = JSON.parse(readFileSync(join(sequential, 'pbf-horizon=800000-dimension=gpu-seed2', 'summary.json'), 'utf8')) as Record<string, number>;
    expect(index.at(-1)?.['wait_p95_s']).toBe(summary['wait_p95_s']);
  });

  it('shards are disjoint, cover every run, and keep plan order', () => {
    const runs = Array.from({ length: 10 }, (_, i) => i);
    const parts = [1, 2, 3].map((i) => selectShard(runs, { index: i, count: 3 }));
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(() => parseShard('0/3')).toThrow(/--shard must be i\/N with 1 ≤ i ≤ N .*"0\/3"/);
    expect(() => parseShard('4/3')).toThrow(/"4\/3"/);
    expect(() => parseShard('two')).toThrow(/"two"/);
  });

  it('merge refuses missing shards and parts of different experiments', async () => {
    const a = tempDir();
    const b = tempDir();
    await runAll(smallExperiment('[1]'), a, 1, '1/2');
    expect(() => mergeResults(tempDir(), [a])).toThrow(/Shards 2\/2 of "small" are missing/);
    await runAll(smallExperiment('[1, 2]'), b, 1, '2/2');
    expect(() => mergeResults(tempDir(), [a, b])).toThrow(/from a different experiment or plan/);
  });
});

describe('resume', () => {
  it('skips runs whose manifest has the same config hash and reruns changed ones', async () => {
    const one = smallExperiment('[1]');
    const out = tempDir();
    expect((await runAll(one, out, 1)).ran).toBe(6);
    const again = await runAll(one, out, 1);
    expect([again.ran, again.skipped]).toEqual([0, 6]);
    writeFileSync(one, readFileSync(one, 'utf8').replace('sample_interval: 3600', 'sample_interval: 7200'));
    expect((await runAll(one, out, 1)).ran).toBe(6);
  });

  it('an interrupted parallel sweep leaves only whole run folders, and resuming gives the uninterrupted results', async () => {
    const outRoot = tempDir();
    const out = join(outRoot, 'small');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'run', file, '--out', outRoot, '--jobs', '2', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let running = true;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => ((running = false), done(code))));
    const visibleRuns = () => (existsSync(out) ? readdirSync(out).filter((e) => e.includes('seed') && !e.startsWith('.')) : []);
    while (running && visibleRuns().length < 2) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted; \d+ runs are finished/);
    const left = readdirSync(out);
    expect(left.filter((e) => e.startsWith('.')), 'no partial folders').toEqual([]);
    expect(left).not.toContain('index.arrow');
    const finished = visibleRuns();
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(12);
    for (const run of finished) expect(readdirSync(join(out, run)).sort()).toEqual(RUN_FILES);
    const resumed = await runAll(file, out, 2);
    expect(resumed.skipped).toBe(finished.length);
    expect(resumed.ran).toBe(12 - finished.length);
    expectSameTree(sequential, out);
  });
});
