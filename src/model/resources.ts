// Resource dimensions: names and integer base units declared by the cluster spec.

/** The resource dimensions of a run, in declaration order. Quantities are integers in each unit. */
export interface ResourceSpace {
  /** Dimension names, e.g. ['cpu', 'mem']; a dimension's index is its position here. */
  readonly names: readonly string[];
  /** The base unit of each dimension, e.g. ['millicore', 'MiB']; informational. */
  readonly units: readonly string[];
}

/** Largest quantity a machine may hold in one dimension; keeps packed index keys exact. */
export const MAX_QUANTITY = 2 ** 32 - 1;

export function dimensionIndex(space: ResourceSpace, name: string): number {
  return space.names.indexOf(name);
}
