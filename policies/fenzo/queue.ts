// Queue orders "fenzo-queue" (submission order) and "fenzo-tiers" (Fenzo's TieredQueue: strict tiers,
// buckets interleaved by weighted DRF on their SLA allocation, guarantees and borrowing), both with
// per-group resource limits (Fenzo's ResAllocs). Cost per task taken: O(buckets in its tier).
import { inputError, show } from '../../src/errors.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView, OptionSpec, OptionValue, Options, PartFactory, QueueOrder } from '../../src/policy.js';
import { FifoList } from '../fifo.js';
import { addTo, checkResourceMaps, resourceVector, within } from './limits.js';
import { compareNames } from './names.js';
import { fenzoRun, type FenzoRun } from './run-state.js';

/** Fenzo's epsilon in allocation shares. */
const EPS = 0.001;

/** Pending tasks of one bucket in submission order; a round walks a snapshot of them. */
class Bucket {
  readonly usage: Float64Array;
  private readonly list = new FifoList();
  private snapshot: TaskView[] = [];
  private cursor = 0;
  /** Weighted-DRF divisor: the bucket's share of its tier's allocations. */
  allocShare = 1;

  constructor(readonly name: string, readonly tier: number, dims: number, readonly guarantee: Float64Array | null) {
    this.usage = new Float64Array(dims);
  }

  add(task: TaskView): void {
    this.list.add(task);
  }

  remove(task: TaskView): void {
    this.list.remove(task);
  }

  /** The next task of this round that is still pending, or undefined when the bucket is exhausted. */
  next(): TaskView | undefined {
    return this.hasNext() ? this.snapshot[this.cursor++] : undefined;
  }

  hasNext(): boolean {
    while (this.cursor < this.snapshot.length && !this.list.has(this.snapshot[this.cursor] as TaskView)) this.cursor++;
    return this.cursor < this.snapshot.length;
  }

  startRound(): void {
    this.snapshot = [];
    this.cursor = 0;
    this.list.visit((task) => {
      this.snapshot.push(task);
      return true;
    });
  }
}

interface Tier {
  readonly buckets: Bucket[];
  /** Admission capacity; null when the tier has no SLA (no limit, shares of its own usage). */
  readonly capacity: Float64Array | null;
}

/** Group limits (ResAllocs): caps per group, usage of running and placed tasks. */
class GroupLimits {
  private readonly usage = new Map<string, Float64Array>();
  /** Groups whose caps are all zero that already failed a task this round (Fenzo skips the rest silently). */
  private readonly skipped = new Set<string>();

  constructor(private readonly caps: Map<string, Float64Array>, private readonly dims: number) {}

  get active(): boolean {
    return this.caps.size > 0;
  }

  round(): void {
    this.skipped.clear();
  }

  /** 'ok', 'fail' (a ResAllocs failure) or 'skip' (a zero-allowance group's later tasks). */
  admit(task: TaskView): 'ok' | 'fail' | 'skip' {
    const caps = this.caps.get(task.tenant);
    if (caps === undefined) return 'fail';
    if (this.skipped.has(task.tenant)) return 'skip';
    // all the limits it names are 0 (resources it leaves out are unlimited)
    if (caps.every((q) => q === 0 || q === Infinity)) {
      this.skipped.add(task.tenant);
      return 'fail';
    }
    return within(this.used(task.tenant), task.demand, caps) ? 'ok' : 'fail';
  }

  change(task: TaskView, sign: 1 | -1): void {
    if (this.caps.size > 0) addTo(this.used(task.tenant), task.demand, sign);
  }

  private used(group: string): Float64Array {
    let u = this.usage.get(group);
    if (u === undefined) this.usage.set(group, (u = new Float64Array(this.dims)));
    return u;
  }
}

/**
 * A task's bucket is its tenant; a bucket's tier comes from `tiers` (else `defaultTier`). Tiers go
 * in strict order. Inside a tier, the next task comes from the bucket with the lowest
 * dominantShare / max(eps / 10, allocShare), ties by bucket name, recomputed after every task
 * (a task that is not placed changes nothing, so its bucket's next task follows). A task is
 * admitted if its bucket stays within its guarantee, or if it fits in the tier capacity minus
 * Σ max(usage, guarantee) over the tier's buckets (unused guarantees stay reserved); otherwise it
 * is held back this round. Every pending task is offered at most once per round.
 */
