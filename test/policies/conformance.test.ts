// Runs the conformance suite on every registered policy and checks the registry and the harness itself.
import { describe, expect, it } from 'vitest';
import { describeRegistry, policyNames, resolvePolicy } from '../../policies/index.js';
import { isInputError } from '../../src/errors.js';
import type { TaskView } from '../../src/model/task.js';
import type { OptionSpec, Policy } from '../../src/policy.js';
import { machines, PolicyHarness } from '../helpers/policy-fixtures.js';
import { CONFIGURED, runPolicyConformance } from './conformance.js';

for (const name of policyNames()) runPolicyConformance(name, () => resolvePolicy(name));
for (const [name, options] of CONFIGURED) runPolicyConformance(`${name} ${JSON.stringify(options)}`, () => resolvePolicy(name, options));

/** The options a registered policy name accepts, from the registry's own description. */
function optionsOf(name: string): Record<string, OptionSpec> {
  const parts = describeRegistry();
  const composite = parts.find((p) => p.kind === 'composite' && p.name === name);
  if (composite !== undefined) return { ...composite.options };
  const [order, placement] = name.split('+');
  const o = parts.find((p) => p.kind === 'queue order' && p.name === order);
  const p = parts.find((q) => q.kind === 'placement' && q.name === placement);
  if (o === undefined || p === undefined) throw new Error(`Cannot find the parts of ${name}`);
  return { ...o.options, ...p.options };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected an error');
}

