// Composes a queue order and a placement into a policy: walk the queue, place what fits.
import type { Decisions, Options, Placement, Policy, QueueOrder, Scheduler } from '../src/policy.js';
import { tellStopped, type PolicyContext } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';
import { WaitingMisfits } from './waiting-misfits.js';

/**
 * A round visits pending tasks in queue order and asks the placement for a machine for each; a
 * task with no machine keeps its place and later tasks may still start (greedy list scheduling,
 * no reservations). Tasks that cannot fit on any machine are skipped in O(D) via the cluster's
 * max-free index before the placement is asked, unless the placement tells them apart itself
 * ({@link Placement.checksFitItself}). When the placement can tell misfits apart and the
 * order can visit its newest tasks apart, a round after one that left only misfits waiting asks
 * about those misfits only if they may fit now ({@link WaitingMisfits}): the others would all be
 * turned down again.
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
      const waiting = resumable ? new WaitingMisfits(view) : null;
      // the round's decisions; one visitor serves every round, so a round allocates nothing
      let out: Decisions | null = null;
      // whether every task this round turned down fits nowhere
      let onlyMisfits = true;
      // a placement that tells misfits apart by itself is asked at once: mayFit reads the max-free tree, whose upkeep it would otherwise not need
      const askAtOnce = placement.checksFitItself === true;
      const visitor = (task: TaskView): boolean => {
        if (waiting !== null && waiting.sameShape(task)) return true;
        if (askAtOnce || view.mayFit(task)) {
          const m = placement.place(task);
          if (m >= 0) (out as Decisions).place(task, m);
          else if (waiting !== null && onlyMisfits) {
            if (placement.misfit?.(task) === true) waiting.refused(task);
            else onlyMisfits = false;
          }
        } else if (waiting !== null) waiting.refused(task);
        return true;
      };
      // for orders that pass over known misfits themselves: a task left waiting fits nowhere
      const misfit = placement.misfit === undefined ? undefined : (task: TaskView): boolean => (!askAtOnce && !view.mayFit(task)) || placement.misfit?.(task) === true;
      // a task left waiting by the last round, in a round that asks only about those that may fit
      // now; the others still fit nowhere and are told to the memory again, which starts such a
      // round afresh and so forgets the tasks that have left since
      const olderVisitor = (task: TaskView): boolean => {
        const w = waiting as WaitingMisfits;
        if (w.mayFitNow(task)) return visitor(task);
        if (!w.sameShape(task)) w.refused(task);
        return true;
      };
      // the lightest hook the parts allow: without a stopped hook a finish need not read the task's record (see Scheduler.stopped)
      const stopped =
        order.stopped !== undefined || placement.stopped !== undefined
          ? {
              stopped(task: TaskView): void {
                tellStopped(order, task);
                tellStopped(placement, task);
              },
            }
          : order.released !== undefined || placement.released !== undefined
            ? {
                released(tenantIndex: number, demand: Float64Array): void {
                  order.released?.(tenantIndex, demand);
                  placement.released?.(tenantIndex, demand);
                },
              }
            : {};
      const scheduler: Scheduler = {
        submitted: (task) => order.add(task),
        removed: (task) => order.remove(task),
        ...stopped,
        machineChanged(m) {
          order.machineChanged?.(m);
          placement.machineChanged?.(m);
        },
        schedule(decisions) {
          order.round?.();
          placement.round?.();
          out = decisions;
          onlyMisfits = true;
          const plan = waiting === null ? 'ask' : waiting.plan();
          waiting?.start(plan === 'skip');
          if (plan === 'ask') order.visit(visitor, misfit);
          else order.visitAddedSince?.((waiting as WaitingMisfits).mark, visitor, plan === 'filter' ? olderVisitor : undefined);
          out = null;
          waiting?.end(onlyMisfits ? (order.mark?.() ?? -1) : -1);
        },
      };
      return scheduler;
    },
  };
}
