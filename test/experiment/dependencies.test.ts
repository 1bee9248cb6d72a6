// The dependency gate: held until every key completes; a key completes after `of` tasks end for good.
import { describe, expect, it } from 'vitest';
import { DependencyGate } from '../../src/experiment/dependencies.js';
import { NONE } from '../../src/model/constraints.js';
import type { TaskSpec } from '../../src/model/task.js';

const spec = (id: string, after?: string[]): TaskSpec => ({ id, job: 'j', tenant: 't', priority: 0, kind: 'batch', submit: 0, duration: 1, demand: new Float64Array(1), constraints: NONE, after });

describe('DependencyGate', () => {
  it('admits a task whose keys completed, holds one whose keys did not, and frees it when the last completes', () => {
    const gate = new DependencyGate();
    expect(gate.ended({ key: 'a', of: 1 })).toEqual([]);
    expect(gate.admits(spec('x', ['a']))).toBe(true);
    const y = spec('y', ['a', 'b', 'c']);
    const z = spec('z', ['b']);
    expect(gate.admits(y)).toBe(false);
    expect(gate.admits(z)).toBe(false);
    expect(gate.ended({ key: 'b', of: 2 })).toEqual([]);
    expect(gate.ended({ key: 'b', of: 2 })).toEqual([z]);
    expect(gate.held()).toEqual([y]);
    expect(gate.ended({ key: 'c', of: 1 })).toEqual([y]);
    expect(gate.held()).toEqual([]);
  });
});
