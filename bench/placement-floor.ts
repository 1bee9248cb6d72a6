// How much of an end-to-end run is the placement's search: the run again with the searches answered from a record.
import type { ClusterView, Policy } from '../src/policy.js';
import { ensureLength } from '../src/typed-array.js';
import { endToEnd, type Measurement, type Scenario } from './scenarios.js';

/** The view searches a floor run answers from its record: first-fit's and best-/worst-fit's. */
type Search = 'firstFit' | 'fitByFree';

/** The searches' answers, in the order they were asked. */
class SearchLog {
  answers: Int32Array<ArrayBuffer> = new Int32Array(1 << 20);
  count = 0;
  read = 0;

  push(m: number): void {
    this.answers = ensureLength(this.answers, this.count + 1);
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
      // both searches take at most three arguments: fixed ones, so that recording allocates nothing per call
      const searchLive = live[search].bind(live) as (a: unknown, b: unknown, c: unknown) => number;
      const recorded = (a: unknown, b: unknown, c: unknown): number => {
        const m = searchLive(a, b, c);
        log.push(m);
        return m;
      };
      const view = Object.assign(Object.create(live) as ClusterView, { [search]: replay ? () => log.next() : recorded });
      return policy.create({ ...ctx, view });
    },
  };
}

/**
 * Runs `policyName` end to end on the benchmark workload five times in this process: first as
 * usual, recording each answer of the view's `search` (this run warms the JIT up and is not
 * reported); then replayed, searched, searched and replayed again, where a replayed run answers
 * every search from the record at no cost and a searched run searches as usual, recording anew.
 * All five make the same decisions (checked: the same outputs and the same answers), so a
 * replay's time is everything but the search and the index upkeep behind it. The two kinds of run
 * alternate (ABBA) so that a process growing faster or slower as it goes weighs on both alike; the
 * search's cost per task is the difference of their mean times.
 */
export function placementFloor(name: string, policyName: string, search: Search, tasks: number, machines: number): Scenario {
  const run = (log: SearchLog, replay: boolean): Promise<Measurement> => endToEnd(name, policyName, tasks, machines, undefined, { wrapPolicy: (p) => withSearch(p, search, log, replay) }).run();
  const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
  return {
    name,
    size: `${tasks.toLocaleString('en-US')} tasks, ${machines.toLocaleString('en-US')} machines, ${policyName}, searches replayed`,
    async run(): Promise<Measurement> {
      const record = new SearchLog();
      const warm = await run(record, false);
      if (record.count === 0) throw new Error(`${policyName} never asked the view's ${search}: there is nothing to replay`);
      const replays: Measurement[] = [];
      const searches: Measurement[] = [];
      const again: SearchLog[] = [];
      for (const replay of [true, false, false, true]) {
        gc();
        if (replay) {
          record.read = 0;
          replays.push(await run(record, true));
          if (record.read !== record.count) throw new Error(`The replay of ${policyName} used ${record.read} of the ${record.count} searches recorded: it no longer follows the recorded run`);
        } else {
          const log = new SearchLog();
          searches.push(await run(log, false));
          again.push(log);
        }
      }
      const hashes = [warm, ...replays, ...searches].map((m) => m.workload?.['outputs_sha256']);
      const same = (log: SearchLog): boolean => log.count === record.count && log.answers.subarray(0, log.count).every((m, i) => m === record.answers[i]);
      if (new Set(hashes).size !== 1 || !again.every(same)) {
        throw new Error(`The runs of ${policyName} diverged (outputs ${[...new Set(hashes)].join(', ')}; the later recordings ${again.every(same) ? 'match' : 'differ'})`);
      }
      const meanWall = (runs: Measurement[]): number => runs.reduce((sum, m) => sum + m.wallSeconds, 0) / runs.length;
      const floorWall = meanWall(replays);
      const searchedWall = meanWall(searches);
      const first = replays[0] as Measurement;
      return {
        ...first,
        wallSeconds: floorWall,
        eventsPerSecond: first.events / floorWall,
        tasksPerSecond: tasks / floorWall,
        workload: {
          ...first.workload,
          searches: record.count,
          searched_tasks_per_s: Math.round(tasks / searchedWall),
          search_us_per_task: Number((((searchedWall - floorWall) / tasks) * 1e6).toFixed(3)),
        },
      };
    },
  };
}
