// The Slurm and Kubernetes templates turn each system's array index into the right --shard, checked by running their commands against stubs.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('templates');
const DIR = resolve(import.meta.dirname, '../../experiments/cluster');

/** A folder with stub `npx` and `node` commands that print their arguments instead of running anything. */
function stubs(): string {
  const bin = tempDir();
  for (const name of ['npx', 'node']) {
    writeFileSync(join(bin, name), '#!/bin/sh\necho "$@"\n');
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

function sh(command: string, args: string[], env: Record<string, string>): string {
  const r = spawnSync(command, args, { env: { ...process.env, ...env, PATH: `${stubs()}:${process.env['PATH'] ?? ''}` }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

interface JobSpec {
  spec: { completionMode?: string; completions?: number; template: { spec: { containers: { args: string[]; env: { name: string; value: string }[] }[] } } };
}

describe('cluster templates', () => {
  it('Slurm: array task i of N runs shard i/N with the task’s CPUs into shards/<i>', () => {
    const out = sh('bash', [join(DIR, 'slurm-array.sh'), 'experiments/my-study.yaml'], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8', SLURM_CPUS_PER_TASK: '4' });
    expect(out).toBe('clustersim run experiments/my-study.yaml --shard 3/8 --jobs 4 --out shards/3 --quiet');
    expect(sh('bash', [join(DIR, 'slurm-merge.sh'), 'my-study'], {}).split('\n')[0]).toMatch(/^clustersim merge results\/my-study shards\/\*\/my-study$/);
  });

  it('Kubernetes: an Indexed Job whose pod k runs shard k+1/N', () => {
    const job = parse(readFileSync(join(DIR, 'k8s-indexed-job.yaml'), 'utf8')) as JobSpec;
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0] as JobSpec['spec']['template']['spec']['containers'][number];
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(Number(env['SHARDS'])).toBe(job.spec.completions);
    const out = sh('sh', ['-c', container.args[0] as string], { ...env, JOB_COMPLETION_INDEX: '0' });
    expect(out).toBe(`dist/src/cli/bin.js run experiments/my-study.yaml --shard 1/${job.spec.completions} --out /results/shards/1 --quiet`);
    const merge = parse(readFileSync(join(DIR, 'k8s-merge-job.yaml'), 'utf8')) as JobSpec;
    const m = merge.spec.template.spec.containers[0] as JobSpec['spec']['template']['spec']['containers'][number];
    expect(sh('sh', ['-c', m.args[0] as string], Object.fromEntries(m.env.map((e) => [e.name, e.value])))).toBe('dist/src/cli/bin.js merge /results/my-study /results/shards/*/my-study\ndist/src/cli/bin.js report /results/my-study');
  });
});
