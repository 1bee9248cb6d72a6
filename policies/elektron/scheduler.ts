// Elektron's policies on the simulator: every up machine is an offer, filled in slot order by a packer.
import { secondsToMicros } from '../../src/engine/time.js';
import { inputError, show } from '../../src/errors.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView, Decisions, Options, PolicyContext, Scheduler } from '../../src/policy.js';
import { TaskPowerProfiles, type TaskWatts } from '../../src/power/profile.js';
import { byWatts, type Entry, type Offer, type OfferPacker } from './offers.js';

/** A queue entry: consecutive submissions of one job with one power profile (Elektron's `inst`). */
export interface TaskEntry extends Entry<TaskView> {
  readonly job: string;
  readonly profile: TaskWatts;
  /** The shape of the instance at `shapeHead` (null until a round looks at it). */
  shape: Shape | null;
  shapeHead: number;
}

/**
 * Tasks with one demand and one constraint list (by identity: trace readers share them) fit the same
 * machines, so a round looks up each shape's next fit once rather than once per entry.
 */
interface Shape {
  readonly task: TaskView;
  /** Within round `round`: the first machine slot ≥ the current offer where the shape fits, or -1. */
  nextFit: number;
  round: number;
}

/** What a round asks of the packer: how many it may place and how much of the queue to sort. */
export interface RoundPlan {
  readonly packer: OfferPacker;
  readonly sorted: boolean;
  /** The packer places at most one task per offer (first-fit), so an offered machine may still have room for more. */
  readonly onePerOffer: boolean;
  /** Placements allowed this round (switching's window), Infinity otherwise. */
  readonly limit: number;
  /** Sort only this many leading entries (switching), or all of them (Infinity). */
  readonly sortPrefix: number;
}

/**
 * The queue, offers and watts bookkeeping shared by every Elektron policy. Entries keep queue
 * order (admission order), and for sorting policies also (watts, queue position) order as they
 * arrive; a round offers each up machine where some queued task fits, in slot order (Mesos' offer
 * order is arbitrary; slot order is a stable stand-in; a machine nothing fits would only decline).
 */
export class ElektronQueue {
  entries: TaskEntry[] = [];
  readonly faithful: boolean;
  /** The skip quirk of bin-packing and max-greedymins (faithful variant with skip_after_exhausted). */
  private readonly skip: boolean;
  /** Tasks the running instance placed, per machine: watts in use. */
  private usedW = new Float64Array(0);
  private budgetW = new Float64Array(0);
  private readonly machineOf = new Map<number, number>();
  private readonly profiles: TaskPowerProfiles;
  private readonly waar: boolean;
  private readonly classMap: boolean;
  private readonly missingZero: boolean;
  private readonly classAttribute: string;
  private readonly wattsAttribute: string;
  private readonly offerInterval: number;
  /** When the next offer cycle is due (one at a time), or -1. */
  private nextCycle = -1;
  private placing = false;
  private order = 0;
  /** Σ demand of tasks this policy placed that still run, per dimension (switching's unused resources). */
  readonly allocated: Float64Array;

  /** Live entries by (watts, queue position), kept as tasks arrive, for policies that sort the whole queue. */
  private sorted: TaskEntry[] | null;
  /** Shapes by demand array; weak, so shapes of tasks long gone (readers that allocate per task) go too. */
  private readonly shapes = new WeakMap<Float64Array, Shape[]>();
  private rounds = 0;
  /** Set when an entry may have run out (a placement or a removal), so compaction is due. */
  private spent = false;
  private out: Decisions | null = null;
  private readonly offer: Offer<TaskView> & { m: number };

  /** @param keepSorted keep a sorted copy of the queue (bin-packing, max-min, max-greedymins). */
  constructor(private readonly ctx: PolicyContext, private readonly name: string, options: Options, keepSorted: boolean) {
    this.sorted = keepSorted ? [] : null;
    this.faithful = options['variant'] === 'faithful';
    this.skip = this.faithful && (options['skip_after_exhausted'] as boolean);
    this.profiles = new TaskPowerProfiles(options['task_watts'] as Options, options['default_watts'] as number);
    this.waar = options['watts_as_resource'] as boolean;
    this.classMap = options['class_map_watts'] as boolean;
    this.missingZero = this.faithful && (options['missing_class_zero'] as boolean);
    this.classAttribute = options['class_attribute'] as string;
    this.wattsAttribute = options['watts_attribute'] as string;
    this.offerInterval = secondsToMicros(options['offer_interval_s'] as number);
    const dims = ctx.view.resources.names.length;
    this.allocated = new Float64Array(dims);
    this.checkClasses(ctx.view);
    const view = ctx.view;
    const offer = {
      m: -1,
      // the packers' innermost test: without watts as a resource it is the cluster's fit alone
      fits: this.waar
        ? (task: TaskView): boolean => view.fits(task, offer.m) && (this.usedW[offer.m] as number) + this.wattsOn(this.profiles.of(task), offer.m) <= this.budget(offer.m)
        : (task: TaskView): boolean => view.fits(task, offer.m),
      take: (task: TaskView) => this.take(this.out as Decisions, task, offer.m),
    };
    this.offer = offer;
  }

