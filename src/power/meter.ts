// Exact energy per machine: power is piecewise constant between events, so E = Σ P × Δt at every change.
import type { Micros } from '../engine/time.js';
import type { Cluster } from '../model/cluster.js';
import { DOMINANT, drawW, type GroupPower } from './spec.js';

/** Watts × µs per joule. */
const MICROS_PER_SECOND = 1e6;

/**
 * Integrates each machine's power over time. The caller (the usage ledger) accrues a machine for
 * the interval since its last change before every change of its allocation, up state or speed, so
 * the state read here is the one that held over the whole interval.
 *
 * Power of machine m: down → the group's `off_w`; up → `idle + (P(u) − idle) × r^e` where P is the
 * group's model, u its utilisation (see {@link GroupPower.utilisation}), r = speed ÷ the group's
 * speed (1 unless a controller or the trace changed it) and e = the group's `dvfs_exponent`.
 */
export class PowerMeter {
  /** Per machine: joules so far, joules while up with no task running, µs running below the group's speed. */
  energy = new Float64Array(0);
  idleEnergy = new Float64Array(0);
  throttled = new Float64Array(0);
  /** Joules of power-state transitions (wake-ups and power-downs), cluster-wide; also in `energy`. */
  transitionEnergy = 0;
  private wasUp = new Uint8Array(0);
  private readonly groups: readonly (GroupPower | undefined)[];

  private constructor(private readonly cluster: Cluster) {
    this.groups = cluster.spec.groups.map((g) => g.power);
    this.ensure(cluster.size);
  }

  /** A meter for the cluster, or null when no group has a power model (no energy is reported). */
  static for(cluster: Cluster): PowerMeter | null {
    return cluster.spec.groups.some((g) => g.power !== undefined) ? new PowerMeter(cluster) : null;
  }


  /** Watts machine `m` draws in its current state; 0 for a machine without a model. */
  power(m: number): number {
    const gp = this.groups[this.cluster.groupOf[m] as number];
    if (gp === undefined) return 0;
    const c = this.cluster;
    if (c.up[m] !== 1) return gp.offW;
    const dims = c.dims;
    const base = m * dims;
    let u: number;
    if (gp.utilisation === DOMINANT) {
      u = 0;
      for (let d = 0; d < dims; d++) {
        const cap = c.capacity[base + d] as number;
        if (cap > 0) {
          const share = (cap - (c.free[base + d] as number)) / cap;
          if (share > u) u = share;
        }
      }
    } else {
      const cap = c.capacity[base + gp.utilisation] as number;
      u = cap > 0 ? (cap - (c.free[base + gp.utilisation] as number)) / cap : 0;
    }
    return drawW(gp, true, u, c.speed[m] as number);
  }

  /** Accounts machine `m` over the `dt` µs that just ended in its current state. */
  accrue(m: number, dt: Micros): void {
    const gp = this.groups[this.cluster.groupOf[m] as number];
    if (gp === undefined) return;
    const c = this.cluster;
    const up = c.up[m] as number;
    let transition = 0;
    if (up !== this.wasUp[m]) {
      // the state changed at the start of this interval: the machine woke up or powered down then
      transition = up === 1 ? gp.wakeUpJ : gp.powerDownJ;
      this.transitionEnergy += transition;
      this.wasUp[m] = up;
    }
    const joules = (this.power(m) * dt) / MICROS_PER_SECOND;
    this.energy[m] = (this.energy[m] as number) + joules + transition;
    if (up === 1 && (c.running[m] as number) === 0) this.idleEnergy[m] = (this.idleEnergy[m] as number) + joules;
    if (up === 1 && (c.speed[m] as number) < gp.speed) this.throttled[m] = (this.throttled[m] as number) + dt;
  }

  /** Cluster power now, and per power class into `perClass` (indexed like {@link powerClasses}). */
  clusterPower(classOf: Int32Array, perClass: Float64Array): number {
    perClass.fill(0);
    let total = 0;
    for (let m = 0; m < this.cluster.size; m++) {
      const g = this.cluster.groupOf[m] as number;
      if (this.groups[g] === undefined) continue;
      const p = this.power(m);
      total += p;
      const k = classOf[g] as number;
      perClass[k] = (perClass[k] as number) + p;
    }
    return total;
  }

  /** True if machine `m` has a power model. */
  has(m: number): boolean {
    return this.groups[this.cluster.groupOf[m] as number] !== undefined;
  }

  ensure(slots: number): void {
    if (slots <= this.energy.length) return;
    const n = Math.max(slots, 2 * this.energy.length);
    const grow = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const out = new Float64Array(n);
      out.set(a);
      return out;
    };
    this.energy = grow(this.energy);
    this.idleEnergy = grow(this.idleEnergy);
    this.throttled = grow(this.throttled);
    const wasUp = new Uint8Array(n);
    wasUp.set(this.wasUp);
    for (let m = this.wasUp.length; m < Math.min(n, this.cluster.size); m++) wasUp[m] = this.cluster.up[m] as number;
    this.wasUp = wasUp;
  }

}

/**
 * Power classes for the time series: each group with a power model is in the class named by its
 * `class` attribute (its name if it has none). Returns the sorted class names and each group's class index.
 */
export function powerClasses(groups: readonly { name: string; attributes: Readonly<Record<string, string>>; power?: GroupPower }[]): { names: string[]; classOf: Int32Array } {
  const classOfGroup = groups.map((g) => (g.power === undefined ? null : (g.attributes['class'] ?? g.name)));
  const names = [...new Set(classOfGroup.filter((c): c is string => c !== null))].sort();
  return { names, classOf: Int32Array.from(classOfGroup, (c) => (c === null ? -1 : names.indexOf(c))) };
}
