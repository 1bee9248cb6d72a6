// Controller "progressive-extrema": Elektron's Progressive Extrema power capper on periodic ticks.
import { cappingController } from './controller.js';
import { ProgressiveExtremaRule } from './progressive-extrema-rule.js';

export const progressiveExtrema = cappingController(
  'Elektron Progressive Extrema: at or above hi_w cap a fresh machine to first_cap_pct, else halve the deepest cappable cap down to floor_pct; below lo_w double the lowest cap',
  {
    first_cap_pct: { type: 'number', default: 50, min: 0.000001, description: 'A machine\'s first cap, % of its peak power' },
    floor_pct: { type: 'number', default: 12.5, min: 0, description: 'Caps are not halved below this (Elektron LowerCapLimit)' },
  },
  (o) => new ProgressiveExtremaRule(o['hi_w'] as number, o['lo_w'] as number, o['first_cap_pct'] as number, o['floor_pct'] as number),
);
