// Elektron's policy switching (Kaushik et al., CLOUD 2018): each window of tasks goes to the policy its power mix suits.
import type { CompositeFactory } from '../index.js';
import { inputError, show } from '../../src/errors.js';
import type { TaskView } from '../../src/model/task.js';
import type { OptionValue, Policy } from '../../src/policy.js';
import { ELEKTRON_OPTIONS } from './options.js';
import { ELEKTRON_PACKERS } from './policies.js';
import { ElektronQueue, elektronScheduler, type TaskEntry } from './scheduler.js';
import { chooseByTaskDist, median, switchTable, taskDistOf, type SwitchEntry } from './task-dist.js';

/** Elektron HEAD's schedPolConfig.json (first-fit takes no part). */
const HEAD_CONFIG = { 'max-min': 0.416, 'max-greedymins': 6.667, 'bin-packing': 10.0 };

function checkConfig(value: OptionValue): string | undefined {
  const entries = Object.entries(value as Record<string, OptionValue>);
  for (const [policy, d] of entries) {
    if (!(policy in ELEKTRON_PACKERS)) return `unknown policy ${show(policy)}; expected ${Object.keys(ELEKTRON_PACKERS).join(', ')}`;
    if (typeof d !== 'number' || !(d >= 0)) return `taskDist of ${policy} must be a number ≥ 0, got ${show(d)}`;
  }
  if (!entries.some(([, d]) => (d as number) > 0)) return 'at least one policy needs a taskDist > 0';
  return undefined;
}

/** The window: a fixed size, or Elektron's "fill next offer cycle" over unused cpu and memory. */
function fillNextOfferCycle(entries: readonly TaskEntry[], unused: Float64Array): { size: number; touched: number } {
  const sum = new Float64Array(unused.length);
  let size = 0;
  let touched = 0;
  for (const entry of entries) {
    let fitted = 0;
    for (let i = entry.head; i < entry.tasks.length; i++) {
      const demand = (entry.tasks[i] as TaskView).demand;
      let d = 0;
      while (d < sum.length && (sum[d] as number) + (demand[d] as number) <= (unused[d] as number)) d++;
      if (d < sum.length) return { size, touched: touched + (fitted > 0 ? 1 : 0) };
      for (d = 0; d < sum.length; d++) sum[d] = (sum[d] as number) + (demand[d] as number);
      size++;
      fitted++;
    }
    touched++;
  }
  return { size, touched };
}

/** taskDist of the queue prefix covering `size` instances; entries' features are their median (class) watts. */
function windowTaskDist(entries: readonly TaskEntry[], size: number): number | null {
  const window: { feature: number; instances: number }[] = [];
  let left = size;
  for (const entry of entries) {
    if (left <= 0) break;
    const n = Math.min(left, entry.tasks.length - entry.head);
    left -= n;
    const classes = entry.profile.classWatts;
    const feature = classes === null ? entry.watts : median(Object.keys(classes).sort().map((c) => classes[c] as number));
    window.push({ feature, instances: n });
  }
  return taskDistOf(window);
}

export const elektronSwitching: CompositeFactory = {
  description: 'Elektron policy switching: per scheduling window, the Elektron policy whose configured low/high power task ratio is nearest to the window\'s (or round-robin); each switch goes to events.arrow',
  options: {
    ...ELEKTRON_OPTIONS,
    policies: { type: 'object', default: HEAD_CONFIG, description: 'Policy → taskDist (low-power ÷ high-power tasks it suits); 0 leaves a policy out (Elektron schedPolConfig)', check: checkConfig },
    criteria: { type: 'string', default: 'task-dist', values: ['task-dist', 'round-robin', 'rev-round-robin'], description: 'How the next policy is chosen (Elektron -schedPolSwitchCriteria)' },
    window: { type: 'integer', default: 0, min: 0, description: 'Fixed window size in tasks (Elektron -fixSchedWindow -schedWindowSize); 0 = fill the next offer cycle' },
    first_policy: {
      type: 'string',
      default: '',
      values: ['<a policy of the table, or empty>'],
      description: 'The policy of the first window (Elektron -fixFirstSchedPol)',
      check: (v) => (v === '' || (typeof v === 'string' && v in ELEKTRON_PACKERS) ? undefined : `expected one of ${Object.keys(ELEKTRON_PACKERS).join(', ')}, got ${show(v)}`),
    },
    sort_fixed_window: { type: 'boolean', default: false, description: 'Quirk fix: with a fixed window, sort its entries (Elektron sorts none; the intended variant sorts)' },
  },
  cost: 'per round: the window O(queue) plus the deployed Elektron policy\'s cost',
  create(name, options): Policy {
    const table: SwitchEntry[] = switchTable(options['policies'] as Record<string, number>);
    const criteria = options['criteria'] as string;
    const fixed = options['window'] as number;
    const first = options['first_policy'] as string;
    return {
      name,
      options,
      create(ctx) {
        if (first !== '' && !table.some((e) => e.policy === first)) {
          throw inputError(RangeError, `Option "first_policy" of policy ${show(name)} is ${show(first)}, which takes no part in switching (policies with taskDist > 0: ${table.map((e) => e.policy).join(', ')})`);
        }
        const queue = new ElektronQueue(ctx, name, options, false);
        const sortFixed = !queue.faithful || (options['sort_fixed_window'] as boolean);
        const dims = ctx.view.resources.names.length;
        const unused = new Float64Array(dims);
        let current = -1;
        let placedSinceDeploy = 0;
        let window = 0;
        let touched = 0;
        return elektronScheduler(queue, (out) => {
          const entries = queue.compact();
          if (fixed > 0) {
            window = fixed;
            touched = sortFixed ? entries.length : 0;
          } else {
            for (let d = 0; d < dims; d++) unused[d] = ctx.view.totalCapacity(d) - (queue.allocated[d] as number);
            ({ size: window, touched } = fillNextOfferCycle(entries, unused));
          }
          if (window > 0 && (current < 0 || placedSinceDeploy >= window)) {
            let next: number;
            if (current < 0 && first !== '') next = Math.max(0, table.findIndex((e) => e.policy === first));
            else if (criteria === 'round-robin') next = current < 0 ? 0 : (current + 1) % table.length;
            else if (criteria === 'rev-round-robin') next = current < 0 ? table.length - 1 : (current - 1 + table.length) % table.length;
            else {
              const chosen = chooseByTaskDist(table, windowTaskDist(entries, window));
              next = Math.max(0, table.findIndex((e) => e.policy === chosen));
            }
            const policy = (table[next] as SwitchEntry).policy;
            ctx.log({ kind: 'policy-switch', detail: policy, value: window });
            current = next;
            placedSinceDeploy = 0;
          }
          if (current < 0) return;
          const deployed = ELEKTRON_PACKERS[(table[current] as SwitchEntry).policy] as (typeof ELEKTRON_PACKERS)[string];
          placedSinceDeploy += queue.round(out, { packer: deployed.packer, sorted: deployed.sorted, onePerOffer: deployed.onePerOffer, limit: window - placedSinceDeploy, sortPrefix: touched });
        });
      },
    };
  },
};
