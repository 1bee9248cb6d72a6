// Statistics over seeds: a mean with its Student t interval, and the paired mean difference candidate − baseline.

/** Two-sided 95% Student t quantiles t(0.975, df) for df = 1..30. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t(0.975, df): the table up to 30, then the Cornish–Fisher expansion around z = 1.959964 (error < 0.001). */
export function t975(df: number): number {
  if (df < 1) return NaN;
  const tabled = T975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** The mean of `xs` and the half-width of its 95% t interval (null with fewer than two values). */
export function meanInterval(xs: readonly number[]): { mean: number; half: number | null } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, half: null };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, half: (t975(xs.length - 1) * sd) / Math.sqrt(xs.length) };
}

/** The paired comparison of one metric over n seeds. */
export interface PairedDifference {
  readonly n: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** Mean of (candidate − baseline) over the pairs. */
  readonly meanDiff: number;
  /** 95% t interval of the mean difference: meanDiff ± t(0.975, n−1)·sd/√n; null with one pair. */
  readonly low: number | null;
  readonly high: number | null;
  /** meanDiff / |baselineMean|, or null when the baseline mean is 0. */
  readonly relative: number | null;
}

export function pairedDifference(baseline: readonly number[], candidate: readonly number[]): PairedDifference {
  const { mean: meanDiff, half } = meanInterval(baseline.map((b, i) => (candidate[i] as number) - b));
  const baselineMean = meanInterval(baseline).mean;
  return {
    n: baseline.length,
    baselineMean,
    candidateMean: meanInterval(candidate).mean,
    meanDiff,
    low: half === null ? null : meanDiff - half,
    high: half === null ? null : meanDiff + half,
    relative: baselineMean === 0 ? null : meanDiff / Math.abs(baselineMean),
  };
}
