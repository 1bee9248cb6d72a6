// A capping controller on the simulator: samples power each tick, applies a rule's caps as slow-downs.
import { secondsToMicros } from '../../src/engine/time.js';
import type { Controller, ControllerContext, ControllerFactory, OptionSpec, Options } from '../../src/policy.js';
import { raplLimitUw } from '../../src/power/rapl.js';
import { viewUtilisation, viewWatts } from '../../src/power/view-power.js';
import { MeanWindow, type CapAction, type NodePower } from './window.js';

/** A capping rule: one decision per tick from the cluster mean and the nodes' recent power. */
export interface CapRule {
  tick(clusterMean: number, nodes: readonly NodePower[]): CapAction | null;
}

const CAPPING_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  hi_w: { type: 'number', default: 700, min: 0, description: 'Cap when the cluster mean power is above this (watts; Elektron -hiThreshold)' },
  lo_w: { type: 'number', default: 400, min: 0, description: 'Uncap when the cluster mean power is below this (watts; Elektron -loThreshold)' },
  interval_s: { type: 'number', default: 1, min: 0.000001, description: 'Seconds between ticks (Elektron samples power once a second)' },
  cluster_window: { type: 'integer', default: 5, min: 1, description: 'Cluster samples averaged into the cluster mean' },
  node_window: { type: 'integer', default: 5, min: 1, description: 'Ticks averaged into a node\'s power when choosing victims' },
  slowdown: {
    type: 'string',
    default: 'dvfs',
    values: ['dvfs', 'none'],
    description: 'dvfs: a capped machine whose modelled power exceeds its limit slows to speed r = ((limit − idle) ÷ (P(u) − idle))^(1/e), e its dvfs_exponent; none: caps are recorded only (Elektron models no slow-down)',
  },
  min_speed: { type: 'number', default: 0.05, min: 0.000001, description: 'The slowest relative speed a cap can impose (a limit at or below idle power gives this)' },
};

/** The relative speed under a cap of `pct` % of peak power for machine m at its current load (1 when the cap does not bind). */
function cappedSpeed(ctx: ControllerContext, m: number, pct: number, minSpeed: number): number {
  const gp = ctx.view.power(m);
  if (gp === undefined || pct >= 100) return 1;
  const model = gp.model;
  const demand = model.power(viewUtilisation(ctx.view, m, gp.utilisation));
  const limit = (pct / 100) * model.peakW;
  if (demand <= limit) return 1;
  if (limit <= model.idleW) return minSpeed;
  return Math.max(minSpeed, Math.pow((limit - model.idleW) / (demand - model.idleW), 1 / gp.dvfsExponent));
}

/** Makes a capping controller factory from a rule built from the options. */
export function cappingController(description: string, options: Readonly<Record<string, OptionSpec>>, makeRule: (options: Options) => CapRule): ControllerFactory {
  return {
    description,
    options: { ...CAPPING_OPTIONS, ...options },
    interval: (o) => secondsToMicros(o['interval_s'] as number),
    create(ctx, o): Controller {
      const rule = makeRule(o);
      const view = ctx.view;
      const cluster = new MeanWindow(o['cluster_window'] as number);
      const nodeWindow = o['node_window'] as number;
      const minSpeed = o['min_speed'] as number;
      const slow = o['slowdown'] === 'dvfs';
      const nodes: MeanWindow[] = [];
      const caps = new Map<number, number>();
      const slotOf = new Map<string, number>();
      const apply = (m: number, pct: number): void => {
        const gp = view.power(m);
        if (!slow || gp === undefined || !view.isUp(m)) return;
        const speed = gp.speed * cappedSpeed(ctx, m, pct, minSpeed);
        if (speed !== view.speed(m)) ctx.control.setSpeed(m, speed);
      };
      return {
        tick() {
          let total = 0;
          const readings: NodePower[] = [];
          for (let m = 0; m < view.size; m++) {
            if (view.power(m) === undefined) continue;
            const w = viewWatts(view, m);
            total += w;
            const window = (nodes[m] ??= new MeanWindow(nodeWindow));
            window.push(w);
            if (!view.isUp(m)) continue;
            const id = view.machineId(m);
            slotOf.set(id, m);
            readings.push({ id, watts: window.mean });
          }
          cluster.push(total);
          const action = rule.tick(cluster.mean, readings);
          if (action !== null) {
            const m = slotOf.get(action.id) as number;
            if (action.pct >= 100) caps.delete(m);
            else caps.set(m, action.pct);
            // the limit as Elektron sets it on a RAPL package whose maximum is the model's peak
            const limitUw = raplLimitUw((view.power(m)?.model.peakW ?? 0) * 1e6, action.pct);
            ctx.log({ kind: action.kind, machine: m, detail: `limit ${limitUw / 1e6} W`, value: action.pct });
            if (action.pct >= 100) apply(m, 100);
          }
          // a cap binds harder or looser as load changes: re-derive every capped machine's speed each tick
          for (const [m, pct] of caps) apply(m, pct);
        },
      };
    },
  };
}
