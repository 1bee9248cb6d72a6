// Elektron bin-packing (BinPackSortedWatts): queue sorted by watts, each offer packed light-first.
import { packFromFront, type OfferPacker } from './offers.js';

export const binPackingPacker: OfferPacker = (queue, offer, options) => packFromFront(queue, offer, options, 0);
