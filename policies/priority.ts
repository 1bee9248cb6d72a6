// Queue order "priority": higher priority first, submission order within a priority.
// Cost: O(1) add/remove plus O(log P) to register a new priority level P; a round visits in order.
import type { PartFactory, QueueOrder } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';
import { FifoList } from './fifo.js';

class PriorityQueueOrder implements QueueOrder {
  private readonly levels = new Map<number, FifoList>();
  /** Distinct priorities seen, descending. */
  private readonly order: number[] = [];

  add(task: TaskView): void {
    let level = this.levels.get(task.priority);
    if (level === undefined) {
      level = new FifoList();
      this.levels.set(task.priority, level);
      let i = 0;
      while (i < this.order.length && (this.order[i] as number) > task.priority) i++;
      this.order.splice(i, 0, task.priority);
    }
    level.add(task);
  }

  remove(task: TaskView): void {
    this.levels.get(task.priority)?.remove(task);
  }

  visit(visit: (task: TaskView) => boolean): void {
    let going = true;
    const wrapped = (task: TaskView): boolean => (going = visit(task));
    for (const p of this.order) {
      const level = this.levels.get(p) as FifoList;
      if (level.size > 0) level.visit(wrapped);
      if (!going) return;
    }
  }
}

export const priority: PartFactory<QueueOrder> = {
  description: 'Pending tasks by priority (higher first), in submission order within a priority.',
  options: {},
  cost: 'O(1) per add/remove; a round visits the pending tasks in order',
  create: () => new PriorityQueueOrder(),
};
