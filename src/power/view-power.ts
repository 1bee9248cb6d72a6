// Power as controllers and policies can see it through the read-only cluster view.
import type { ClusterView } from '../policy.js';
import { DOMINANT, drawW } from './spec.js';

/** Machine m's utilisation by its group's rule (one dimension's share or the dominant share); `extra` adds a demand. */
export function viewUtilisation(view: ClusterView, m: number, dim: number, extra: Float64Array | null = null): number {
  const from = dim === DOMINANT ? 0 : dim;
  const to = dim === DOMINANT ? view.resources.names.length : dim + 1;
  let u = 0;
  for (let d = from; d < to; d++) {
    const cap = view.capacity(m, d);
    if (cap <= 0) continue;
    const share = (cap - view.free(m, d) + (extra === null ? 0 : (extra[d] as number))) / cap;
    if (share > u) u = share;
  }
  return u;
}

/** Watts machine m draws now (the meter's figure), or 0 without a power model. */
export function viewWatts(view: ClusterView, m: number): number {
  const gp = view.power(m);
  if (gp === undefined) return 0;
  return drawW(gp, view.isUp(m), viewUtilisation(view, m, gp.utilisation), view.speed(m));
}
