// Headline metrics of a run, from the counts of its ended attempts and its usage; definitions are in the README.
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { AttemptFigures, ListFigures } from './attempt-stats.js';
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
 * The summary of a run: the counts of its ended attempts (gathered with tasks.arrow, see
 * {@link AttemptFigures}), its usage, and what the Mesos offer mode logged. The offer waits keep at
 * most `memoryLimit` values in memory and move the rest to `.offer-wait.samples` in `scratchDir`;
 * `dispose` deletes that file.
 */
export class SummaryBuilder {
  private offers = 0;
  private declined = 0;
  private readonly offerWaits: Samples;

  constructor(scratchDir: string | null = null, memoryLimit?: number) {
    this.offerWaits = new Samples(1024, scratchDir === null ? null : { path: join(scratchDir, '.offer-wait.samples'), memoryLimit });
  }

  /** Deletes the scratch file; call once the summary is built, or when the run fails. */
  dispose(): void {
    this.offerWaits.dispose();
  }

  /** Counts what the Mesos offer mode logs: offers made, declined, and each launch's wait for its offer. */
  event(event: EventRecord): void {
    if (event.kind === OFFER_EVENTS.offer) this.offers++;
    else if (event.kind === OFFER_EVENTS.declined) this.declined++;
    else if (event.kind === OFFER_EVENTS.launch && event.value !== undefined) this.offerWaits.push(event.value);
  }

  /** The summary; call after the ledger has been finished at `end`. */
  build(resources: readonly string[], ledger: UsageLedger, firstSubmit: Micros, end: Micros, events: number, attempts: AttemptFigures): Summary {
    const c = attempts.counts;
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
      makespan_s: attempts.lastFinish < 0 ? null : microsToSeconds(attempts.lastFinish - firstSubmit),
      ...stats('wait', '_s', attempts.wait),
      ...stats('slowdown', '', attempts.slowdown),
      ...stats('bounded_slowdown', '', attempts.bounded),
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

function stats(name: string, unit: string, figures: ListFigures): Summary {
  return {
    [`${name}_mean${unit}`]: figures.mean,
    [`${name}_p50${unit}`]: figures.p50,
    [`${name}_p95${unit}`]: figures.p95,
    [`${name}_p99${unit}`]: figures.p99,
  };
}
