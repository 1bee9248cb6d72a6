// End-to-end replays of real traces: NASA iPSC and LLNL Atlas SWF logs with pinned summaries; Google machine events killing and retrying tasks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { runToDirectory } from '../../src/experiment/run.js';
import { defaultClusterOf, traceFile, type TraceRef } from '../../src/traces/index.js';
import { readArrowRows } from '../helpers/arrow.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('replay');

async function replay(trace: TraceRef, policy = 'fifo+first-fit', maxAttempts = 1) {
  const cluster = defaultClusterOf(trace);
  const dir = join(tempDir(), 'run');
  const outcome = await runToDirectory(
    { id: 'r', experiment: 'replay', clusterFile: cluster.file, cluster, trace, policy: resolvePolicy(policy), controllers: [], maxAttempts, seed: 1, sampleInterval: 3600 },
    dir,
  );
  return { summary: outcome.summary, dir, report: outcome.traceReport };
}

const pick = (summary: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, summary[k]]));
const KEYS = ['tasks', 'finished', 'unschedulable', 'start_s', 'end_s', 'makespan_s', 'wait_mean_s', 'wait_p95_s', 'utilisation_cpu', 'tenants'] as const;

describe('SWF logs end to end on their header-sized machine', () => {
  it('NASA iPSC/860: 18,239 jobs on 128 processors', async () => {
    const { summary } = await replay(traceFile('traces/swf/NASA-iPSC-1993-3.1-cln.swf', 'swf'));
    expect(pick(summary, KEYS)).toEqual(NASA);
  });

  it('LLNL Atlas: 39,207 jobs with processors on 9,216 processors', async () => {
    const { summary, report } = await replay(traceFile('traces/swf/LLNL-Atlas-2006-2.1-cln.swf.gz', 'swf'));
    expect(pick(summary, KEYS)).toEqual(LLNL);
    expect(report?.dropped).toEqual({ 'jobs with unknown processor count': 4571 });
  });
});

describe('Google machine events in a run', () => {
  /** One task of 100 s on machine 1, which leaves at 50 s; machine 2 joins at 60 s (hand-made rows). */
  function googleFolder(): string {
    const dir = tempDir();
    writeFileSync(join(dir, 'task_events.csv'), '0,,7,0,,0,u,0,5,0.25,0.25,,0\n0,,7,0,1,1,u,0,5,,,,\n100000000,,7,0,1,4,u,0,5,,,,\n');
    writeFileSync(join(dir, 'machine_events.csv'), '0,1,0,P,0.5,0.5\n50000000,1,1,,,\n60000000,2,0,P,0.5,0.5\n');
    return dir;
  }

  it('kills the task on the removed machine and retries it on the machine that joins, per max_attempts', async () => {
    const { dir } = await replay(traceFile(googleFolder(), 'google-2011'), 'fifo+first-fit', 2);
    const rows = readArrowRows(join(dir, 'tasks.arrow')).map((r) => [r['task_id'], r['attempt'], r['state'], r['submit_s'], r['start_s'], r['end_s'], r['machine_id']]);
    expect(rows).toEqual([
      ['7:0', 0, 'killed', 0, 0, 50, '1'],
      ['7:0', 1, 'finished', 50, 60, 160, '2'],
    ]);
    const machines = readArrowRows(join(dir, 'machines.arrow')).map((r) => [r['machine_id'], r['added_s'], r['removed_s']]);
    expect(machines).toEqual([['1', 0, 50], ['2', 60, null]]);
  });

  it('gives up after one attempt by default', async () => {
    const { dir } = await replay(traceFile(googleFolder(), 'google-2011'));
    const rows = readArrowRows(join(dir, 'tasks.arrow')).map((r) => [r['task_id'], r['attempt'], r['state']]);
    expect(rows).toEqual([['7:0', 0, 'killed']]);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).trace_report).toEqual({ skipped: 0, firstSkipped: [], dropped: {} });
  });
});

// Pinned from the first replay: FIFO on one space-shared machine; NASA has no wait data in the log (submit = start),
// so its small simulated waits come only from jobs that overlapped the 128 processors.
const NASA = {
  tasks: 18239,
  finished: 18239,
  unschedulable: 0,
  start_s: 0,
  end_s: 7949022,
  makespan_s: 7949022,
  wait_mean_s: 4.028071714458029,
  wait_p95_s: 0,
  utilisation_cpu: 0.4660931234292093,
  tenants: 69,
};
const LLNL = {
  tasks: 39207,
  finished: 39207,
  unschedulable: 0,
  start_s: 3279379,
  end_s: 19951060,
  makespan_s: 16671681,
  wait_mean_s: 7.95289106537098,
  wait_p95_s: 0,
  utilisation_cpu: 0.7034470781516506,
  tenants: 129,
};
