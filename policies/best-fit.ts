// Placement "best-fit": the machine left with the least free quantity on the task's fit dimension.
// Cost: O(log N) to reach the first candidate in a free-ordered index, plus candidates that fail
// on other dimensions or constraints. Ties go to the lowest slot.
import type { PartFactory, Placement } from '../src/policy.js';
import { dimensionChooser, dimensionOption } from './dominant-dimension.js';

export const bestFit: PartFactory<Placement> = {
  description: 'The machine where the task fits most tightly: least free quantity left on the fit dimension (dominant by default), ties to the lowest slot.',
  options: { dimension: dimensionOption },
  cost: 'O(log N) per task via a free-ordered index, plus candidates rejected on other dimensions',
  create: ({ view }, options) => {
    const dimensionOf = dimensionChooser(view, options);
    return {
      place: (task) => {
        const d = dimensionOf(task);
        return view.scanByFreeUp(d, task.demand[d] as number, (m) => view.fits(task, m));
      },
    };
  },
};
