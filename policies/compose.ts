// Composes a queue order and a placement into a policy: walk the queue, place what fits.
import type { Decisions, Options, Placement, Policy, QueueOrder, Scheduler } from '../src/policy.js';
import type { PolicyContext } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';

/**
 * A round visits pending tasks in queue order and asks the placement for a machine for each; a
 * task with no machine keeps its place and later tasks may still start (greedy list scheduling,
 * no reservations). Tasks that cannot fit on any machine are skipped in O(D) via the cluster's
 * max-free index before the placement is asked. When the placement can tell misfits apart and the
 * order can visit just its newest tasks, a round where no machine has grown since the last one,
 * which left only misfits waiting, asks about the tasks added since then alone: the others would
 * all be turned down again (about half the rounds of the Fenzo benchmarks; arrivals trigger them).
 */
export function composedPolicy(
  name: string,
  options: Options,
  makeOrder: (ctx: PolicyContext) => QueueOrder,
  makePlacement: (ctx: PolicyContext) => Placement,
): Policy {
  return {
    name,
    options,
    create(ctx: PolicyContext): Scheduler {
      const order = makeOrder(ctx);
      const placement = makePlacement(ctx);
      const view = ctx.view;
      const resumable = order.mark !== undefined && order.visitAddedSince !== undefined && placement.misfit !== undefined;
      // the round's decisions; one visitor serves every round, so a round allocates nothing
      let out: Decisions | null = null;
      // whether every task this round turned down fits nowhere
      let onlyMisfits = true;
      // after a round that left only misfits waiting: the order's mark and the view's growth count then
      let mark = -1;
      let grewAt = -1;
      const visitor = (task: TaskView): boolean => {
        if (view.mayFit(task)) {
          const m = placement.place(task);
          if (m >= 0) (out as Decisions).place(task, m);
          else if (onlyMisfits && resumable && placement.misfit?.(task) !== true) onlyMisfits = false;
        }
        return true;
      };
      const scheduler: Scheduler = {
        submitted: (task) => order.add(task),
        removed: (task) => order.remove(task),
        stopped(task) {
          order.stopped?.(task);
          placement.stopped?.(task);
        },
        machineChanged(m) {
          order.machineChanged?.(m);
          placement.machineChanged?.(m);
        },
        schedule(decisions) {
          order.round?.();
          placement.round?.();
          out = decisions;
          onlyMisfits = true;
          if (mark >= 0 && view.grew === grewAt) order.visitAddedSince?.(mark, visitor);
          else order.visit(visitor);
          out = null;
          if (resumable) {
            mark = onlyMisfits ? (order.mark?.() ?? -1) : -1;
            grewAt = view.grew;
          }
        },
      };
      return scheduler;
    },
  };
}
