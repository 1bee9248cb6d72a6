// DRF benchmarks: the drf queue order on the 1 M task / 10,000 machine workload with 100 and 10,000 tenants.
import { endToEnd, type Scenario } from './scenarios.js';

/** Targets (issue 3): ≥ 200,000 tasks/s with 100 tenants, ≥ 100,000 with 10,000. `scale` shrinks sizes (quick runs). */
export function drfScenarios(scale: number): Scenario[] {
  const tasks = 1_000_000 / scale;
  const machines = 10_000 / scale;
  return [endToEnd('drf-100-tenants', 'drf+first-fit', tasks, machines, 100), endToEnd('drf-10k-tenants', 'drf+first-fit', tasks, machines, 10_000)];
}
