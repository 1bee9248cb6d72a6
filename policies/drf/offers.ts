// Composite "mesos": Mesos' two-level offer mode — the hierarchical DRF allocator offers whole agents,
// frameworks launch what fits and decline the rest. Cost per allocation run: see allocator.ts; a
// framework answering an offer visits its pending tasks in submission order.
import type { Micros } from '../../src/engine/time.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { inputError, show } from '../../src/errors.js';
import type { TaskView } from '../../src/model/task.js';
import type { Decisions, OptionSpec, Options, OptionValue, Policy, PolicyContext, Scheduler } from '../../src/policy.js';
import { OFFER_EVENTS } from '../../src/metrics/summary.js';
import { FifoList } from '../fifo.js';
import { HierarchicalAllocator, shuffleWith, type Offer } from './allocator.js';
import { checkTenant, quotaConfig, quotaOption, sorterConfig, sorterOptions } from './options.js';

export const offerOptions: Readonly<Record<string, OptionSpec>> = {
  ...sorterOptions,
  quota: quotaOption,
  allocation_interval: { type: 'number', default: 1, description: 'Seconds between batch allocation runs over all agents (Mesos --allocation_interval).', check: (v) => ((v as number) > 0 ? undefined : `must be > 0 seconds, got ${show(v)}`) },
  refuse_seconds: { type: 'number', default: 5, min: 0, description: 'Filter a framework installs when it declines (Filters.refuse_seconds); 0 = none; it lasts at least one allocation interval.' },
  offer_latency: { type: 'number', default: 0, min: 0, description: 'Seconds between an offer and the framework\'s answer; offered resources count as allocated meanwhile.' },
  min_allocatable: {
    type: 'array',
    default: [],
    description: "Offer only if some set is met in full, quantities in the cluster's base units (Mesos --min_allocatable_resources; its default cpus:0.01|mem:32 is [{cpu: 10}, {mem: 32}] on a millicore/MiB cluster); [] = any non-empty offer.",
    check: (value) => {
      for (const set of value as readonly OptionValue[]) {
        if (typeof set !== 'object' || set === null || Array.isArray(set)) return `every set must be a map of resource name to quantity, got ${show(set)}`;
        for (const [name, q] of Object.entries(set)) if (typeof q !== 'number' || !(q >= 0)) return `set entry ${name} must be a quantity ≥ 0, got ${show(q)}`;
      }
      return undefined;
    },
  },
  framework: { type: 'string', default: 'tenant', values: ['tenant', 'job'], description: 'What a Mesos framework is: one per tenant (role), or one per job within its tenant\'s role.' },
};

interface Framework {
  readonly id: string;
  readonly pending: FifoList;
  /** Tasks launched from its offers and still running. */
  running: number;
}

/** An offer made and not yet answered (offer latency). */
interface Outstanding {
  readonly offer: Offer;
  readonly made: Micros;
  readonly answerAt: Micros;
}

const OWNER = 'policy "mesos"';

class OfferScheduler implements Scheduler {
  readonly roundInterval: Micros;
  private readonly allocator: HierarchicalAllocator;
  private readonly frameworks = new Map<string, Framework>();
  private readonly frameworkOf = new Map<TaskView, Framework>();
  /** Where each task launched from an offer runs. */
  private readonly launchedOn = new Map<TaskView, number>();
  private readonly shuffle: (agents: number[]) => void;
  private readonly refuse: Micros;
  private readonly latency: Micros;
  private readonly byJob: boolean;
  private readonly roles: ReadonlySet<string> | null;
  private readonly dims: number;
  private outstanding: Outstanding[] = [];
  /** Pending tasks that ask for no resources at all. */
  private readonly unmetered = new FifoList();
  /** Per agent slot: resources offered and not yet answered. */
  private readonly offered: Float64Array[] = [];
  private firstSubmit: Micros = -1;
  private nextBatch: Micros = -1;
  /** Agents that joined, and whether frameworks were added or revived, since the last run. */
  private joined: number[] = [];
  private allAgents = false;
  /** Runs in a row that launched nothing with nothing else changing; bounded wakes keep the offer cycle going. */
  private idleRuns = 0;
  private readonly idleLimit: number;
  private readonly scratch: Float64Array;

