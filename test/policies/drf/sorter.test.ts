// The DRF sorter against Mesos' sorter tests (S2-S4) and hand-worked hierarchy and float cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DrfSorter } from '../../../policies/drf/sorter.js';

interface Step {
  readonly op: string;
  readonly client?: string;
  readonly clients?: readonly string[];
  readonly path?: string;
  readonly weight?: number;
  readonly resources?: Readonly<Record<string, number>>;
  readonly order?: readonly string[];
  readonly shares?: Readonly<Record<string, number>>;
  readonly counts?: Readonly<Record<string, number>>;
}

const RESOURCES = ['cpus', 'mem'];

function vector(resources: Readonly<Record<string, number>> = {}): Float64Array {
  return Float64Array.from(RESOURCES.map((r) => resources[r] ?? 0));
}

/** Plays a sorter scenario: every expectSort is checked against the sorter's order at that step. */
function play(file: string): number {
  const scenario = JSON.parse(readFileSync(new URL(`../../fixtures/drf/${file}`, import.meta.url), 'utf8')) as { model: string; steps: Step[] };
  expect(scenario.model).toBe('sorter');
  const sorter = new DrfSorter(RESOURCES.length);
  let checked = 0;
  scenario.steps.forEach((step, i) => {
    const client = step.client as string;
    switch (step.op) {
      case 'setTotal':
        return sorter.setTotal(vector(step.resources));
      case 'add':
        return void sorter.add(client);
      case 'activate':
        return sorter.activate(client);
      case 'deactivate':
        return sorter.deactivate(client);
      case 'addActivate':
        for (const c of step.clients ?? []) {
          sorter.add(c);
          sorter.activate(c);
        }
        return;
      case 'remove':
        return sorter.remove(client);
      case 'allocated':
        return sorter.allocated(client, vector(step.resources));
      case 'unallocated':
        return sorter.unallocated(client, vector(step.resources));
      case 'setWeight':
        return sorter.setWeight(step.path as string, step.weight as number);
      case 'expectSort':
        checked++;
        // the explanatory shares and counts of the test comments hold too
        for (const [c, share] of Object.entries(step.shares ?? {})) expect(sorter.share(c), `${file} step ${i} share of ${c}`).toBeCloseTo(share, 12);
        for (const [c, count] of Object.entries(step.counts ?? {})) expect(sorter.node(c).count, `${file} step ${i} count of ${c}`).toBe(count);
        return expect(sorter.sort(), `${file} step ${i}`).toEqual(step.order);
      default:
        throw new Error(`${file}: unknown op ${step.op}`);
    }
  });
  return checked;
}

describe('DRF sorter: Mesos reference scenarios', () => {
  it.each([
    ['S2.json', 8],
    ['S3.json', 7],
    ['S4.json', 7],
  ])('%s gives every expected order', (file, expectations) => {
    expect(play(file)).toBe(expectations);
  });
});

describe('DRF sorter: hierarchy, weights and exact shares', () => {
  const v = (cpus: number, mem: number) => Float64Array.of(cpus, mem);

  it('orders a subtree by its aggregate share before its children (a/b, a/c vs d/e)', () => {
    const s = new DrfSorter(2);
    s.setTotal(v(10, 10));
    for (const c of ['a/b', 'a/c', 'd/e']) {
      s.add(c);
      s.activate(c);
    }
    s.allocated('a/b', v(4, 0));
    s.allocated('d/e', v(2, 0));
    // a = 0.4 > d = 0.2, so d/e (0.2) goes before a/c (0)
    expect(s.sort()).toEqual(['d/e', 'a/c', 'a/b']);
    expect(s.lowest()?.path).toBe('d/e');
  });

  it('a role that also has sub-roles competes as the virtual leaf "d/." with weight 1; the weight of d applies to the subtree', () => {
    const s = new DrfSorter(2);
    s.setTotal(v(10, 10));
    s.add('d');
    s.activate('d');
    s.allocated('d', v(3, 0));
    s.add('d/e');
    s.activate('d/e');
    s.allocated('d/e', v(2, 0));
    s.add('x');
    s.activate('x');
    s.allocated('x', v(4, 0));
    // d's subtree holds 0.5 > x 0.4
    expect(s.sort()).toEqual(['x', 'd/e', 'd']);
    s.setWeight('d', 2);
    // d = 0.5 / 2 = 0.25 < 0.4; inside d: d/e 0.2 < d/. 0.3
    expect(s.sort()).toEqual(['d/e', 'd', 'x']);
    expect(s.share('d')).toBe(0.3);
    s.remove('d/e');
    expect(s.sort()).toEqual(['d', 'x']);
    expect(s.node('d').parent?.share).toBe(0.15);
  });

  it('compares shares exactly: 0.15/3 sorts before 0.1/2 (Mesos ChangeWeightOnSubtree)', () => {
    const s = new DrfSorter(1);
    s.setTotal(Float64Array.of(1));
    for (const [c, a, w] of [['p', 0.1, 2], ['q', 0.15, 3]] as const) {
      s.add(c);
      s.activate(c);
      s.setWeight(c, w);
      s.allocated(c, Float64Array.of(a));
    }
    expect(s.share('q')).toBeLessThan(s.share('p'));
    expect(s.sort()).toEqual(['q', 'p']);
  });

  it('skips excluded resources and resources with a zero total', () => {
    const s = new DrfSorter(3, [false, false, true]);
    s.setTotal(Float64Array.of(10, 0, 1));
    s.add('a');
    s.activate('a');
    s.allocated('a', Float64Array.of(1, 5, 1));
    expect(s.share('a')).toBe(0.1);
  });

  it('the paper tie-break orders equal shares by first sight, ignoring allocation counts', () => {
    const s = new DrfSorter(1, [], 'paper');
    s.setTotal(Float64Array.of(10));
    for (const c of ['z', 'a']) {
      s.add(c);
      s.activate(c);
    }
    s.allocated('z', Float64Array.of(1));
    s.allocated('z', Float64Array.of(1));
    s.allocated('a', Float64Array.of(2));
    expect(s.sort()).toEqual(['z', 'a']);
  });

  it('lowest() follows incremental changes the same way sort() does', () => {
    const s = new DrfSorter(2);
    s.setTotal(v(100, 100));
    const names = Array.from({ length: 50 }, (_, i) => `r${i % 5}/t${i}`);
    for (const n of names) {
      s.add(n);
      s.activate(n);
    }
    let x = 7;
    for (let step = 0; step < 400; step++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const n = names[x % names.length] as string;
      if (x % 3 === 0) s.deactivate(n);
      else if (x % 3 === 1) s.activate(n);
      else s.allocated(n, v((x >> 8) % 3, (x >> 12) % 3));
      expect(s.lowest()?.path).toBe(s.sort()[0]);
    }
  });
});
