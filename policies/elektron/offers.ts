// Elektron's queue of entries and the offer a policy fills: the shared vocabulary of its placements.

/**
 * A queue entry: identical instances of one workload item (Elektron's `inst`). `watts` is the sort
 * key (always the task's overall watts, never the class-mapped value); `order` its queue position.
 */
export interface Entry<T> {
  readonly watts: number;
  readonly order: number;
  readonly tasks: T[];
  /** Instances before `head` are placed or gone. */
  head: number;
}

/** One machine's free resources during an offer cycle, with the tasks taken so far counted in. */
export interface Offer<T> {
  /** True if the task fits what is left (cpu, memory, and watts when watts are a resource). */
  fits(task: T): boolean;
  /** Launches the task here. */
  take(task: T): void;
}

/** How a placement walks the queue for one offer. */
export interface PackOptions {
  /** Elektron's code as written: cutting an exhausted entry out of the queue skips the next one. */
  readonly faithful: boolean;
  /** Called when the skip quirk passes over an entry (which may still fit the offer). */
  readonly skipped?: () => void;
  /** Placements still allowed in this scheduling window (switching); Infinity without switching. */
  readonly limit: number;
}

/** Fills one offer from `queue` (which it edits: exhausted entries are cut out); returns how many it placed. */
export type OfferPacker = <T>(queue: Entry<T>[], offer: Offer<T>, options: PackOptions) => number;

/** Takes the entry's next instance; returns true if that exhausted the entry. */
export function launch<T>(entry: Entry<T>, offer: Offer<T>): boolean {
  offer.take(entry.tasks[entry.head++] as T);
  return entry.head >= entry.tasks.length;
}

/** Sorts by (watts, queue position): Elektron sorts stably by watts; ties keep queue order here. */
export function byWatts<T>(a: Entry<T>, b: Entry<T>): number {
  return a.watts - b.watts || a.order - b.order;
}

/**
 * Bin-packing's walk from `from`: each entry's instances while they fit, then the next entry. An
 * exhausted entry is cut out; faithfully the index still advances, skipping the entry after it.
 */
export function packFromFront<T>(queue: Entry<T>[], offer: Offer<T>, options: PackOptions, placedBefore: number): number {
  let placed = placedBefore;
  let i = 0;
  while (i < queue.length && placed < options.limit) {
    const entry = queue[i] as Entry<T>;
    let exhausted = false;
    while (placed < options.limit && offer.fits(entry.tasks[entry.head] as T)) {
      placed++;
      if ((exhausted = launch(entry, offer))) break;
    }
    if (exhausted) {
      queue.splice(i, 1);
      if (options.faithful && i < queue.length) {
        options.skipped?.();
        i++;
      }
    } else {
      i++;
    }
  }
  return placed;
}
