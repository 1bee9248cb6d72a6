// Bad DRF and Mesos options are input errors naming the option and the value, before any run starts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { resolvePolicy } from '../../../policies/index.js';
import { checkPolicy } from '../../../src/experiment/runner.js';
import { isInputError } from '../../../src/errors.js';
import { machines, PolicyHarness } from '../../helpers/policy-fixtures.js';

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isInputError(error), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error('Expected an input error');
}

const CLUSTER = machines(['cpu', 'mem'], [[10, 10]]);
const check = (name: string, options: Record<string, unknown>) => checkPolicy(resolvePolicy(name, options), CLUSTER, {});

describe.each(['drf+first-fit', 'mesos'])('%s options', (name) => {
  it('rejects non-positive and non-numeric weights, naming the role and value', () => {
    expect(failure(() => resolvePolicy(name, { weights: { a: 0 } })).message).toMatch(/weights.*role "a" must be a number > 0, got 0/);
    expect(failure(() => resolvePolicy(name, { weights: { 'a/b': -2 } })).message).toMatch(/"a\/b".*got -2/);
    expect(failure(() => resolvePolicy(name, { weights: { a: 'x' } })).message).toMatch(/got "x"/);
  });

  it('rejects malformed role paths', () => {
    for (const path of ['', 'a//b', '/a', 'a/', 'a/./b', 'a b']) expect(failure(() => resolvePolicy(name, { weights: { [path]: 1 } })).message).toMatch(/role path|empty/);
  });

  it('rejects weights for roles outside the declared roles, but accepts their ancestors', () => {
    expect(failure(() => check(name, { roles: ['eng/a', 'ops'], weights: { eng: 2, sales: 3 } })).message).toMatch(/names role "sales", which is neither one of the declared roles \(eng\/a, ops\) nor an ancestor/);
    expect(() => check(name, { roles: ['eng/a', 'ops'], weights: { eng: 2, 'eng/a': 3 } })).not.toThrow();
  });

  it('rejects a task whose tenant is not a declared role', () => {
    const h = new PolicyHarness(CLUSTER, resolvePolicy(name, { roles: ['a'] }));
    h.submit({ tenant: 'a', demand: [1, 1] });
    expect(failure(() => h.submit({ tenant: 'b', demand: [1, 1] })).message).toMatch(/Tenant "b" of the trace is not one of the roles declared/);
  });

  it('rejects excluded resources the cluster does not have', () => {
    expect(failure(() => check(name, { exclude: ['gpu'] })).message).toMatch(/"exclude".*"gpu", which the cluster does not have \(resources: cpu, mem\)/);
  });

  it('rejects quota on nested roles and on resources the cluster does not have', () => {
    expect(failure(() => resolvePolicy(name, { quota: { 'a/b': { limits: { cpu: 1 } } } })).message).toMatch(/only for top-level roles/);
    expect(failure(() => check(name, { quota: { a: { guarantees: { disk: 1 } } } })).message).toMatch(/guarantees of role "a".*"disk"/);
  });

  it('rejects an unknown tie-break', () => {
    expect(failure(() => resolvePolicy(name, { tie_break: 'random' })).message).toMatch(/one of mesos, paper, got "random"/);
  });
});

describe('mesos quota and offer options', () => {
  it('rejects quota on nested roles, unknown fields, negative quantities and unknown resources', () => {
    expect(failure(() => resolvePolicy('mesos', { quota: { 'a/b': { limits: { cpu: 1 } } } })).message).toMatch(/only for top-level roles/);
    expect(failure(() => resolvePolicy('mesos', { quota: { a: { guarantee: { cpu: 1 } } } })).message).toMatch(/unknown field "guarantee"/);
    expect(failure(() => resolvePolicy('mesos', { quota: { a: { limits: { cpu: -1 } } } })).message).toMatch(/a\.limits\.cpu must be a quantity ≥ 0, got -1/);
    expect(failure(() => check('mesos', { quota: { a: { limits: { disk: 1 } } } })).message).toMatch(/limits of role "a".*"disk"/);
  });

  it('rejects a zero allocation interval, negative refuse_seconds and min_allocatable sets naming unknown resources', () => {
    expect(failure(() => resolvePolicy('mesos', { allocation_interval: 0 })).message).toMatch(/allocation_interval.*> 0 seconds, got 0/);
    expect(failure(() => resolvePolicy('mesos', { refuse_seconds: -1 })).message).toMatch(/refuse_seconds/);
    expect(failure(() => check('mesos', { min_allocatable: [{ cpus: 0.01 }] })).message).toMatch(/set 0 names resource "cpus"/);
  });
});

describe('through the CLI', () => {
  const temp = useTempDirs('drf-options');

  it('a non-positive weight exits with code 2, a one-line message naming the field and value, and no run folder', async () => {
    const out = join(temp(), 'run');
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      const code = await main(['simulate', '--cluster', 'traces/drf-paper/cluster.yaml', '--trace', 'traces/drf-paper/trace.csv', '--policy', 'drf+first-fit', '--policy-options', '{"weights":{"A":0}}', '--out', out]);
      expect(code).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
    expect(stderr.trim()).toBe('clustersim: field "--policy-options.weights": Option "weights" of policy "drf+first-fit": the weight of role "A" must be a number > 0, got 0');
    expect(existsSync(out)).toBe(false);
  });
});
