// Queue order "fifo": pending tasks in the order they were submitted (admission order).
// Cost: O(1) to add or remove; a round visits pending tasks in order, skipping removed entries.
import type { PartFactory, QueueOrder } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';

/**
 * A first-in first-out list with lazy deletion: removed entries are skipped and compacted away
 * once they outnumber live ones. A task added again (a retry) goes to the back.
 */
export class FifoList implements QueueOrder {
  private tasks: TaskView[] = [];
  private tickets: number[] = [];
  private head = 0;
  private nextTicket = 0;
  private readonly live = new Map<TaskView, number>();

  get size(): number {
    return this.live.size;
  }

  add(task: TaskView): void {
    const ticket = this.nextTicket++;
    this.live.set(task, ticket);
    this.tasks.push(task);
    this.tickets.push(ticket);
  }

  remove(task: TaskView): void {
    this.live.delete(task);
  }

  visit(visit: (task: TaskView) => boolean): void {
    const end = this.tasks.length;
    for (let i = this.head; i < end; i++) {
      const task = this.tasks[i] as TaskView;
      if (this.live.get(task) !== this.tickets[i]) {
        if (i === this.head) this.head++;
        continue;
      }
      if (!visit(task)) break;
    }
    this.compact();
  }

  private compact(): void {
    const entries = this.tasks.length - this.head;
    if (entries < 1024 || this.live.size * 2 > entries) return;
    const tasks: TaskView[] = [];
    const tickets: number[] = [];
    for (let i = this.head; i < this.tasks.length; i++) {
      const task = this.tasks[i] as TaskView;
      if (this.live.get(task) === this.tickets[i]) {
        tasks.push(task);
        tickets.push(this.tickets[i] as number);
      }
    }
    this.tasks = tasks;
    this.tickets = tickets;
    this.head = 0;
  }
}

export const fifo: PartFactory<QueueOrder> = {
  description: 'Pending tasks in submission order; a task that does not fit waits while later ones may start.',
  options: {},
  cost: 'O(1) per add/remove; a round visits the pending tasks in order',
  create: () => new FifoList(),
};
