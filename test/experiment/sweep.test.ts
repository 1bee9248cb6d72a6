// Experiment files with sweeps: the cartesian product, exclude/include, run ids, and located errors with suggestions.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadExperiment } from '../../src/experiment/config.js';
import { planExperiment } from '../../src/experiment/runner.js';
import { editDistance, nearest } from '../../src/suggest.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('sweep');

const CLUSTER = 'resources:\n  cpu: { unit: millicore }\n  mem: { unit: MiB }\ngroups:\n  - name: small\n    count: 2\n    capacity: { cpu: 4000, mem: 8192 }\n';
const TRACE = 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,5,2000,2048\n';

function experimentFile(body: string, ext = 'yaml'): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
  writeFileSync(join(dir, 'trace.csv'), TRACE);
  const file = join(dir, `exp.${ext}`);
  writeFileSync(file, body);
  return file;
}

const HEAD = 'name: s\ncluster: cluster.yaml\ntrace: trace.csv\npolicies:\n  - fifo+first-fit\n  - { name: fifo+best-fit, label: best }\nseeds: [1, 2]\n';

const ids = (file: string) => planExperiment(loadExperiment(file)).map((r) => r.plan.id);

describe('sweep expansion', () => {
  it('without a sweep, runs are policies × seeds named <label>-seed<N>', () => {
    expect(ids(experimentFile(HEAD))).toEqual(['fifo+first-fit-seed1', 'fifo+first-fit-seed2', 'best-seed1', 'best-seed2']);
  });

  it('a top-level axis multiplies every policy; a policy axis only its own policy; first axis outermost', () => {
    const file = experimentFile(`${HEAD}sweep:\n  horizon: [100, 200]\n  policies.best.options.dimension: [cpu, dominant]\n`);
    expect(ids(file)).toEqual([
      'fifo+first-fit-horizon=100-seed1', 'fifo+first-fit-horizon=100-seed2', 'fifo+first-fit-horizon=200-seed1', 'fifo+first-fit-horizon=200-seed2',
      'best-horizon=100-dimension=cpu-seed1', 'best-horizon=100-dimension=cpu-seed2', 'best-horizon=100-dimension=dominant-seed1', 'best-horizon=100-dimension=dominant-seed2',
      'best-horizon=200-dimension=cpu-seed1', 'best-horizon=200-dimension=cpu-seed2', 'best-horizon=200-dimension=dominant-seed1', 'best-horizon=200-dimension=dominant-seed2',
    ]);
    const runs = planExperiment(loadExperiment(file));
    const run = runs.find((r) => r.plan.id === 'best-horizon=200-dimension=cpu-seed2');
    expect(run?.plan.horizon).toBe(200);
    expect(run?.plan.policy.options['dimension']).toBe('cpu');
    expect(run?.params).toEqual({ horizon: 200, 'policies.best.options.dimension': 'cpu' });
  });

  it('exclude drops matching points; include adds points outside the product once', () => {
    const file = experimentFile(`${HEAD}seeds: [1]\nsweep:\n  horizon: [100, 200]\n  sample_interval: [10, 20]\nexclude:\n  - { horizon: 200, sample_interval: 20 }\n  - { policy: best, horizon: 100 }\ninclude:\n  - { horizon: 300, sample_interval: 30, policy: best }\n  - { horizon: 100, sample_interval: 10 }\n`.replace('seeds: [1, 2]\n', ''));
    expect(ids(file)).toEqual([
      'fifo+first-fit-horizon=100-sample_interval=10-seed1', 'fifo+first-fit-horizon=100-sample_interval=20-seed1', 'fifo+first-fit-horizon=200-sample_interval=10-seed1',
      'best-horizon=200-sample_interval=10-seed1', 'best-horizon=300-sample_interval=30-seed1', 'best-horizon=100-sample_interval=10-seed1',
    ]);
  });

  it('controller and trace-format options are axes too; deeper keys change one entry of a map option', () => {
    const file = experimentFile(`${HEAD.replace('trace: trace.csv', 'trace: { path: trace.csv, options: { mix: { a: 1, b: 2 } } }')}controllers:\n  - { name: cap, options: { watts: 100 } }\nsweep:\n  controllers.cap.options.watts: [100, 200]\n  trace.options.mix.b: [5]\n`);
    const points = loadExperiment(file).points;
    expect(points.map((p) => p.id)).toEqual(['fifo+first-fit-watts=100-b=5', 'fifo+first-fit-watts=200-b=5', 'best-watts=100-b=5', 'best-watts=200-b=5']);
    expect(points[1]?.controllers[0]?.options).toEqual({ watts: 200 });
    expect(points[1]?.trace.options).toEqual({ mix: { a: 1, b: 5 } });
  });

  it('axis names are the shortest unique suffix; non-scalar values fold into readable ids; JSON files work too', () => {
    const file = experimentFile(JSON.stringify({
      name: 's', cluster: 'cluster.yaml', trace: { path: 'trace.csv', options: {} }, policies: ['fifo+random'], seeds: [7],
      sweep: { 'policies.fifo+random.options.tries': [4, 8], max_attempts: [1, 2] },
    }), 'json');
    expect(ids(file)).toEqual(['fifo+random-tries=4-max_attempts=1-seed7', 'fifo+random-tries=4-max_attempts=2-seed7', 'fifo+random-tries=8-max_attempts=1-seed7', 'fifo+random-tries=8-max_attempts=2-seed7']);
  });
});