  constructor(private readonly ctx: PolicyContext, options: Options) {
    const view = ctx.view;
    this.dims = view.resources.names.length;
    const sorter = sorterConfig(OWNER, options, view.resources);
    this.roles = sorter.roles;
    this.roundInterval = secondsToMicros(options['allocation_interval'] as number);
    this.refuse = secondsToMicros(options['refuse_seconds'] as number);
    this.latency = secondsToMicros(options['offer_latency'] as number);
    this.byJob = options['framework'] === 'job';
    const minAllocatable = (options['min_allocatable'] as readonly Readonly<Record<string, number>>[]).map((set, i) =>
      Object.entries(set).map(([name, q]) => {
        const d = view.resources.names.indexOf(name);
        if (d < 0) throw inputError(RangeError, `Option "min_allocatable" of ${OWNER}: set ${i} names resource ${show(name)}, which the cluster does not have (resources: ${view.resources.names.join(', ')})`);
        return [d, q] as const;
      }),
    );
    this.allocator = new HierarchicalAllocator({ dims: this.dims, excluded: sorter.excluded, tieBreak: sorter.tieBreak, weights: sorter.weights, interval: this.roundInterval, minAllocatable });
    for (const [role, quota] of quotaConfig(OWNER, options, view.resources)) this.allocator.setQuota(role, quota);
    this.shuffle = shuffleWith(ctx.random('offers'));
    this.idleLimit = Math.ceil(Math.max(this.refuse, this.roundInterval) / this.roundInterval) + 1;
    this.scratch = new Float64Array(this.dims);
    for (let m = 0; m < view.size; m++) if (view.isUp(m)) this.addAgent(m);
  }

  submitted(task: TaskView): void {
    if (this.firstSubmit < 0) this.firstSubmit = this.nextBatch = this.ctx.view.now;
    checkTenant(OWNER, task.tenant, this.roles);
    if (task.demand.every((q) => q === 0)) {
      // Mesos cannot launch a task that asks for nothing and never offers an empty agent: such tasks skip offers
      this.unmetered.add(task);
      return;
    }
    const id = this.byJob ? `${task.tenant}/${task.job}` : task.tenant;
    let fw = this.frameworks.get(id);
    if (fw === undefined) {
      fw = { id, pending: new FifoList(), running: 0 };
      this.frameworks.set(id, fw);
      this.allocator.addFramework(id, task.tenant);
      this.trigger();
    } else if (fw.pending.size === 0) {
      // a framework with work again revives its offers (clearing its filters), as Mesos frameworks do
      this.allocator.setActive(id, true);
      this.trigger();
    }
    fw.pending.add(task);
    this.frameworkOf.set(task, fw);
    this.idleRuns = 0;
  }

  removed(task: TaskView): void {
    this.unmetered.remove(task);
    const fw = this.frameworkOf.get(task);
    if (fw === undefined) return;
    fw.pending.remove(task);
    if (task.state !== 'running') this.frameworkOf.delete(task);
    if (fw.pending.size === 0) this.allocator.setActive(fw.id, false);
  }

  stopped(task: TaskView): void {
    const fw = this.frameworkOf.get(task);
    if (fw === undefined) return;
    const m = this.launchedOn.get(task);
    this.frameworkOf.delete(task);
    this.launchedOn.delete(task);
    if (m !== undefined) this.allocator.recover(fw.id, m, task.demand, null, this.ctx.view.now);
    fw.running--;
    // a job's framework is done when it has nothing left to run, as a finished Mesos framework unregisters
    if (this.byJob && fw.running === 0 && fw.pending.size === 0 && !this.outstanding.some((o) => o.offer.framework === fw.id)) {
      this.allocator.removeFramework(fw.id);
      this.frameworks.delete(fw.id);
    }
    this.idleRuns = 0;
  }

  machineChanged(m: number): void {
    const view = this.ctx.view;
    this.idleRuns = 0;
    if (this.allocator.isAgent(m)) {
      // capacity or liveness changed: the agent leaves and, if still up, re-registers (Mesos drops its filters)
      this.allocator.removeAgent(m);
    }
    if (view.isUp(m)) {
      this.addAgent(m);
      this.joined.push(m);
    }
  }

