// Switching's choice of policy: the low/high power split of the window and the ratio-to-policy table.

/** A configured policy and the ratio of low- to high-power tasks it suits (Elektron's `taskDist`). */
export interface SwitchEntry {
  readonly policy: string;
  readonly taskDist: number;
}

/** The table in ascending taskDist order; entries with taskDist 0 take no part (ties by name). */
export function switchTable(config: Readonly<Record<string, number>>): SwitchEntry[] {
  return Object.entries(config)
    .filter(([, d]) => d > 0)
    .map(([policy, taskDist]) => ({ policy, taskDist }))
    .sort((a, b) => a.taskDist - b.taskDist || (a.policy < b.policy ? -1 : 1));
}

/**
 * The policy whose taskDist is nearest to `taskDist` (below the smallest: the smallest; above the
 * largest: the largest; equal distance: the lower). `null` means one power class formed: bin-packing.
 */
export function chooseByTaskDist(table: readonly SwitchEntry[], taskDist: number | null): string {
  if (taskDist === null || table.length === 0) return 'bin-packing';
  let best = table[0] as SwitchEntry;
  for (const entry of table) {
    if (Math.abs(entry.taskDist - taskDist) < Math.abs(best.taskDist - taskDist)) best = entry;
  }
  return best.policy;
}

/**
 * The deterministic 2-means of 1-D values: the split of the sorted values into a low and a high
 * group with the least within-group sum of squares (ties: the lowest split). Returns the low
 * group's size in sorted order, or 0 when all values are equal (a single cluster).
 */
export function twoMeansSplit(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n < 2 || sorted[0] === sorted[n - 1]) return 0;
  const prefix = new Float64Array(n + 1);
  const prefixSq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    prefix[i + 1] = (prefix[i] as number) + v;
    prefixSq[i + 1] = (prefixSq[i] as number) + v * v;
  }
  const sse = (from: number, to: number): number => {
    const s = (prefix[to] as number) - (prefix[from] as number);
    return (prefixSq[to] as number) - (prefixSq[from] as number) - (s * s) / (to - from);
  };
  let best = 0;
  let bestCost = Infinity;
  for (let k = 1; k < n; k++) {
    if (sorted[k] === sorted[k - 1]) continue;
    const cost = sse(0, k) + sse(k, n);
    if (best === 0 || cost < bestCost - 1e-9 * bestCost) {
      bestCost = cost;
      best = k;
    }
  }
  return best;
}

/** One distinct queue entry in the window: its power feature and how many of its instances are in the window. */
export interface WindowEntry {
  readonly feature: number;
  readonly instances: number;
}

/**
 * Lpc instances ÷ Hpc instances over the window, classifying distinct entries (not instances) by
 * {@link twoMeansSplit} of their features; null when a single cluster forms.
 */
export function taskDistOf(window: readonly WindowEntry[]): number | null {
  const sorted = [...window].sort((a, b) => a.feature - b.feature);
  const split = twoMeansSplit(sorted.map((e) => e.feature));
  if (split === 0) return null;
  let low = 0;
  let high = 0;
  sorted.forEach((e, i) => {
    if (i < split) low += e.instances;
    else high += e.instances;
  });
  return low / high;
}

/** The median of an entry's feature values (its class-mapped watts, sorted by class), Elektron's cluster-ordering key. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
