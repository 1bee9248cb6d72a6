// CloudSim's energy rule, kept for comparison with its results: the trapezoid, 0 J after an idle start.
import type { PowerModel } from './models.js';

/**
 * Joules over `dtS` seconds as CloudSim's PowerHost counts them: (P(u_from) + P(u_to)) / 2 × Δt,
 * and 0 when u_from = 0 (CloudSim assumes the host was off). clustersim's own energy is exact
 * (power is piecewise constant between events); this is the compatibility figure.
 */
export function trapezoidEnergy(model: PowerModel, uFrom: number, uTo: number, dtS: number): number {
  if (uFrom <= 0) return 0;
  return ((model.power(uFrom) + model.power(uTo)) / 2) * dtS;
}
