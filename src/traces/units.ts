// Turning a trace's quantities (cores, normalised units, KiB, GPUs...) into the cluster's integer base units.
import { inputError, show } from '../errors.js';
import type { OptionSpec, Options } from '../policy.js';
import { MAX_QUANTITY, type ResourceSpace } from '../model/resources.js';

/** A quantity a trace format reads, in the trace's own unit, and its default conversion. */
export interface Quantity {
  /** Also the name of the cluster resource dimension that receives it. */
  readonly name: string;
  /** The unit the trace gives it in, e.g. "normalised (1 = largest machine)". */
  readonly traceUnit: string;
  /** Base units per trace unit when the `scale` option does not say. */
  readonly scale: number;
  /** The base unit that default scale gives, e.g. "millicore". */
  readonly baseUnit: string;
}

/** The `scale` option every format with quantities takes. */
export function scaleOption(quantities: readonly Quantity[]): OptionSpec {
  const defaults = Object.fromEntries(quantities.map((q) => [q.name, q.scale]));
  return {
    type: 'object',
    default: defaults,
    description: `Base units of the cluster per trace unit, per resource: ${quantities.map((q) => `${q.name} (${q.traceUnit}; default ${q.scale} → ${q.baseUnit})`).join(', ')}`,
    check: (value) => {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!quantities.some((q) => q.name === key)) return `names ${show(key)}, not one of ${quantities.map((q) => q.name).join(', ')}`;
        if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) return `${key} must be a positive number, got ${show(v)}`;
      }
      return undefined;
    },
  };
}

/** A resource space named and unitised like the format's quantities at their default scales. */
export function naturalResources(quantities: readonly Quantity[]): ResourceSpace {
  return { names: quantities.map((q) => q.name), units: quantities.map((q) => q.baseUnit) };
}

/**
 * Maps trace quantities onto the cluster's dimensions by name; cluster dimensions the trace does not
 * give get 0. A quantity becomes round(value × scale) base units, and a positive value at least 1.
 */
export class DemandMaker {
  /** For each cluster dimension, the index of the trace quantity feeding it, or -1. */
  private readonly source: Int32Array;
  private readonly factor: Float64Array;

  constructor(resources: ResourceSpace, quantities: readonly Quantity[], options: Options) {
    const scale = (options['scale'] ?? {}) as Record<string, number>;
    this.source = Int32Array.from(resources.names, (name) => quantities.findIndex((q) => q.name === name));
    this.factor = Float64Array.from(this.source, (i) => (i < 0 ? 0 : (scale[(quantities[i] as Quantity).name] ?? (quantities[i] as Quantity).scale)));
  }

  /** Base units for `values` (indexed like the quantities), into `out` if given; a value out of range throws a RangeError naming it. */
  make(values: ArrayLike<number>, out = new Float64Array(this.source.length)): Float64Array {
    for (let d = 0; d < out.length; d++) {
      const i = this.source[d] as number;
      if (i < 0) continue;
      out[d] = toBase(values[i] as number, this.factor[d] as number);
    }
    return out;
  }

  /** The conversion of one quantity, for capacities given one at a time. */
  one(dim: number, value: number): number {
    return toBase(value, this.factor[dim] as number);
  }

  /** Which trace quantity index feeds cluster dimension `dim`, or -1. */
  sourceOf(dim: number): number {
    return this.source[dim] as number;
  }
}

function toBase(value: number, factor: number): number {
  if (!(value > 0)) return 0;
  const q = Math.max(1, Math.round(value * factor));
  if (q > MAX_QUANTITY) throw inputError(RangeError, `${value} × ${factor} is ${q} base units, more than ${MAX_QUANTITY}; lower the "scale" option`);
  return q;
}
