// The options every Elektron policy takes: task power profiles, watts as a resource, class mapping, quirks.
import type { OptionSpec } from '../../src/policy.js';
import { checkTaskWatts } from '../../src/power/profile.js';

export const ELEKTRON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  task_watts: {
    type: 'object',
    default: {},
    description: 'Task power profiles (Elektron\'s MMPU): "job:<id>", "tenant:<path>", "kind:<batch|service>" or "*" → watts, or { watts, class_watts: { <class>: watts } }; first match in that order',
    check: checkTaskWatts,
  },
  default_watts: { type: 'number', default: 0, min: 0, description: 'Watts of a task no task_watts entry matches' },
  watts_as_resource: { type: 'boolean', default: false, description: 'Also require Σ watts of the tasks on a machine ≤ its watts budget (Elektron -wattsAsAResource)' },
  class_map_watts: { type: 'boolean', default: false, description: 'Fit-test with the task\'s watts for the machine\'s power class (Elektron -classMapWatts); sorting always uses the overall watts' },
  class_attribute: { type: 'string', default: 'class', values: ['<an attribute name>'], description: 'The machine attribute holding its power class' },
  watts_attribute: { type: 'string', default: 'watts', values: ['<an attribute name>'], description: 'The machine attribute holding its watts budget; without it the power model\'s peak watts, without that no limit' },
  offer_interval_s: { type: 'number', default: 1, min: 0.000001, description: 'After a round that placed tasks and may have left some that fit, offers come again within this many seconds (Mesos refuse_seconds 1 on Elektron\'s declines); one cycle is pending at a time' },
  variant: { type: 'string', default: 'faithful', values: ['faithful', 'intended'], description: 'faithful: Elektron\'s code as written, with the quirks below as set; intended: every quirk off' },
  skip_after_exhausted: { type: 'boolean', default: true, description: 'Quirk: bin-packing and max-greedymins skip the entry after one whose last instance they place' },
  missing_class_zero: { type: 'boolean', default: true, description: 'Quirk: with class_map_watts, a machine class missing from a task\'s class_watts counts 0 W (off: an input error)' },
};
