// Composes a queue order and a placement into a policy: walk the queue, place what fits.
import type { Decisions, Options, Placement, Policy, QueueOrder, Scheduler } from '../src/policy.js';
import type { PolicyContext } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';

/**
 * A round visits pending tasks in queue order and asks the placement for a machine for each; a
 * task with no machine keeps its place and later tasks may still start (greedy list scheduling,
 * no reservations). Tasks that cannot fit on any machine are skipped in O(D) via the cluster's
 * max-free index before the placement is asked.
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
      // the round's decisions; one visitor serves every round, so a round allocates nothing
      let out: Decisions | null = null;
      const visitor = (task: TaskView): boolean => {
        if (view.mayFit(task)) {
          const m = placement.place(task);
          if (m >= 0) (out as Decisions).place(task, m);
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
          order.visit(visitor);
          out = null;
        },
      };
      return scheduler;
    },
  };
}
