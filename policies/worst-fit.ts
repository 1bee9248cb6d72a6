// Placement "worst-fit" (spread): the machine with the most free quantity on the task's fit dimension.
// Cost: O(D log N) to rule out "nothing fits" first, then O(log N) to reach the first candidate in
// a free-ordered index, plus candidates that fail on other dimensions or constraints. Ties go to
// the lowest slot.
import type { PartFactory, Placement } from '../src/policy.js';
import { dimensionOption, freeOrderedPlacement } from './dominant-dimension.js';

export const worstFit: PartFactory<Placement> = {
  description: 'Spreads load: the machine with the most free quantity on the fit dimension (dominant by default), ties to the lowest slot.',
  options: { dimension: dimensionOption },
  cost: 'O(log N) per task via a free-ordered index, plus candidates rejected on other dimensions',
  create: ({ view }, options) => freeOrderedPlacement(view, options, 'down'),
};
