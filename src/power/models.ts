// Power models: watts drawn by a machine as a function of its utilisation u in [0, 1].

/** The analytic curve shapes of CloudSim's PowerModelLinear/Square/Cubic/Sqrt. */
export type CurveKind = 'linear' | 'square' | 'cubic' | 'sqrt';

/**
 * A machine's power curve. `power(u)` is the draw while the machine is on at utilisation u;
 * `idleW = power(0)` unless the CloudSim compatibility flag `zeroAtIdle` makes an idle machine
 * draw 0 W (CloudSim treats u = 0 as switched off).
 */
export interface PowerModel {
  /** `linear`, `square`, `cubic`, `sqrt` or `spec` (a table interpolated linearly). */
  readonly kind: CurveKind | 'spec';
  /** Watts at u = 0 as the curve gives them (before `zeroAtIdle`). */
  readonly idleW: number;
  /** Watts at u = 1. */
  readonly peakW: number;
  readonly zeroAtIdle: boolean;
  power(u: number): number;
}

const SHAPES: Readonly<Record<CurveKind, (u: number) => number>> = {
  linear: (u) => u,
  square: (u) => u * u,
  cubic: (u) => u * u * u,
  sqrt: (u) => Math.sqrt(u),
};

/** P(u) = idle + (peak − idle) · f(u), f by `kind`; CloudSim's `static = pct × max` is `idle`. */
export function curveModel(kind: CurveKind, idleW: number, peakW: number, zeroAtIdle = false): PowerModel {
  const shape = SHAPES[kind];
  const span = peakW - idleW;
  return {
    kind,
    idleW,
    peakW,
    zeroAtIdle,
    power: (u) => (zeroAtIdle && u <= 0 ? 0 : idleW + span * shape(clamp(u))),
  };
}

/**
 * A table of watts at evenly spaced loads 0 … 100 % (SPECpower_ssj2008 gives 11 points), read by
 * CloudSim's rule: linear interpolation between the two surrounding points, exact points as-is.
 */
export function tableModel(tableW: readonly number[], zeroAtIdle = false): PowerModel {
  const points = Float64Array.from(tableW);
  const steps = points.length - 1;
  return {
    kind: 'spec',
    idleW: points[0] as number,
    peakW: points[steps] as number,
    zeroAtIdle,
    power(u) {
      if (zeroAtIdle && u <= 0) return 0;
      const x = clamp(u) * steps;
      const lo = Math.floor(x);
      if (lo >= steps) return points[steps] as number;
      const low = points[lo] as number;
      return low + ((points[lo + 1] as number) - low) * (x - lo);
    },
  };
}

function clamp(u: number): number {
  return u < 0 ? 0 : u > 1 ? 1 : u;
}
