// Host-name order as Fenzo compares names: Java's String.compareTo, UTF-16 code units ("host10" < "host2").
import type { ClusterView } from '../../src/policy.js';

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The view's machine slots in host-name order. */
export function nameOrder(view: ClusterView): Int32Array<ArrayBuffer> {
  const slots = Array.from({ length: view.size }, (_, m) => m);
  slots.sort((a, b) => compareNames(view.machineId(a), view.machineId(b)));
  return Int32Array.from(slots);
}
