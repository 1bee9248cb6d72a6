// Elektron max-greedymins: queue sorted by watts; one heaviest task that fits, then light ones packed greedily.
import { launch, packFromFront, type Entry, type Offer, type OfferPacker, type PackOptions } from './offers.js';

function maxGreedyMins<T>(queue: Entry<T>[], offer: Offer<T>, options: PackOptions): number {
  let placed = 0;
  for (let i = queue.length - 1; i >= 0 && options.limit > 0; i--) {
    const entry = queue[i] as Entry<T>;
    if (offer.fits(entry.tasks[entry.head] as T)) {
      placed = 1;
      if (launch(entry, offer)) queue.splice(i, 1);
      break;
    }
  }
  return packFromFront(queue, offer, options, placed);
}

export const maxGreedyMinsPacker: OfferPacker = maxGreedyMins;
