// The Progressive Extrema rule by hand: first caps, halving to the floor, doubling back with ties by id.
import { describe, expect, it } from 'vitest';
import { ProgressiveExtremaRule } from '../../policies/capping/progressive-extrema-rule.js';
import { MeanWindow } from '../../policies/capping/window.js';

describe('progressive extrema', () => {
  it('caps fresh nodes, halves caps down to the floor, then doubles the lowest back up', () => {
    const rule = new ProgressiveExtremaRule(400, 100, 50, 12.5);
    const nodes = [
      { id: 'n2', watts: 200 },
      { id: 'n1', watts: 300 },
    ];
    const act = (mean: number) => {
      const a = rule.tick(mean, nodes);
      return a === null ? null : `${a.kind} ${a.id} ${a.pct}`;
    };
    // at hi exactly (≥, where Extrema needs >); the hungriest node still above the floor is halved first
    expect([act(400), act(500), act(500), act(500), act(500), act(500), act(500)]).toEqual(['cap n1 50', 'cap n2 50', 'cap n1 25', 'cap n1 12.5', 'cap n2 25', 'cap n2 12.5', null]);
    expect(act(250)).toBeNull();
    expect([act(50), act(50), act(50), act(50), act(50), act(50), act(50)]).toEqual(['uncap n1 25', 'uncap n2 25', 'uncap n1 50', 'uncap n2 50', 'uncap n1 100', 'uncap n2 100', null]);
    expect(act(500)).toBe('cap n1 50');
  });

  it('averages over however many samples exist, up to the window', () => {
    const w = new MeanWindow(3);
    w.push(3);
    expect(w.mean).toBe(3);
    w.push(6);
    w.push(9);
    w.push(12);
    expect(w.mean).toBe(9);
  });
});
