// Placement "first-fit": the lowest machine slot (cluster-spec order) where the task fits.
// Cost: O(D log N) through the max-free segment tree, plus constraint-rejected candidates.
import type { PartFactory, Placement } from '../src/policy.js';

export const firstFit: PartFactory<Placement> = {
  description: 'The first machine in cluster-spec order that has room and satisfies the constraints.',
  options: {},
  cost: 'O(D log N) per task via a max-free segment tree (plus machines rejected by constraints)',
  // it turns a task down only when no machine has room and satisfies its constraints: a strict misfit
  create: ({ view }) => ({ place: (task) => view.firstFit(task), misfit: () => true }),
};
