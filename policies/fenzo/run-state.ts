// What the fenzo parts of one run share: the queue's admission failures, read by the autoscaler.
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';

/** Per-run state shared by the fenzo queue, placement and autoscaler (they see the same view). */
export interface FenzoRun {
  /** Tasks the queue held back in its latest round (tier capacity or group limits): never scale-up triggers. */
  readonly heldBack: Set<TaskView>;
}

const runs = new WeakMap<ClusterView, FenzoRun>();

export function fenzoRun(view: ClusterView): FenzoRun {
  let run = runs.get(view);
  if (run === undefined) runs.set(view, (run = { heldBack: new Set() }));
  return run;
}