describe('clustersim run --list', () => {
  it('prints the run ids of the plan, or of one shard, and runs nothing', async () => {
    const file = experimentFile(`${HEAD}sweep:\n  horizon: [100, 200]\n`);
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    try {
      expect(await main(['run', file, '--list', '--shard', '2/3', '--out', join(tempDir(), 'never')])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    expect(out).toBe('fifo+first-fit-horizon=100-seed2\nbest-horizon=100-seed1\nbest-horizon=200-seed2\n');
  });
});

describe('located errors with the nearest valid name', () => {
  const error = (body: string) => {
    try {
      ids(experimentFile(body));
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('a misspelt top-level field names file, line and the nearest field', () => {
    expect(error(`${HEAD}sample_intervall: 5\n`)).toMatch(/exp\.yaml:8:\d+: field "sample_intervall": unknown field "sample_intervall" \(did you mean "sample_interval"\?/);
  });

  it('a misspelt policy name suggests the nearest registered one', () => {
    expect(error(HEAD.replace('fifo+first-fit', 'fifo+frist-fit'))).toMatch(/exp\.yaml:5:5: .*Unknown policy "fifo\+frist-fit".*did you mean "fifo\+first-fit"\?/);
  });

  it('a misspelt option suggests the nearest option of that policy', () => {
    expect(error(HEAD.replace('label: best', 'label: best, options: { dimenson: cpu }'))).toMatch(/exp\.yaml:6:.*has no option "dimenson".*did you mean "dimension"\?/);
  });

  it('a misspelt trace format suggests the nearest registered one', () => {
    expect(error(HEAD.replace('trace: trace.csv', 'trace: { format: natve, path: trace.csv }'))).toMatch(/exp\.yaml:3:.*Unknown trace format "natve" \(did you mean "native"\?\)/);
  });

  it('a sweep axis over an unknown policy label suggests the nearest label, at the axis line', () => {
    expect(error(`${HEAD}sweep:\n  policies.bset.options.dimension: [cpu]\n`)).toMatch(/exp\.yaml:9:.*no policy label "bset".*did you mean "best"\?/);
  });

  it('a sweep axis over an unknown root field suggests the nearest', () => {
    expect(error(`${HEAD}sweep:\n  horizn: [1]\n`)).toMatch(/exp\.yaml:9:.*"horizn" is not a field a sweep can vary.*did you mean "horizon"\?/);
  });

  it('a bad swept value fails naming the sweep point', () => {
    expect(error(`${HEAD}sweep:\n  horizon: [100, -1]\n`)).toMatch(/in sweep point fifo\+first-fit-horizon=-1: .*exp\.yaml:.*horizon.*-1/);
  });

  it('a misspelt option in a sweep axis names the sweep point and suggests the option', () => {
    expect(error(`${HEAD}sweep:\n  policies.best.options.dimenson: [cpu]\n`)).toMatch(/^in sweep point best-dimenson=cpu: .*exp\.yaml:6:.*has no option "dimenson" \(did you mean "dimension"\?\)/);
  });

  it('an exclude key that is not an axis suggests the nearest axis', () => {
    expect(error(`${HEAD}sweep:\n  horizon: [100]\nexclude:\n  - { horizn: 100 }\n`)).toMatch(/exp\.yaml:11:.*not a sweep axis.*did you mean "horizon"\?/);
  });

  it('values that fold to the same run id are an error, not a silent overwrite', () => {
    expect(error(`${HEAD}sweep:\n  trace.options.x: ["a b", "a_b"]\n`)).toMatch(/both give the run id "fifo\+first-fit-x=a_b"/);
  });
});

describe('nearest name', () => {
  it('counts an adjacent swap as one edit and gives up beyond a third of the length', () => {
    expect(editDistance('frist', 'first')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('drff', ['fifo', 'drf'])).toBe('drf');
    expect(nearest('zzzzzz', ['fifo', 'drf'])).toBeUndefined();
  });
});