  submitted(task: TaskView): void {
    const profile = this.profiles.of(task);
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && last.job === task.job && last.profile === profile && last.head < last.tasks.length) {
      last.tasks.push(task);
      return;
    }
    const entry: TaskEntry = { job: task.job, profile, watts: profile.watts, order: this.order++, tasks: [task], head: 0, shape: null, shapeHead: -1 };
    this.entries.push(entry);
    if (this.sorted !== null) {
      // the newest entry goes after every entry of equal or lower watts
      let lo = 0;
      let hi = this.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.sorted[mid] as TaskEntry).watts <= entry.watts) lo = mid + 1;
        else hi = mid;
      }
      this.sorted.splice(lo, 0, entry);
    }
  }

  removed(task: TaskView): void {
    if (this.placing) return;
    this.spent = true;
    for (const entry of this.entries) {
      const i = entry.tasks.indexOf(task, entry.head);
      if (i < 0) continue;
      entry.tasks.splice(i, 1);
      return;
    }
  }

  stopped(task: TaskView): void {
    for (let d = 0; d < this.allocated.length; d++) this.allocated[d] = (this.allocated[d] as number) - (task.demand[d] as number);
    if (!this.waar) return;
    const m = this.machineOf.get(task.uid);
    if (m === undefined) return;
    this.machineOf.delete(task.uid);
    this.usedW[m] = (this.usedW[m] as number) - this.wattsOn(this.profiles.of(task), m);
  }

  machineChanged(m: number): void {
    if (m < this.budgetW.length) this.budgetW[m] = NaN;
  }

  /** Drops exhausted entries; returns the live ones in queue order. */
  compact(): TaskEntry[] {
    if (!this.spent) return this.entries;
    this.spent = false;
    const live = (e: TaskEntry): boolean => e.head < e.tasks.length;
    if (!this.entries.every(live)) this.entries = this.entries.filter(live);
    if (this.sorted !== null && !this.sorted.every(live)) this.sorted = this.sorted.filter(live);
    return this.entries;
  }

  /** One offer cycle: offers machines in slot order to `plan.packer`; returns how many tasks it placed. */
  round(out: Decisions, plan: RoundPlan): number {
    const live = this.compact();
    if (live.length === 0 || plan.limit <= 0) return 0;
    // packers cut exhausted entries out of the queue they walk: the kept arrays can be walked as they are
    let queue: TaskEntry[];
    if (!plan.sorted) queue = live;
    else if (plan.sortPrefix >= live.length && this.sorted !== null) queue = this.sorted;
    else {
      queue = live.slice();
      const n = Math.min(plan.sortPrefix, queue.length);
      if (n === queue.length) queue.sort(byWatts);
      else if (n > 1) queue.splice(0, n, ...queue.slice(0, n).sort(byWatts));
    }
    this.rounds++;
    this.out = out;
    this.grow(this.ctx.view.size);
    let placed = 0;
    let skipped = false;
    const onSkip = (): void => void (skipped = true);
    const offer = this.offer;
    for (let m = this.nextOffer(queue, 0); m >= 0 && placed < plan.limit; m = this.nextOffer(queue, m + 1)) {
      offer.m = m;
      placed += plan.packer(queue, offer, { faithful: this.skip, skipped: onSkip, limit: plan.limit - placed });
    }
    // Elektron sees the machines again at the next offer cycle, at most offer_interval_s later (one
    // cycle pending at a time). Only one task per offer, a skipped entry or a full window can leave a
    // task that fits an offered machine; otherwise the next cycle would change nothing.
    const now = this.ctx.view.now;
    if (placed > 0 && queue.length > 0 && (plan.onePerOffer || skipped || placed >= plan.limit) && this.nextCycle <= now) {
      this.nextCycle = now + this.offerInterval;
      this.ctx.wakeAt(this.nextCycle);
    }
    return placed;
  }

  /**
   * The next machine (slot ≥ `from`) where some queued instance fits, or -1: machines that would
   * turn every task down are not offered. Free room only shrinks within a round and only on the
   * machine just offered, so each entry's next fit stays valid until the offers pass it.
   */
  private nextOffer(queue: readonly TaskEntry[], from: number): number {
    const round = this.rounds;
    let next = -1;
    for (const e of queue) {
      let s = e.shape;
      if (s === null || e.shapeHead !== e.head) {
        s = e.shape = this.shapeOf(e.tasks[e.head] as TaskView);
        e.shapeHead = e.head;
      }
      if (s.round !== round || (s.nextFit >= 0 && s.nextFit < from)) {
        s.round = round;
        s.nextFit = this.ctx.view.firstFit(s.task, from);
      }
      if (s.nextFit >= 0 && (next < 0 || s.nextFit < next)) next = s.nextFit;
    }
    return next;
  }

  private shapeOf(task: TaskView): Shape {
    let list = this.shapes.get(task.demand);
    if (list === undefined) this.shapes.set(task.demand, (list = []));
    for (const s of list) if (s.task.constraints === task.constraints) return s;
    const shape: Shape = { task, nextFit: -1, round: -1 };
    list.push(shape);
    return shape;
  }

  private take(out: Decisions, task: TaskView, m: number): void {
    this.spent = true;
    for (let d = 0; d < this.allocated.length; d++) this.allocated[d] = (this.allocated[d] as number) + (task.demand[d] as number);
    if (this.waar) {
      this.usedW[m] = (this.usedW[m] as number) + this.wattsOn(this.profiles.of(task), m);
      this.machineOf.set(task.uid, m);
    }
    this.placing = true;
    out.place(task, m);
    this.placing = false;
  }

  /** Elektron's WattsToConsider: the class-mapped watts when mapping is on and the task has a map. */
  private wattsOn(profile: TaskWatts, m: number): number {
    if (!this.classMap || profile.classWatts === null) return profile.watts;
    const cls = this.ctx.view.attributes(m)[this.classAttribute] ?? '';
    const w = profile.classWatts[cls];
    if (w !== undefined) return w;
    if (this.missingZero) return 0;
    throw inputError(RangeError, `Policy ${show(this.name)}: machine ${this.ctx.view.machineId(m)} has power class ${show(cls)}, which a task_watts entry with class_watts lacks (set missing_class_zero for Elektron's 0 W)`);
  }

  private budget(m: number): number {
    let b = this.budgetW[m] as number;
    if (Number.isNaN(b)) {
      const attr = this.ctx.view.attributes(m)[this.wattsAttribute];
      const parsed = attr === undefined ? NaN : Number(attr);
      b = Number.isFinite(parsed) ? parsed : (this.ctx.view.power(m)?.model.peakW ?? Infinity);
      this.budgetW[m] = b;
    }
    return b;
  }

  private grow(size: number): void {
    if (size <= this.usedW.length) return;
    const used = new Float64Array(size);
    used.set(this.usedW);
    this.usedW = used;
    const budget = new Float64Array(size).fill(NaN);
    budget.set(this.budgetW);
    this.budgetW = budget;
  }

  /** A profile naming a power class no machine has is an input error. */
  private checkClasses(view: ClusterView): void {
    const known = new Set<string>();
    for (let m = 0; m < view.size; m++) {
      const cls = view.attributes(m)[this.classAttribute];
      if (cls !== undefined) known.add(cls);
    }
    for (const cls of this.profiles.classes()) {
      if (!known.has(cls)) {
        throw inputError(RangeError, `Option "task_watts" of policy ${show(this.name)} names power class ${show(cls)}, which no machine has (attribute ${show(this.classAttribute)}: ${[...known].sort().join(', ') || 'none'})`);
      }
    }
  }
}

/** A Scheduler around an {@link ElektronQueue}; `plan` decides each round's packer and bounds. */
export function elektronScheduler(queue: ElektronQueue, plan: (out: Decisions) => void): Scheduler {
  return {
    submitted: (task) => queue.submitted(task),
    removed: (task) => queue.removed(task),
    stopped: (task) => queue.stopped(task),
    machineChanged: (m) => queue.machineChanged(m),
    schedule: plan,
  };
}
