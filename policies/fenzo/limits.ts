// Resource maps in options (SLA allocations, tier capacities, group limits): checking and reading them.
import { inputError, show } from '../../src/errors.js';
import type { OptionValue } from '../../src/policy.js';
import type { ResourceSpace } from '../../src/model/resources.js';

/** Checks an option shaped `{ name: { resource: quantity ≥ 0 } }`. */
export function checkResourceMaps(value: OptionValue): string | undefined {
  for (const [name, map] of Object.entries(value as Record<string, OptionValue>)) {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return `${show(name)} must map resource names to quantities, got ${show(map)}`;
    for (const [resource, q] of Object.entries(map as Record<string, OptionValue>)) {
      if (typeof q !== 'number' || !(q >= 0)) return `${show(name)}.${resource} must be a quantity ≥ 0, got ${show(q)}`;
    }
  }
  return undefined;
}

/** A `{ resource: quantity }` map as a vector over the run's resources; unnamed resources are unlimited. */
export function resourceVector(resources: ResourceSpace, map: Readonly<Record<string, OptionValue>>, field: string): Float64Array {
  const out = new Float64Array(resources.names.length).fill(Infinity);
  for (const [name, q] of Object.entries(map)) {
    const d = resources.names.indexOf(name);
    if (d < 0) throw inputError(RangeError, `Unknown resource ${show(name)}; the cluster has ${resources.names.join(', ')}`, { field: `${field}.${name}` });
    out[d] = q as number;
  }
  return out;
}

/** True if `used + demand ≤ limit` in every dimension. */
export function within(used: Float64Array, demand: Float64Array, limit: Float64Array): boolean {
  for (let d = 0; d < limit.length; d++) if ((used[d] as number) + (demand[d] as number) > (limit[d] as number)) return false;
  return true;
}

/** `into += sign × demand`. */
export function addTo(into: Float64Array, demand: Float64Array, sign: 1 | -1): void {
  for (let d = 0; d < into.length; d++) into[d] = (into[d] as number) + sign * (demand[d] as number);
}