describe('policy registry', () => {
  it('policyNames() lists unique names, including every baseline pair', () => {
    const names = policyNames();
    expect(new Set(names).size).toBe(names.length);
    for (const order of ['fifo', 'priority']) {
      for (const placement of ['first-fit', 'best-fit', 'worst-fit', 'random']) expect(names).toContain(`${order}+${placement}`);
    }
  });

  it('resolvePolicy(name) gives a policy of that name with every option at its default', () => {
    for (const name of policyNames()) {
      const policy = resolvePolicy(name);
      expect(policy.name).toBe(name);
      const defaults = Object.fromEntries(Object.entries(optionsOf(name)).map(([key, spec]) => [key, spec.default]));
      expect(policy.options).toEqual(defaults);
    }
  });

  it('resolvePolicy() keeps given options and makes a fresh scheduler per run', () => {
    const policy = resolvePolicy('fifo+random', { tries: 3 });
    expect(policy.options).toEqual({ tries: 3 });
    const a = new PolicyHarness(machines(['cpu'], [[10]]), policy);
    const b = new PolicyHarness(machines(['cpu'], [[10]]), policy);
    a.submit({ demand: [1] });
    expect(b.round()).toEqual([]);
    expect(a.round()).toHaveLength(1);
  });

  it.each(['nope', 'fifo+nope', 'nope+first-fit', 'fifo', 'fifo+first-fit+best-fit', '', 'FIFO+first-fit'])('an unknown name %j is an input error listing the valid names', (name) => {
    const error = thrown(() => resolvePolicy(name));
    expect(isInputError(error)).toBe(true);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain(JSON.stringify(name));
    for (const part of describeRegistry().filter((p) => p.kind !== 'controller')) expect(error.message).toContain(part.name);
  });

  it('an unknown name error carries its location', () => {
    const error = thrown(() => resolvePolicy('nope', {}, { file: 'exp.yaml', line: 7, column: 5, field: 'policies[1]' }));
    expect(error.message).toMatch(/^exp\.yaml:7:5: field "policies\[1\]": Unknown policy "nope"/);
  });

  it('an unknown option is an input error listing the valid options', () => {
    for (const name of policyNames()) {
      const error = thrown(() => resolvePolicy(name, { colour: 'red' }, { file: 'exp.yaml', line: 3, field: 'policies[0].options' }));
      expect(isInputError(error)).toBe(true);
      expect(error.message).toContain('"colour"');
      expect(error.message).toContain('exp.yaml:3: field "policies[0].options.colour"');
      const valid = Object.keys(optionsOf(name));
      if (valid.length === 0) expect(error.message).toMatch(/takes no options/);
      for (const option of valid) expect(error.message).toContain(option);
    }
  });

  it('an option of the wrong type or out of range is an input error naming option and value', () => {
    let checked = 0;
    for (const name of policyNames()) {
      for (const [key, spec] of Object.entries(optionsOf(name))) {
        const bad: unknown[] =
          spec.type === 'string' ? [5, true, null] :
          spec.type === 'boolean' ? ['yes', 1] :
          spec.type === 'integer' ? ['x', 1.5, Infinity, null] :
          ['x', NaN, null];
        if (spec.min !== undefined) bad.push(spec.min - 1);
        for (const value of bad) {
          const error = thrown(() => resolvePolicy(name, { [key]: value }));
          expect(isInputError(error)).toBe(true);
          expect(error).toBeInstanceOf(TypeError);
          expect(error.message).toContain(`"${key}"`);
          expect(error.message).toContain(String(JSON.stringify(value) ?? value));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('describeRegistry() documents every part with a description, a cost and option defaults of the declared type', () => {
    for (const part of describeRegistry()) {
      expect(part.description.length).toBeGreaterThan(0);
      expect(part.cost.length).toBeGreaterThan(0);
      for (const spec of Object.values(part.options)) {
        if (spec.type === 'array') expect(Array.isArray(spec.default)).toBe(true);
        else expect(typeof spec.default).toBe(spec.type === 'integer' ? 'number' : spec.type);
        expect(spec.description.length).toBeGreaterThan(0);
      }
    }
  });
});

/** A policy that makes the decisions `decide` returns, whatever they are: to prove the harness catches bad ones. */
function rogue(decide: (pending: readonly TaskView[]) => [TaskView, number][]): Policy {
  return {
    name: 'rogue',
    options: {},
    create: () => {
      const pending: TaskView[] = [];
      return {
        submitted: (task) => pending.push(task),
        removed: () => {},
        schedule: (out) => {
          for (const [task, m] of decide(pending)) out.place(task, m);
        },
      };
    },
  };
}

describe('PolicyHarness (the conformance checker)', () => {
  const spec = machines(['cpu', 'mem'], [[10, 10], [10, 10]]);

  it('rejects an over-commit', () => {
    const h = new PolicyHarness(spec, rogue((p) => p.map((t) => [t, 0])));
    h.submit({ demand: [6, 1] });
    h.submit({ demand: [6, 1] });
    expect(() => h.round()).toThrow(/over-commits cpu/);
  });

  it('rejects placing a task twice', () => {
    const h = new PolicyHarness(spec, rogue((p) => p.flatMap((t) => [[t, 0], [t, 1]] as [typeof t, number][])));
    h.submit({ demand: [1, 1] });
    expect(() => h.round()).toThrow(/already placed/);
  });

  it('rejects an unknown slot, a down machine, a non-pending task and broken constraints', () => {
    const unknown = new PolicyHarness(spec, rogue((p) => p.map((t) => [t, 2])));
    unknown.submit({ demand: [1, 1] });
    expect(() => unknown.round()).toThrow(/unknown slot/);
    const down = new PolicyHarness(spec, rogue((p) => p.map((t) => [t, 1])));
    down.setUp(1, false);
    down.submit({ demand: [1, 1] });
    expect(() => down.round()).toThrow(/down/);
    const stale = new PolicyHarness(spec, rogue((p) => p.map((t) => [t, 0])));
    stale.withdraw(stale.submit({ demand: [1, 1] }));
    expect(() => stale.round()).toThrow(/not pending/);
    const constrained = new PolicyHarness(machines(['cpu'], [[10]], [{ zone: 'a' }]), rogue((p) => p.map((t) => [t, 0])));
    constrained.submit({ demand: [1], constraints: [{ attribute: 'zone', op: 'ne', values: ['a'] }] });
    expect(() => constrained.round()).toThrow(/constraints/);
  });
});
