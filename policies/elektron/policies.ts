// The four Elektron policies as composites: one offer packer each over the shared Elektron queue.
import type { CompositeFactory } from '../index.js';
import type { Policy } from '../../src/policy.js';
import { binPackingPacker } from './bin-packing.js';
import { firstFitPacker } from './first-fit.js';
import { maxGreedyMinsPacker } from './max-greedy-mins.js';
import { maxMinPacker } from './max-min.js';
import type { OfferPacker } from './offers.js';
import { ELEKTRON_OPTIONS } from './options.js';
import { ElektronQueue, elektronScheduler } from './scheduler.js';

/** Elektron's policy names (as its -schedPolicy flag spells them) and their packers. */
export const ELEKTRON_PACKERS: Readonly<Record<string, { readonly packer: OfferPacker; readonly sorted: boolean; readonly onePerOffer: boolean }>> = {
  'first-fit': { packer: firstFitPacker, sorted: false, onePerOffer: true },
  'bin-packing': { packer: binPackingPacker, sorted: true, onePerOffer: false },
  'max-min': { packer: maxMinPacker, sorted: true, onePerOffer: false },
  'max-greedymins': { packer: maxGreedyMinsPacker, sorted: true, onePerOffer: false },
};

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'first-fit': 'Elektron first-fit: each machine (an offer, in slot order) takes the first queued task that fits; one task per machine per round',
  'bin-packing': 'Elektron bin-packing: queue sorted by task watts; each machine takes light tasks first, every instance of an entry while it fits',
  'max-min': 'Elektron max-min: queue sorted by task watts; each machine takes the heaviest, then the lightest, alternately, while they fit',
  'max-greedymins': 'Elektron max-greedymins: queue sorted by task watts; each machine takes one heaviest task, then packs light ones',
};

function elektronComposite(kind: string): CompositeFactory {
  const { packer, sorted, onePerOffer } = ELEKTRON_PACKERS[kind] as (typeof ELEKTRON_PACKERS)[string];
  return {
    description: DESCRIPTIONS[kind] as string,
    options: ELEKTRON_OPTIONS,
    cost: 'per round: sort O(E log E) over pending entries, then per machine with room for the smallest demand O(D log N) to find it plus one pass over the queue',
    create(name, options): Policy {
      return {
        name,
        options,
        create(ctx) {
          const queue = new ElektronQueue(ctx, name, options, sorted);
          const plan = { packer, sorted, onePerOffer, limit: Infinity, sortPrefix: Infinity };
          return elektronScheduler(queue, (out) => void queue.round(out, plan));
        },
      };
    },
  };
}

/**
 * Elektron (spdfg/elektron @23875d4) as composites. Cost per round: O(E) to keep the queue, then per
 * offered machine one pass over the queue plus O(D log N) per entry shape to find the next machine.
 * Simplified: every up machine is an offer, in slot order, with no offer latency; offers come back
 * `offer_interval_s` after a cycle that may have left room (Mesos refuse_seconds); an entry is a run of
 * consecutive submissions of one job with one profile; the watts budget is an attribute or the peak.
 */
export const elektronComposites: Readonly<Record<string, CompositeFactory>> = {
  'elektron-first-fit': elektronComposite('first-fit'),
  'elektron-bin-packing': elektronComposite('bin-packing'),
  'elektron-max-min': elektronComposite('max-min'),
  'elektron-max-greedymins': elektronComposite('max-greedymins'),
};
