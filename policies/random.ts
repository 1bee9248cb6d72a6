// Placement "random": a machine drawn uniformly from those where the task fits, from the run's seed.
// Cost: expected O(N / fitting) draws up to `tries`, then one O(fitting + log N) enumeration.
import type { PartFactory, Placement } from '../src/policy.js';

export const random: PartFactory<Placement> = {
  description: 'A machine chosen uniformly at random among those where the task fits (seeded: stream "placement").',
  options: {
    tries: { type: 'integer', default: 32, min: 0, description: 'Uniform draws over all machines before enumerating the fitting ones; either way the choice is uniform over fitting machines.' },
  },
  cost: 'O(tries) draws, then O(fitting machines) enumeration when the draws miss',
  create: ({ view, random: stream }, options) => {
    const draw = stream('placement');
    const tries = Number(options['tries']);
    let scratch = new Int32Array(0);
    return {
      place: (task) => {
        const n = view.size;
        for (let i = 0; i < tries; i++) {
          const m = Math.floor(draw() * n);
          if (view.fits(task, m)) return m;
        }
        if (scratch.length < n) scratch = new Int32Array(n);
        const count = view.collectFits(task, scratch);
        return count === 0 ? -1 : (scratch[Math.floor(draw() * count)] as number);
      },
    };
  },
};
