// Controller "extrema": Elektron's Extrema power capper on periodic ticks.
import { cappingController } from './controller.js';
import { ExtremaRule } from './extrema-rule.js';

export const extrema = cappingController(
  'Elektron Extrema: above hi_w (cluster mean) cap the most power-hungry uncapped machine to cap_pct % of its peak, one per tick; below lo_w uncap the last capped',
  { cap_pct: { type: 'number', default: 50, min: 0.000001, description: 'The cap, % of the machine\'s peak power' } },
  (o) => new ExtremaRule(o['hi_w'] as number, o['lo_w'] as number, o['cap_pct'] as number),
);
