// Controller "power-down": switches off machines idle for a while and wakes them when pending work needs room.
import { secondsToMicros, type Micros } from '../src/engine/time.js';
import type { ControllerFactory } from '../src/policy.js';

/**
 * Each tick: a powered machine that has run nothing for `idle_s` is taken down (it then draws its
 * group's `off_w`; the meter adds `power_down_j`); if a pending task fits no up machine, the lowest
 * powered-down machine whose capacity could hold it is brought up after `wake_up_s` (the meter adds
 * `wake_up_j`). Only machines this controller switched off are woken; failures stay down.
 */
export const powerDown: ControllerFactory = {
  description: 'Power states: switch off machines idle for idle_s, wake one (after wake_up_s) for each pending task that fits no up machine',
  options: {
    idle_s: { type: 'number', default: 300, min: 0, description: 'Seconds a machine must have run nothing before it is switched off' },
    wake_up_s: { type: 'number', default: 60, min: 0, description: 'Seconds from the wake-up decision until the machine takes tasks' },
    interval_s: { type: 'number', default: 10, min: 0.000001, description: 'Seconds between ticks' },
    keep_up: { type: 'integer', default: 0, min: 0, description: 'Never switch off below this many up machines' },
  },
  interval: (o) => secondsToMicros(o['interval_s'] as number),
  create(ctx, o) {
    const view = ctx.view;
    const idle = secondsToMicros(o['idle_s'] as number);
    const wake = secondsToMicros(o['wake_up_s'] as number);
    const keepUp = o['keep_up'] as number;
    const idleSince: (Micros | undefined)[] = [];
    /** 1: switched off by this controller, 2: waking up. */
    const state: number[] = [];
    return {
      tick() {
        const now = view.now;
        let up = 0;
        for (let m = 0; m < view.size; m++) if (view.isUp(m)) up++;
        for (let m = 0; m < view.size; m++) {
          if (state[m] === 2 && view.isUp(m)) state[m] = 0;
          if (!view.isUp(m)) continue;
          // idle time counts from the last tick the machine was seen busy (or up for the first time)
          if (view.runningCount(m) > 0 || idleSince[m] === undefined) idleSince[m] = now;
          else if (now - (idleSince[m] as number) >= idle && up > keepUp) {
            ctx.control.takeDown(m);
            state[m] = 1;
            idleSince[m] = undefined;
            up--;
          }
        }
        ctx.control.visitPending((task) => {
          if (view.mayFit(task)) return true;
          const holds = (m: number): boolean => {
            let d = 0;
            while (d < task.demand.length && (task.demand[d] as number) <= view.capacity(m, d)) d++;
            return d === task.demand.length;
          };
          for (let m = 0; m < view.size; m++) if (state[m] === 2 && holds(m)) return true;
          for (let m = 0; m < view.size; m++) {
            if (state[m] !== 1 || !holds(m)) continue;
            state[m] = 2;
            ctx.control.bringUp(m, wake);
            return true;
          }
          return true;
        });
      },
    };
  },
};
