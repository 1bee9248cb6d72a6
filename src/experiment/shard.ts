// Shards: `--shard i/N` splits an experiment's runs into N deterministic, disjoint parts.
import { inputError, show } from '../errors.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/N` with 1 ≤ i ≤ N. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) {
    throw inputError(RangeError, `--shard must be i/N with 1 ≤ i ≤ N (e.g. 2/8), got ${show(text)}`);
  }
  return { index, count };
}

/** The runs of shard `i` of N: every N-th run of the plan order, starting at the i-th, so each part mixes policies and seeds. */
export function selectShard<T>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((_, k) => k % shard.count === shard.index - 1);
}

/** The file a shard leaves in its results folder, for `clustersim merge`. */
export function shardFileName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}
