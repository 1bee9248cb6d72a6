// Elektron first-fit: per offer, the first queued task (unsorted) that fits; at most one task per offer.
import { launch, type Entry, type Offer, type OfferPacker, type PackOptions } from './offers.js';

function firstFit<T>(queue: Entry<T>[], offer: Offer<T>, options: PackOptions): number {
  if (options.limit < 1) return 0;
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i] as Entry<T>;
    if (offer.fits(entry.tasks[entry.head] as T)) {
      if (launch(entry, offer)) queue.splice(i, 1);
      return 1;
    }
  }
  return 0;
}

export const firstFitPacker: OfferPacker = firstFit;