  schedule(out: Decisions): void {
    const now = this.ctx.view.now;
    const due = this.outstanding.filter((o) => o.answerAt <= now);
    if (due.length > 0) this.outstanding = this.outstanding.filter((o) => o.answerAt > now);
    const batch = this.firstSubmit >= 0 && now >= this.nextBatch;
    let agents: number[];
    if (batch || this.allAgents) {
      agents = [];
      for (let m = 0; m < this.ctx.view.size; m++) if (this.allocator.isAgent(m)) agents.push(m);
    } else {
      agents = this.joined.filter((m) => this.allocator.isAgent(m));
    }
    if (batch) this.nextBatch = this.firstSubmit + (Math.floor((now - this.firstSubmit) / this.roundInterval) + 1) * this.roundInterval;
    this.joined = [];
    this.allAgents = false;
    let launched = 0;
    for (const o of due) launched += this.answer(o, out);
    if (this.unmetered.size > 0) {
      this.unmetered.visit((task) => {
        const m = this.ctx.view.firstFit(task);
        if (m >= 0) out.place(task, m);
        return true;
      });
    }
    if (agents.length > 0) {
      this.syncUsed(agents);
      for (const offer of this.allocator.allocate(now, agents, batch, this.shuffle)) {
        this.ctx.log({ kind: OFFER_EVENTS.offer, machine: offer.agent, detail: offer.framework });
        const o: Outstanding = { offer, made: now, answerAt: now + this.latency };
        if (this.latency === 0) {
          launched += this.answer(o, out);
        } else {
          this.hold(offer, 1);
          this.outstanding.push(o);
          this.ctx.wakeAt(o.answerAt);
        }
      }
    }
    if (launched > 0) this.idleRuns = 0;
    else if (this.outstanding.length === 0) this.idleRuns++;
    if (launched === 0 && this.idleRuns <= this.idleLimit && this.firstSubmit >= 0 && this.hasPending()) this.ctx.wakeAt(this.nextBatch);
  }

  /** The framework launches, in submission order, its pending tasks that fit the offer; the rest is declined. */
  private answer(o: Outstanding, out: Decisions): number {
    const { offer } = o;
    const view = this.ctx.view;
    if (this.latency > 0) this.hold(offer, -1);
    const left = Float64Array.from(offer.resources);
    const fw = this.frameworks.get(offer.framework) as Framework;
    const chosen: TaskView[] = [];
    if (view.isUp(offer.agent)) {
      fw.pending.visit((task) => {
        for (let d = 0; d < this.dims; d++) if ((task.demand[d] as number) > (left[d] as number)) return true;
        if (!view.fits(task, offer.agent)) return true;
        chosen.push(task);
        for (let d = 0; d < this.dims; d++) left[d] = (left[d] as number) - (task.demand[d] as number);
        return true;
      });
    }
    for (const task of chosen) {
      this.ctx.log({ kind: OFFER_EVENTS.launch, machine: offer.agent, task, value: Math.max(0, o.made - task.submit) / 1e6 });
      this.launchedOn.set(task, offer.agent);
      fw.running++;
      out.place(task, offer.agent);
    }
    if (left.some((x) => x > 0)) {
      this.allocator.recover(offer.framework, offer.agent, left, this.refuse, view.now);
      // the value is how long the decline filter lasts (0: none)
      this.ctx.log({ kind: OFFER_EVENTS.declined, machine: offer.agent, detail: offer.framework, value: this.refuse > 0 ? Math.max(this.refuse, this.roundInterval) / 1e6 : 0 });
    }
    return chosen.length;
  }

  /**
   * Before a run the allocator takes what each agent holds from the view (running work plus offers
   * awaiting an answer), so work it did not place, or a changed capacity, is never offered.
   */
  private syncUsed(agents: readonly number[]): void {
    const view = this.ctx.view;
    const used = this.scratch;
    for (const m of agents) {
      const held = this.offered[m];
      for (let d = 0; d < this.dims; d++) used[d] = view.isUp(m) ? view.capacity(m, d) - view.free(m, d) + (held === undefined ? 0 : (held[d] as number)) : view.capacity(m, d);
      this.allocator.setUsed(m, used);
    }
  }

  private hold(offer: Offer, sign: 1 | -1): void {
    const held = (this.offered[offer.agent] ??= new Float64Array(this.dims));
    for (let d = 0; d < this.dims; d++) held[d] = (held[d] as number) + sign * (offer.resources[d] as number);
  }

  private addAgent(m: number): void {
    const view = this.ctx.view;
    const total = new Float64Array(this.dims);
    for (let d = 0; d < this.dims; d++) total[d] = view.capacity(m, d);
    this.allocator.addAgent(m, total);
  }

  private trigger(): void {
    this.allAgents = true;
    this.ctx.wakeAt(this.ctx.view.now);
  }

  private hasPending(): boolean {
    for (const fw of this.frameworks.values()) if (fw.pending.size > 0) return true;
    return false;
  }
}

export const mesos = {
  description: "Mesos' two-level offer mode: the hierarchical DRF allocator offers each agent's free resources whole to the lowest-share framework of the lowest-share role on an allocation interval; frameworks launch what fits and decline the rest with a filter.",
  options: offerOptions,
  cost: 'O(A × (R log R + F log F)) per allocation run over A agents, R roles, F frameworks per role; O(pending of the framework) per offer answered',
  /** Option mismatches with the cluster (unknown resource names, undeclared roles) are input errors at run start. */
  create: (name: string, options: Options): Policy => ({ name, options, create: (ctx: PolicyContext) => new OfferScheduler(ctx, options) }),
};
