// Placement "min-power-increase": CloudSim's power-aware best fit (PABFD) — the machine whose power rises least.
// Cost: O(N) per task (every machine where it fits is priced); machines without a power model come last, lowest slot first.
import type { PartFactory, Placement } from '../src/policy.js';
import { viewUtilisation } from '../src/power/view-power.js';

export const minPowerIncrease: PartFactory<Placement> = {
  description: 'The machine whose modelled power rises least by taking the task, P(u after) − P(u now) (CloudSim PowerVmAllocationPolicyMigrationAbstract.findHostForVm); ties to the lowest slot',
  options: {
    max_utilisation: { type: 'number', default: 1, min: 0, description: 'Skip a non-empty machine whose utilisation would exceed this (CloudSim static threshold)' },
  },
  cost: 'O(N·D) per task: every machine where it fits is priced',
  create: ({ view }, options) => {
    const limit = options['max_utilisation'] as number;
    let fits = new Int32Array(0);
    return {
      place(task) {
        if (fits.length < view.size) fits = new Int32Array(view.size);
        const n = view.collectFits(task, fits);
        let best = -1;
        let bestDelta = Infinity;
        let unmodelled = -1;
        for (let i = 0; i < n; i++) {
          const m = fits[i] as number;
          const gp = view.power(m);
          if (gp === undefined) {
            if (unmodelled < 0) unmodelled = m;
            continue;
          }
          const after = viewUtilisation(view, m, gp.utilisation, task.demand);
          if (view.runningCount(m) > 0 && after > limit) continue;
          const delta = gp.model.power(after) - gp.model.power(viewUtilisation(view, m, gp.utilisation));
          if (delta < bestDelta) {
            bestDelta = delta;
            best = m;
          }
        }
        return best >= 0 ? best : unmodelled;
      },
    };
  },
};
