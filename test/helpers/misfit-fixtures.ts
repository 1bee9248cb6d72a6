// Shared by the misfit-memory tests: a view read through a hook, a policy that never recognises a misfit, generated machine changes.
import fc from 'fast-check';
import type { MachineEvent } from '../../src/traces/source.js';
import type { ClusterView, Policy } from '../../src/policy.js';
import { wrapPolicy } from './policy-fixtures.js';

/**
 * `inner` reading its view through `hook`, which sees the name of every property read and may
 * answer it itself (anything but undefined) instead of the view.
 */
export function throughView(inner: Policy, hook: (prop: PropertyKey) => unknown): Policy {
  return wrapPolicy(inner, (ctx) => {
    const view = new Proxy(ctx.view, {
      get(target, prop) {
        const own = hook(prop);
        if (own !== undefined) return own;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as ClusterView;
    return inner.create({ ...ctx, view });
  });
}

/** `inner` seeing a view whose `grew` count leaps at every read: no misfit memory ever recognises a task. */
export function forgetful(inner: Policy): Policy {
  let grew = 0;
  return throughView(inner, (prop) => (prop === 'grew' ? (grew += 1000) : undefined));
}

/** Machine events on known and new ids: capacity and attribute changes, removals, additions. */
export function arbMachineEvents(dims: number): fc.Arbitrary<MachineEvent[]> {
  return fc
    .array(
      fc.record({
        gap: fc.integer({ min: 0, max: 4_000_000 }),
        kind: fc.constantFrom<MachineEvent['kind']>('add', 'remove', 'update', 'update'),
        id: fc.constantFrom('g0-0', 'g1-0', 'g0-1', 'x0', 'x1'),
        capacity: fc.option(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: dims, maxLength: dims }), { nil: undefined }),
        zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      }),
      { maxLength: 6 },
    )
    .map((rows) => {
      let time = 0;
      return rows.map((r) => {
        time += r.gap;
        const capacity = r.capacity ?? (r.kind === 'add' ? Array.from({ length: dims }, () => 50) : undefined);
        return { time, kind: r.kind, id: r.id, ...(capacity !== undefined ? { capacity: Float64Array.from(capacity) } : {}), ...(r.zone !== undefined ? { attributes: { zone: r.zone } } : {}) };
      });
    });
}
