// Shared by best-fit and worst-fit: the dimension a task is sized by, its option, and the free-ordered search.
import { inputError } from '../src/errors.js';
import type { ClusterView, OptionSpec, Options, Placement } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';

export const dimensionOption: OptionSpec = {
  type: 'string',
  default: 'dominant',
  description: 'Resource to fit on: "dominant" (the task\'s largest demand relative to the cluster\'s total capacity, ties to the first declared) or a resource name.',
  values: ['dominant', '<resource name>'],
};

/** Returns a function giving the dimension to fit `task` on; validates a named resource. */
export function dimensionChooser(view: ClusterView, options: Options): (task: TaskView) => number {
  const choice = String(options['dimension'] ?? 'dominant');
  if (choice !== 'dominant') {
    const d = view.resources.names.indexOf(choice);
    if (d < 0) throw inputError(RangeError, `Option "dimension" is ${JSON.stringify(choice)}; expected "dominant" or one of ${view.resources.names.join(', ')}`);
    return () => d;
  }
  const dims = view.resources.names.length;
  return (task) => {
    let best = 0;
    let bestShare = -1;
    for (let d = 0; d < dims; d++) {
      const total = view.totalCapacity(d);
      const share = total > 0 ? (task.demand[d] as number) / total : 0;
      if (share > bestShare) {
        bestShare = share;
        best = d;
      }
    }
    return best;
  };
}

/**
 * The shared shape of best-fit and worst-fit: the first machine where the task fits, walking the
 * machines ordered by free room on the task's fit dimension in `direction`.
 */
export function freeOrderedPlacement(view: ClusterView, options: Options, direction: 'up' | 'down'): Placement {
  const dimensionOf = dimensionChooser(view, options);
  return {
    place: (task) => view.fitByFree(task, dimensionOf(task), direction),
    // a task is turned down only when no machine has room for it and its constraints
    misfit: () => true,
    // fitByFree answers misfits from its memory and its walk, so the max-free tree is not needed
    checksFitItself: true,
  };
}
