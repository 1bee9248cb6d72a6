// The same inputs and seed give byte-identical outputs, alone or interleaved with other runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { runToDirectory } from '../../src/experiment/run.js';
import { loadClusterSpec } from '../../src/model/cluster-spec.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { traceFile } from '../../src/traces/index.js';

const tempDir = useTempDirs('determinism');

const DEFAULT_CLUSTER = fileURLToPath(new URL('../../traces/default/cluster.yaml', import.meta.url));
const DEFAULT_TRACE = fileURLToPath(new URL('../../traces/default/pods.csv', import.meta.url));
const OUTPUTS = ['tasks.arrow', 'timeseries.arrow', 'machines.arrow', 'summary.json'] as const;

interface Inputs {
  readonly cluster: string;
  readonly trace: string;
  readonly policy: string;
  readonly seed: number;
  readonly sampleInterval: number;
  readonly horizon?: number;
}

type Outputs = Record<(typeof OUTPUTS)[number], Buffer>;

async function runOnce(inputs: Inputs): Promise<Outputs> {
  const dir = join(tempDir(), 'run');
  await runToDirectory(
    {
      id: 'run',
      experiment: 'determinism',
      clusterFile: inputs.cluster,
      cluster: loadClusterSpec(inputs.cluster),
      trace: traceFile(inputs.trace),
      controllers: [],
      maxAttempts: 1,
      policy: resolvePolicy(inputs.policy),
      seed: inputs.seed,
      sampleInterval: inputs.sampleInterval,
      horizon: inputs.horizon,
    },
    dir,
  );
  const read = (name: string) => readFileSync(join(dir, name));
  return { 'tasks.arrow': read('tasks.arrow'), 'timeseries.arrow': read('timeseries.arrow'), 'machines.arrow': read('machines.arrow'), 'summary.json': read('summary.json') };
}

function expectSameBytes(a: Outputs, b: Outputs): void {
  for (const name of OUTPUTS) {
    expect(a[name].length, name).toBeGreaterThan(0);
    expect(a[name].equals(b[name]), `${name} differs`).toBe(true);
  }
}

/**
 * A synthetic-ish workload from a fixed linear congruential generator: 6,000 tasks (several
 * trace chunks) over three resources, four tenants, three priorities, a few services and
 * constraints, with bursts of same-instant submissions.
 */
function writeSmallWorkload(dir: string): { cluster: string; trace: string } {
  let state = 12345;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const rows = ['task_id,job_id,tenant,priority,kind,submit,duration,cpu,mem,gpu,constraints'];
  let submit = 0;
  for (let i = 0; i < 6000; i++) {
    if (next(3) !== 0) submit += next(4000) / 1000;
    const service = next(200) === 0;
    const constraints = ['', '', '', '', 'zone=a', 'zone!=a', 'class=gpu|big'][next(7)] as string;
    const gpu = next(4) === 0 ? 1000 * (1 + next(2)) : 0;
    rows.push([`t${i}`, `j${i >> 3}`, `team${next(4)}/svc${next(2)}`, next(3), service ? 'service' : 'batch', submit.toFixed(3), service ? '' : (1 + next(90000) / 1000).toFixed(3), 500 * (1 + next(8)), 1024 * (1 + next(16)), gpu, constraints].join(','));
  }
  const cluster = join(dir, 'cluster.yaml');
  const trace = join(dir, 'trace.csv');
  writeFileSync(
    cluster,
    `resources:
  cpu: { unit: millicore }
  mem: { unit: MiB }
  gpu: { unit: milliGPU }
groups:
  - name: small
    count: 5
    capacity: { cpu: 8000, mem: 32768 }
    attributes: { zone: a, class: cpu }
  - name: gpu
    count: 3
    capacity: { cpu: 16000, mem: 65536, gpu: 4000 }
    speed: 1.25
    attributes: { zone: b, class: gpu }
  - name: big
    count: 2
    capacity: { cpu: 32000, mem: 131072, gpu: 2000 }
    speed: 0.8
    attributes: { zone: a, class: big }
`,
  );
  writeFileSync(trace, `${rows.join('\n')}\n`);
  return { cluster, trace };
}

describe('determinism on the default trace', () => {
  const base: Inputs = { cluster: DEFAULT_CLUSTER, trace: DEFAULT_TRACE, policy: 'fifo+random', seed: 7, sampleInterval: 600 };
  let first: Outputs;
  beforeAll(async () => {
    first = await runOnce(base);
  });

  it('fifo+random seed 7 twice gives byte-identical Arrow files and summary', async () => {
    expectSameBytes(first, await runOnce(base));
  });

  it('another seed changes where fifo+random places tasks', async () => {
    const other = await runOnce({ ...base, seed: 8 });
    expect(other['tasks.arrow'].equals(first['tasks.arrow'])).toBe(false);
    // the machines table has the same shape but different busy time
    expect(other['machines.arrow'].equals(first['machines.arrow'])).toBe(false);
  });

  it('two runs interleaved in one process give the same bytes as one alone', async () => {
    const [a, b] = await Promise.all([runOnce(base), runOnce({ ...base, policy: 'priority+random', seed: 3 })]);
    expectSameBytes(a, first);
    expectSameBytes(b, await runOnce({ ...base, policy: 'priority+random', seed: 3 }));
  });
});

describe('determinism on a multi-chunk workload with tenants, services and constraints', () => {
  let files: { cluster: string; trace: string };
  beforeAll(() => {
    files = writeSmallWorkload(tempDir());
  });

  for (const policy of ['priority+random', 'fifo+best-fit', 'priority+worst-fit'] as const) {
    it(`${policy}: the same run twice is byte-identical, also with a horizon`, async () => {
      const inputs: Inputs = { ...files, policy, seed: 11, sampleInterval: 30 };
      const sequential = [await runOnce(inputs), await runOnce(inputs)];
      expectSameBytes(sequential[0] as Outputs, sequential[1] as Outputs);
      const summary = JSON.parse((sequential[0] as Outputs)['summary.json'].toString('utf8')) as Record<string, number | null>;
      expect(summary['tasks']).toBe(6000);
      expect(summary['running_at_end']).toBeGreaterThan(0); // the services
      const cut = { ...inputs, horizon: 2000 };
      expectSameBytes(await runOnce(cut), await runOnce(cut));
    });
  }

  it('runs interleaved with Promise.all match the same runs done one after another', async () => {
    const inputs = (policy: string, seed: number): Inputs => ({ ...files, policy, seed, sampleInterval: 30 });
    const plans = [inputs('priority+random', 1), inputs('priority+random', 2), inputs('fifo+first-fit', 1)];
    const together = await Promise.all(plans.map((p) => runOnce(p)));
    for (const [i, plan] of plans.entries()) expectSameBytes(together[i] as Outputs, await runOnce(plan));
    // and the two seeds of the random placement really differ
    expect((together[0] as Outputs)['tasks.arrow'].equals((together[1] as Outputs)['tasks.arrow'])).toBe(false);
  });
});
