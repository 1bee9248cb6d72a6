// The bundled power experiments load and plan: their cluster's power models, policies and controllers resolve.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/config.js';
import { planExperiment } from '../../src/experiment/runner.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const root = join(import.meta.dirname, '..', '..', 'experiments');

describe('power experiments', () => {
  it('power-elektron plans seven runs on a cluster with power models and a PUE', () => {
    const runs = planExperiment(loadExperiment(join(root, 'power-elektron.yaml')));
    expect(runs).toHaveLength(7);
    const cluster = runs[0]?.plan.cluster;
    expect(cluster?.pue).toBe(1.5);
    expect(cluster?.groups.every((g) => g.power !== undefined)).toBe(true);
  });

  it('power-capping plans two runs with Progressive Extrema', () => {
    const runs = planExperiment(loadExperiment(join(root, 'power-capping.yaml')));
    expect(runs.map((r) => r.plan.controllers.map((c) => c.name))).toEqual([['progressive-extrema'], ['progressive-extrema']]);
  });
});

describe('power experiment errors', () => {
  const dirs = useTempDirs('power-experiments');
  it('a task profile for a power class the cluster lacks fails at planning, at the options\' line', () => {
    const dir = dirs();
    const file = join(dir, 'exp.yaml');
    writeFileSync(
      file,
      `name: bad\ncluster: ${join(root, '..', 'traces', 'power', 'cluster.yaml')}\ntrace: ${join(root, '..', 'traces', 'default', 'pods.csv')}\npolicies:\n  - name: elektron-bin-packing\n    options: { task_watts: { "*": { watts: 50, class_watts: { gpu-huge: 90 } } } }\nseeds: [1]\n`,
    );
    expect(() => planExperiment(loadExperiment(file))).toThrow(/exp\.yaml:6:\d+: field "policies\[0\]\.options": Option "task_watts" of policy "elektron-bin-packing" names power class "gpu-huge", which no machine has \(attribute "class": cpu, gpu-large, gpu-medium, gpu-small\)/);
  });
});
