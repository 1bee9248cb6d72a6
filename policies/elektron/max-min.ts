// Elektron max-min: queue sorted by watts, alternately the heaviest and the lightest task that fits.
import { launch, type Entry, type Offer, type OfferPacker, type PackOptions } from './offers.js';

/**
 * Starts at the heavy end; after each placement the direction flips and the probe restarts at that
 * end, after a failure it steps one entry inward. It ends when a probe runs past the queue.
 */
function maxMin<T>(queue: Entry<T>[], offer: Offer<T>, options: PackOptions): number {
  let placed = 0;
  let heavy = true;
  let step = 0;
  while (step < queue.length && placed < options.limit) {
    const i = heavy ? queue.length - 1 - step : step;
    const entry = queue[i] as Entry<T>;
    if (offer.fits(entry.tasks[entry.head] as T)) {
      placed++;
      if (launch(entry, offer)) queue.splice(i, 1);
      heavy = !heavy;
      step = 0;
    } else {
      step++;
    }
  }
  return placed;
}

export const maxMinPacker: OfferPacker = maxMin;
