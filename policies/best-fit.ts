// Placement "best-fit": the machine left with the least free quantity on the task's fit dimension.
// Cost: O(D log N) to rule out "nothing fits" first, then O(log N) to reach the first candidate in
// a free-ordered index, plus candidates that fail on other dimensions or constraints. Ties go to
// the lowest slot.
import type { TaskView } from '../src/model/task.js';
import type { PartFactory, Placement } from '../src/policy.js';
import { dimensionChooser, dimensionOption } from './dominant-dimension.js';

export const bestFit: PartFactory<Placement> = {
  description: 'The machine where the task fits most tightly: least free quantity left on the fit dimension (dominant by default), ties to the lowest slot.',
  options: { dimension: dimensionOption },
  cost: 'O(log N) per task via a free-ordered index, plus candidates rejected on other dimensions',
  create: ({ view }, options) => {
    const dimensionOf = dimensionChooser(view, options);
    // one visitor for every call, reading the task being placed: no closure per task
    let placing: TaskView | null = null;
    const fitsPlacing = (m: number): boolean => view.fits(placing as TaskView, m);
    return {
      place: (task) => {
        // when nothing fits, firstFit (the max-free tree, or the cluster's memory of misfits) says
        // so quickly, where the scan would visit every machine with room in dimension d
        if (view.firstFit(task) < 0) return -1;
        const d = dimensionOf(task);
        placing = task;
        return view.scanByFreeUp(d, task.demand[d] as number, fitsPlacing);
      },
    };
  },
};
