// How much of an end-to-end run is the placement's search: the run again with the searches answered from a record.
import type { ClusterView, Policy } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';
import { endToEnd, type Measurement, type Scenario } from './scenarios.js';

/** The view searches a floor run answers from its record: first-fit's and best-/worst-fit's. */
type Search = 'firstFit' | 'fitByFree';

/** The searches' answers, in the order they were asked. */
class SearchLog {
  answers = new Int32Array(1 << 20);
  count = 0;
  read = 0;

  push(m: number): void {
    if (this.count === this.answers.length) {
      const grown = new Int32Array(this.answers.length * 2);
      grown.set(this.answers);
      this.answers = grown;
    }
    this.answers[this.count++] = m;
  }

  next(): number {
    if (this.read === this.count) throw new Error(`The replay asked for more than the ${this.count} searches recorded: it no longer follows the recorded run`);
    return this.answers[this.read++] as number;
  }
}

/**
 * `policy` with its view's `search` either recorded into `log` or answered from it: the view the
 * policy sees inherits everything else from the live one.
 */
function withSearch(policy: Policy, search: Search, log: SearchLog, replay: boolean): Policy {
  return {
    name: policy.name,
    options: policy.options,
    create(ctx) {
      const live = ctx.view;
      const view = Object.create(live) as ClusterView;
      if (replay) view[search] = () => log.next();
      else if (search === 'firstFit') view.firstFit = (task: TaskView, from?: number) => {
        const m = live.firstFit(task, from);
        log.push(m);
        return m;
      };
      else view.fitByFree = (task: TaskView, dim: number, direction: 'up' | 'down') => {
        const m = live.fitByFree(task, dim, direction);
        log.push(m);
        return m;
      };
      return policy.create({ ...ctx, view });
    },
  };
}

/**
 * Runs `policyName` end to end on the benchmark workload three times in this process: first as
 * usual, recording each answer of the view's `search` (this run also warms the JIT up and is not
 * reported); then with every search answered from that record at no cost; then as usual again,
 * recording anew. All three make the same decisions (checked: the same outputs and the same
 * answers), so the replay's time is everything but the search and the index upkeep behind it, and
 * its difference from the last run's is what the search costs per task.
 */
export function placementFloor(name: string, policyName: string, search: Search, tasks: number, machines: number): Scenario {
  const first = new SearchLog();
  const again = new SearchLog();
  const run = (log: SearchLog, replay: boolean): Promise<Measurement> => endToEnd(name, policyName, tasks, machines, undefined, { wrapPolicy: (p) => withSearch(p, search, log, replay) }).run();
  const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
  return {
    name,
    size: `${tasks.toLocaleString('en-US')} tasks, ${machines.toLocaleString('en-US')} machines, ${policyName}, searches replayed`,
    async run(): Promise<Measurement> {
      const warm = await run(first, false);
      if (first.count === 0) throw new Error(`${policyName} never asked the view's ${search}: there is nothing to replay`);
      gc();
      const floor = await run(first, true);
      gc();
      const real = await run(again, false);
      const hashes = [warm, floor, real].map((m) => m.workload?.['outputs_sha256']);
      const sameAnswers = again.count === first.count && again.answers.subarray(0, again.count).every((m, i) => m === first.answers[i]);
      if (new Set(hashes).size !== 1 || first.read !== first.count || !sameAnswers) {
        throw new Error(`The runs of ${policyName} diverged (outputs ${hashes.join(', ')}; ${first.read} of ${first.count} recorded searches replayed; the second recording ${sameAnswers ? 'matches' : 'differs'})`);
      }
      return {
        ...floor,
        workload: {
          ...floor.workload,
          searches: first.count,
          searched_tasks_per_s: Math.round(real.tasksPerSecond ?? 0),
          search_us_per_task: Number((((real.wallSeconds - floor.wallSeconds) / tasks) * 1e6).toFixed(3)),
        },
      };
    },
  };
}
