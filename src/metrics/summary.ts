// Headline metrics of a run, accumulated as tasks end; definitions are in the README.
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { Task, TaskState } from '../model/task.js';
import { join } from 'node:path';
import { Samples, jainIndex } from './stats.js';
import type { UsageLedger } from './usage.js';
import type { EventRecord } from '../policy.js';

/** Seconds below which bounded slowdown treats a run as this long (Feitelson's τ). */
export const BOUNDED_SLOWDOWN_FLOOR_S = 10;

export type Summary = Record<string, number | null>;

/** The events.arrow kinds of the Mesos offer mode that the summary counts. */
export const OFFER_EVENTS = { offer: 'offer', declined: 'offer-declined', launch: 'offer-launch' } as const;

/**
 * Wait and run time (seconds), slowdown and bounded slowdown of a task attempt; NaN where undefined
 * (not null: a reused record whose fields are always numbers stores them without a heap number each).
 */
export interface TaskTimes {
  wait: number;
  run: number;
  slowdown: number;
  bounded: number;
}

/** The times of `task`, written into `out` (pass one record to reuse it for every task). */
export function taskTimes(task: Task, out: TaskTimes = { wait: NaN, run: NaN, slowdown: NaN, bounded: NaN }): TaskTimes {
  return attemptTimes(task.submit, task.start, task.end, out);
}

/** The times of an attempt submitted, started and ended at these µs (start and end -1 if it did not), written into `out`. */
export function attemptTimes(submit: Micros, start: Micros, end: Micros, out: TaskTimes): TaskTimes {
  out.wait = out.run = out.slowdown = out.bounded = NaN;
  if (start < 0) return out;
  const wait = microsToSeconds(start - submit);
  out.wait = wait;
  if (end < 0) return out;
  const run = microsToSeconds(end - start);
  out.run = run;
  out.slowdown = run > 0 ? (wait + run) / run : NaN;
  out.bounded = Math.max(1, (wait + run) / Math.max(run, BOUNDED_SLOWDOWN_FLOOR_S));
  return out;
}

/**
 * Counts and sample lists of a run. With `scratchDir`, each sample list keeps at most `memoryLimit`
 * values in memory and moves the rest to a hidden scratch file there (`.<name>.samples`), so memory
 * does not grow with the trace; `dispose` deletes those files.
 */
export class SummaryBuilder {
  private readonly counts: Record<TaskState, number> = { waiting: 0, running: 0, finished: 0, killed: 0, preempted: 0, unschedulable: 0 };
  private readonly waits: Samples;
  private readonly slowdowns: Samples;
  private readonly bounded: Samples;
  private lastFinish = -1;
  private offers = 0;
  private declined = 0;
  private readonly offerWaits: Samples;

  constructor(scratchDir: string | null = null, memoryLimit?: number) {
    const samples = (name: string) => new Samples(1024, scratchDir === null ? null : { path: join(scratchDir, `.${name}.samples`), memoryLimit });
    this.waits = samples('wait');
    this.slowdowns = samples('slowdown');
    this.bounded = samples('bounded-slowdown');
    this.offerWaits = samples('offer-wait');
  }

  /** Deletes the scratch files; call once the summary is built, or when the run fails. */
  dispose(): void {
    for (const s of [this.waits, this.slowdowns, this.bounded, this.offerWaits]) s.dispose();
  }

  /** Counts a task attempt that reached its final state as `state` at `end` (-1 if it has not ended); `times` are its {@link attemptTimes}. */
  taskEnded(state: TaskState, end: Micros, times: TaskTimes): void {
    this.counts[state]++;
    if (!Number.isNaN(times.wait)) this.waits.push(times.wait);
    if (state === 'finished') {
      if (!Number.isNaN(times.slowdown)) this.slowdowns.push(times.slowdown);
      if (!Number.isNaN(times.bounded)) this.bounded.push(times.bounded);
      if (end > this.lastFinish) this.lastFinish = end;
    }
  }

  /** Counts what the Mesos offer mode logs: offers made, declined, and each launch's wait for its offer. */
  event(event: EventRecord): void {
    if (event.kind === OFFER_EVENTS.offer) this.offers++;
    else if (event.kind === OFFER_EVENTS.declined) this.declined++;
    else if (event.kind === OFFER_EVENTS.launch && event.value !== undefined) this.offerWaits.push(event.value);
  }

  /** The summary; call after the ledger has been finished at `end`. */
  build(resources: readonly string[], ledger: UsageLedger, firstSubmit: Micros, end: Micros, events: number): Summary {
    const c = this.counts;
    const out: Summary = {
      tasks: c.waiting + c.running + c.finished + c.killed + c.preempted + c.unschedulable,
      finished: c.finished,
      killed: c.killed,
      preempted: c.preempted,
      unschedulable: c.unschedulable,
      running_at_end: c.running,
      waiting_at_end: c.waiting,
      start_s: firstSubmit < 0 ? null : microsToSeconds(firstSubmit),
      end_s: microsToSeconds(end),
      makespan_s: this.lastFinish < 0 ? null : microsToSeconds(this.lastFinish - firstSubmit),
      ...stats('wait', '_s', this.waits),
      ...stats('slowdown', '', this.slowdowns),
      ...stats('bounded_slowdown', '', this.bounded),
    };
    let sum = 0;
    let counted = 0;
    resources.forEach((name, d) => {
      const capacity = ledger.clusterCapacity[d] as number;
      const u = capacity > 0 ? (ledger.clusterAllocated[d] as number) / capacity : null;
      out[`utilisation_${name}`] = u;
      if (u !== null) {
        sum += u;
        counted++;
      }
    });
    out['utilisation_mean'] = counted > 0 ? sum / counted : null;
    const shares = ledger.tenantShares(end);
    out['tenants'] = shares.length;
    out['jain_fairness'] = jainIndex(shares.map((s) => s.share));
    out['preemptions'] = c.preempted;
    out['offers_made'] = this.offers;
    out['offers_declined'] = this.declined;
    out['offer_wait_mean_s'] = this.offerWaits.mean();
    out['events'] = events;
    return out;
  }
}

function stats(name: string, unit: string, samples: Samples): Summary {
  const [p50, p95, p99] = samples.quantiles([0.5, 0.95, 0.99]);
  return {
    [`${name}_mean${unit}`]: samples.mean(),
    [`${name}_p50${unit}`]: p50 ?? null,
    [`${name}_p95${unit}`]: p95 ?? null,
    [`${name}_p99${unit}`]: p99 ?? null,
  };
}
