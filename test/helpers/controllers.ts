// A controller for tests: a callback run on every tick with the run's ClusterControl.
import type { ControllerSetup } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import type { ClusterControl } from '../../src/policy.js';

/** A controller named `name` that calls `tick` every `seconds` of simulated time from the first submission. */
export function tickingController(name: string, seconds: number, tick: (control: ClusterControl) => void): ControllerSetup {
  return {
    name,
    options: {},
    factory: {
      description: `${name} (a test's controller)`,
      options: {},
      interval: () => secondsToMicros(seconds),
      create: ({ control }) => ({ tick: () => tick(control) }),
    },
  };
}
