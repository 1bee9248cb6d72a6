// Fenzo benchmarks: the exact mode (every host scored) on 1,000 machines, the indexed mode on the full workload.
import { endToEnd, type Scenario } from './scenarios.js';

/** `scale` divides every size (10 in quick runs). */
export function fenzoScenarios(scale: number): Scenario[] {
  return [
    endToEnd('fenzo-exact-1k', 'fifo+fenzo', 200_000 / scale, 1_000 / scale, undefined, { options: { fitness: 'cpuBinPacker', mode: 'exact' }, note: ' fitness=cpuBinPacker mode=exact' }),
    endToEnd('fenzo-indexed-1k', 'fifo+fenzo', 200_000 / scale, 1_000 / scale, undefined, { options: { fitness: 'cpuBinPacker', mode: 'indexed' }, note: ' fitness=cpuBinPacker mode=indexed' }),
    endToEnd('fenzo-indexed', 'fifo+fenzo', 1_000_000 / scale, 10_000 / scale, undefined, { options: { fitness: 'cpuBinPacker', mode: 'indexed' }, note: ' fitness=cpuBinPacker mode=indexed' }),
    endToEnd('fenzo-indexed-default', 'fifo+fenzo', 1_000_000 / scale, 10_000 / scale, undefined, { options: { mode: 'indexed' }, note: ' mode=indexed' }),
  ];
}
