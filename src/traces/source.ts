// What every trace reader provides: tasks in non-decreasing submit order, in chunks, streamed.
import type { TaskSpec } from '../model/task.js';

/** A workload stream. Chunks arrive in non-decreasing submit order; memory stays bounded. */
export interface TraceSource {
  /** Names the trace in messages and the manifest. */
  readonly name: string;
  /** Yields tasks in chunks; errors are input errors naming the file and line. */
  chunks(): AsyncIterable<readonly TaskSpec[]>;
  /** Fraction of the input consumed so far (0..1), or null when unknown; for progress. */
  progress(): number | null;
}

/** Tasks per chunk handed to the simulation. */
export const CHUNK_SIZE = 4096;
