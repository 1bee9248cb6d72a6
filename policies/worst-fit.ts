// Placement "worst-fit" (spread): the machine with the most free quantity on the task's fit dimension.
// Cost: O(log N) to reach the first candidate in a free-ordered index, plus candidates that fail
// on constraints (buckets or chunks of machines short of room on other dimensions are skipped
// whole); O(D) for a demand already found to fit nowhere. Ties go to the lowest slot.
import type { PartFactory, Placement } from '../src/policy.js';
import { dimensionOption, freeOrderedPlacement } from './dominant-dimension.js';

export const worstFit: PartFactory<Placement> = {
  description: 'Spreads load: the machine with the most free quantity on the fit dimension (dominant by default), ties to the lowest slot.',
  options: { dimension: dimensionOption },
  cost: 'O(log N) per task via a free-ordered index, plus candidates rejected on other dimensions',
  create: ({ view }, options) => freeOrderedPlacement(view, options, 'down'),
};
