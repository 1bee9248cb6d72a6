// What a run reports about power: time-series columns, per-machine cells and summary figures.
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { Cluster } from '../model/cluster.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { Samples, quantile } from '../metrics/stats.js';
import type { Summary } from '../metrics/summary.js';
import { powerClasses, type PowerMeter } from './meter.js';

const JOULES_PER_KWH = 3_600_000;

/** Power columns of timeseries.arrow and power figures of the summary, for clusters with power models. */
export class PowerOutputs {
  readonly classes: readonly string[];
  private readonly classOf: Int32Array;
  private readonly perClass: Float64Array;
  private readonly samples = new Samples();
  /** Per machine: µs under a cap so far, and when its current cap began (-1: uncapped). */
  private capped: number[] = [];
  private cappedSince: number[] = [];

  constructor(private readonly spec: ClusterSpec) {
    const { names, classOf } = powerClasses(spec.groups);
    this.classes = names;
    this.classOf = classOf;
    this.perClass = new Float64Array(names.length);
  }

  /** True when some group has a power model (else no power columns and null power figures). */
  get metered(): boolean {
    return this.classes.length > 0;
  }

  /** timeseries.arrow column names: cluster power, then one per power class. */
  seriesColumns(): string[] {
    return this.metered ? ['power_w', ...this.classes.map((c) => `power_w_${c}`)] : [];
  }

  /** Cluster power now (written to the series and kept for the percentiles) and per class into `out`. */
  sample(meter: PowerMeter): { total: number; perClass: Float64Array } {
    const total = meter.clusterPower(this.classOf, this.perClass);
    this.samples.push(total);
    return { total, perClass: this.perClass };
  }

  /** Follows `cap` / `uncap` rows of events.arrow: a machine is capped from a cap below 100 % until one of 100 %. */
  event(kind: string, m: number, pct: number, now: Micros): void {
    if ((kind !== 'cap' && kind !== 'uncap') || m < 0) return;
    const since = this.cappedSince[m] ?? -1;
    if (pct < 100 && since < 0) this.cappedSince[m] = now;
    else if (pct >= 100 && since >= 0) {
      this.capped[m] = (this.capped[m] ?? 0) + now - since;
      this.cappedSince[m] = -1;
    }
  }

  /** Seconds machine m spent capped up to `end`. */
  cappedSeconds(m: number, end: Micros): number {
    const since = this.cappedSince[m] ?? -1;
    return microsToSeconds((this.capped[m] ?? 0) + (since >= 0 ? end - since : 0));
  }

  /** Summary power figures; every one is null when no group has a power model. */
  summary(meter: PowerMeter | null, cluster: Cluster, start: Micros, end: Micros): Summary {
    if (meter === null) {
      return { energy_j: null, energy_kwh: null, idle_energy_j: null, transition_energy_j: null, facility_energy_j: null, power_mean_w: null, power_peak_w: null, power_p95_w: null, power_p99_w: null, capped_machine_s: null, throttled_machine_s: null };
    }
    let energy = 0;
    let idle = 0;
    let throttled = 0;
    let capped = 0;
    for (let m = 0; m < cluster.size; m++) {
      energy += meter.energy[m] as number;
      idle += meter.idleEnergy[m] as number;
      throttled += meter.throttled[m] as number;
      capped += this.cappedSeconds(m, end);
    }
    const span = microsToSeconds(end - start);
    const sorted = this.samples.sorted();
    return {
      energy_j: energy,
      energy_kwh: energy / JOULES_PER_KWH,
      idle_energy_j: idle,
      transition_energy_j: meter.transitionEnergy,
      facility_energy_j: this.spec.pue === undefined ? null : energy * this.spec.pue,
      power_mean_w: start >= 0 && span > 0 ? (energy - meter.transitionEnergy) / span : null,
      power_peak_w: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : null,
      power_p95_w: quantile(sorted, 0.95),
      power_p99_w: quantile(sorted, 0.99),
      capped_machine_s: capped,
      throttled_machine_s: microsToSeconds(throttled),
    };
  }
}