export class FenzoQueue implements QueueOrder {
  private readonly tiers: Tier[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly bucketOf = new Map<TaskView, Bucket>();
  private readonly limits: GroupLimits;
  private readonly run: FenzoRun;
  private readonly dims: number;
  private readonly tierOf: Readonly<Record<string, OptionValue>>;
  private readonly defaultTier: number;
  private readonly sla: Map<string, Float64Array>;
  private readonly tierCapacity: Map<number, Float64Array>;
  private readonly zeroAllowanceFails: boolean;
  private readonly scratch: Float64Array;

  constructor(view: ClusterView, opts: Options, private readonly tiered: boolean) {
    const resources = view.resources;
    this.dims = resources.names.length;
    this.scratch = new Float64Array(this.dims);
    this.run = fenzoRun(view);
    const caps = new Map<string, Float64Array>();
    for (const [group, map] of Object.entries(opts['resAllocs'] as Record<string, Record<string, OptionValue>>)) caps.set(group, resourceVector(resources, map, `resAllocs.${group}`));
    this.limits = new GroupLimits(caps, this.dims);
    this.zeroAllowanceFails = opts['zeroAllowanceFails'] === true;
    this.tierOf = tiered ? (opts['tiers'] as Record<string, OptionValue>) : {};
    this.defaultTier = tiered ? (opts['defaultTier'] as number) : 0;
    this.sla = new Map();
    this.tierCapacity = new Map();
    if (tiered) {
      for (const [bucket, map] of Object.entries(opts['sla'] as Record<string, Record<string, OptionValue>>)) this.sla.set(bucket, resourceVector(resources, map, `sla.${bucket}`));
      for (const [tier, map] of Object.entries(opts['tierCapacity'] as Record<string, Record<string, OptionValue>>)) {
        const n = Number(tier);
        if (!Number.isInteger(n) || n < 0) throw inputError(RangeError, `Tier ${show(tier)} must be a whole number ≥ 0`, { field: `tierCapacity.${tier}` });
        this.tierCapacity.set(n, resourceVector(resources, map, `tierCapacity.${tier}`));
      }
      // every bucket named in the options exists from the start: its guarantee counts from the start
      const named = new Set([...Object.keys(this.tierOf), ...this.sla.keys()]);
      for (const name of [...named].sort(compareNames)) this.bucket(name);
    }
  }

  add(task: TaskView): void {
    const bucket = this.bucket(this.tiered ? task.tenant : '');
    this.bucketOf.set(task, bucket);
    bucket.add(task);
  }

  remove(task: TaskView): void {
    const bucket = this.bucketOf.get(task);
    if (bucket === undefined) return;
    bucket.remove(task);
    this.run.heldBack.delete(task);
    if (task.state === 'running') {
      addTo(bucket.usage, task.demand, 1);
      this.limits.change(task, 1);
    } else {
      this.bucketOf.delete(task);
    }
  }

  stopped(task: TaskView): void {
    const bucket = this.bucketOf.get(task);
    if (bucket === undefined) return;
    this.bucketOf.delete(task);
    addTo(bucket.usage, task.demand, -1);
    this.limits.change(task, -1);
  }

  visit(visit: (task: TaskView) => boolean): void {
    this.limits.round();
    for (const tier of this.tiers) {
      if (tier === undefined) continue;
      for (const b of tier.buckets) b.startRound();
      for (;;) {
        const bucket = this.lowest(tier);
        if (bucket === undefined) break;
        const task = bucket.next() as TaskView;
        const verdict = this.admit(tier, bucket, task);
        if (verdict !== 'ok') {
          if (verdict === 'fail' || !this.zeroAllowanceFails) this.run.heldBack.add(task);
          continue;
        }
        this.run.heldBack.delete(task);
        if (!visit(task)) return;
      }
    }
  }

  private admit(tier: Tier, bucket: Bucket, task: TaskView): 'ok' | 'fail' | 'skip' {
    if (tier.capacity !== null && !this.withinTier(tier, bucket, task)) return 'fail';
    return this.limits.active ? this.limits.admit(task) : 'ok';
  }

  private withinTier(tier: Tier, bucket: Bucket, task: TaskView): boolean {
    if (bucket.guarantee !== null && within(bucket.usage, task.demand, bucket.guarantee)) return true;
    const reserved = this.scratch.fill(0);
    for (const b of tier.buckets) {
      for (let d = 0; d < this.dims; d++) {
        const g = b.guarantee === null ? 0 : (b.guarantee[d] as number);
        reserved[d] = (reserved[d] as number) + Math.max(b.usage[d] as number, Number.isFinite(g) ? g : 0);
      }
    }
    const capacity = tier.capacity as Float64Array;
    for (let d = 0; d < this.dims; d++) if ((reserved[d] as number) + (task.demand[d] as number) > (capacity[d] as number)) return false;
    return true;
  }

  /** The bucket with a task left this round and the lowest weighted dominant share; ties by name. */
  private lowest(tier: Tier): Bucket | undefined {
    const totals = tier.capacity ?? this.usageTotal(tier);
    let best: Bucket | undefined;
    let bestKey = Infinity;
    for (const b of tier.buckets) {
      if (!b.hasNext()) continue;
      let share = 0;
      for (let d = 0; d < this.dims; d++) {
        const total = totals[d] as number;
        if (total > 0 && Number.isFinite(total)) share = Math.max(share, (b.usage[d] as number) / total);
      }
      const key = share / Math.max(EPS / 10, b.allocShare);
      if (best === undefined || key < bestKey) {
        best = b;
        bestKey = key;
      }
    }
    return best;
  }

  private usageTotal(tier: Tier): Float64Array {
    const total = this.scratch.fill(0);
    for (const b of tier.buckets) addTo(total, b.usage, 1);
    return total;
  }

  private bucket(name: string): Bucket {
    let bucket = this.buckets.get(name);
    if (bucket !== undefined) return bucket;
    const t = this.tierOf[name];
    const tierNumber = typeof t === 'number' ? t : this.defaultTier;
    bucket = new Bucket(name, tierNumber, this.dims, this.sla.get(name) ?? null);
    this.buckets.set(name, bucket);
    let tier = this.tiers[tierNumber];
    if (tier === undefined) {
      tier = { buckets: [], capacity: null };
      this.tiers[tierNumber] = tier;
    }
    tier.buckets.push(bucket);
    tier.buckets.sort((a, b) => compareNames(a.name, b.name));
    this.tiers[tierNumber] = this.withSla(tier, tierNumber);
    return bucket;
  }

  /** A tier's capacity (given, or the sum of its buckets' allocations) and each bucket's allocation share. */
  private withSla(tier: Tier, n: number): Tier {
    const withAlloc = tier.buckets.filter((b) => b.guarantee !== null);
    const given = this.tierCapacity.get(n);
    if (withAlloc.length === 0 && given === undefined) return tier;
    const sums = new Float64Array(this.dims);
    for (const b of withAlloc) addTo(sums, b.guarantee as Float64Array, 1);
    for (const b of tier.buckets) {
      if (b.guarantee === null) {
        b.allocShare = EPS;
        continue;
      }
      let share = 0;
      for (let d = 0; d < this.dims; d++) {
        const sum = sums[d] as number;
        if (!Number.isFinite(sum)) continue;
        share = Math.max(share, sum < 1 ? EPS : (b.guarantee[d] as number) / sum);
      }
      b.allocShare = share;
    }
    return { buckets: tier.buckets, capacity: given ?? sums };
  }
}

const resAllocs: OptionSpec = {
  type: 'object',
  default: {},
  description: 'Per-group limits (Fenzo ResAllocs): tenant → { resource: quantity }; once any are set, tasks of unlisted tenants are held back.',
  check: checkResourceMaps,
};

const zeroAllowanceFails: OptionSpec = {
  type: 'boolean',
  default: true,
  description: 'Quirk: after the first task of a group whose limits are all 0 is held back, its other tasks are skipped unrecorded, so the autoscaler counts them as failed placements (Fenzo).',
};

export const fenzoQueue: PartFactory<QueueOrder> = {
  description: 'Fenzo plain queue: submission order, every task tried once per round (no head-of-line blocking), with per-group resource limits.',
  options: { resAllocs, zeroAllowanceFails },
  cost: 'O(1) per task taken',
  create: ({ view }, opts) => new FenzoQueue(view, opts, false),
};

export const fenzoTiers: PartFactory<QueueOrder> = {
  description: 'Fenzo tiered queue: tiers in strict order; inside a tier, buckets (tenants) by weighted DRF on their SLA allocation, with guarantees and borrowing; per-group limits.',
  options: {
    tiers: { type: 'object', default: {}, description: 'Bucket (tenant) → tier number, 0 first.', check: checkTierMap },
    defaultTier: { type: 'integer', default: 0, min: 0, description: 'Tier of buckets not listed in tiers.' },
    sla: { type: 'object', default: {}, description: 'Bucket → { resource: quantity }: its guaranteed allocation and DRF weight.', check: checkResourceMaps },
    tierCapacity: { type: 'object', default: {}, description: 'Tier number → { resource: quantity }; default the sum of its buckets\' allocations.', check: checkResourceMaps },
    resAllocs,
    zeroAllowanceFails,
  },
  cost: 'O(buckets in the tier) per task taken',
  create: ({ view }, opts) => new FenzoQueue(view, opts, true),
};

function checkTierMap(value: OptionValue): string | undefined {
  for (const [bucket, tier] of Object.entries(value as Record<string, OptionValue>)) {
    if (typeof tier !== 'number' || !Number.isInteger(tier) || tier < 0) return `the tier of ${show(bucket)} must be a whole number ≥ 0, got ${show(tier)}`;
  }
  return undefined;
}
