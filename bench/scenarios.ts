// The benchmark scenarios: the bare event engine, and whole runs with outputs on the generated workload.
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePolicy } from '../policies/index.js';
import { Engine } from '../src/engine/engine.js';
import { secondsToMicros } from '../src/engine/time.js';
import { xorshift32 } from '../src/xorshift.js';
import { PendingDir } from '../src/experiment/run-dir.js';
import { runGroups, Simulation } from '../src/experiment/simulation.js';
import { RunRecorder } from '../src/metrics/recorder.js';
import { syntheticTrace } from '../src/traces/synthetic.js';
import { sweepScenario } from './sweep.js';
import { traceScenarios } from './traces.js';
import { fenzoScenarios } from './fenzo.js';
import { benchCluster, benchTrace } from './workload.js';
import { drfScenarios } from './drf.js';
import { powerScenarios } from './power.js';
import type { ClusterSpec } from '../src/model/cluster-spec.js';
import { PowerOutputs } from '../src/power/outputs.js';
import type { Policy } from '../src/policy.js';
import { placementFloor } from './placement-floor.js';

/** What a scenario measured. */
export interface Measurement {
  readonly wallSeconds: number;
  /** Peak resident set size of the process so far (process.resourceUsage().maxRSS), KiB. */
  readonly peakRssKiB: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly tasks?: number;
  readonly tasksPerSecond?: number;
  /** Workload figures that show the run is realistic: utilisation, waits, queue length. */
  readonly workload?: Record<string, number | string | null>;
}

export interface Scenario {
  readonly name: string;
  /** Human-readable size, e.g. "1,000,000 tasks, 10,000 machines, fifo+first-fit". */
  readonly size: string;
  /** Node flags for this scenario's process (the runner starts each scenario in its own). */
  readonly nodeFlags?: readonly string[];
  run(): Promise<Measurement>;
}

/** Old-generation cap (MiB) of the bounded-heap memory scenarios: they fail with an out-of-memory crash if the live heap grows with the trace. */
export const BOUNDED_OLD_SPACE_MIB = 48;

/** `scenario` again in a process whose V8 old generation may not pass {@link BOUNDED_OLD_SPACE_MIB}. */
function boundedHeap(name: string, scenario: Scenario): Scenario {
  return { ...scenario, name, size: `${scenario.size}, old generation ≤ ${BOUNDED_OLD_SPACE_MIB} MiB`, nodeFlags: [`--max-old-space-size=${BOUNDED_OLD_SPACE_MIB}`] };
}

/** The scenarios in the order they run; `quick` shrinks every size tenfold. */
export function scenarios(quick: boolean): Scenario[] {
  const scale = quick ? 10 : 1;
  const machines = 10_000 / scale;
  return [
    engineScenario('engine', 10_000_000 / scale, 10_000),
    endToEnd('e2e-first-fit', 'fifo+first-fit', 1_000_000 / scale, machines),
    endToEnd('e2e-best-fit', 'fifo+best-fit', 1_000_000 / scale, machines),
    endToEnd('memory-4x', 'fifo+first-fit', 4_000_000 / scale, machines),
    boundedHeap('memory-1x-bounded', endToEnd('memory-1x-bounded', 'fifo+first-fit', 1_000_000 / scale, machines)),
    boundedHeap('memory-4x-bounded', endToEnd('memory-4x-bounded', 'fifo+first-fit', 4_000_000 / scale, machines)),
    ...drfScenarios(scale),
    ...traceScenarios(quick),
    ...fenzoScenarios(scale),
    ...powerScenarios(1_000_000 / scale, machines),
    placementFloor('floor-first-fit', 'fifo+first-fit', 'firstFit', 1_000_000 / scale, machines),
    placementFloor('floor-best-fit', 'fifo+best-fit', 'fitByFree', 1_000_000 / scale, machines),
    sweepScenario('sweep-24', quick ? 1 : 10),
  ];
}

/**
 * Schedules and fires `events` no-op events through a queue holding `pending` at all times:
 * each fired event schedules one later event, until the total is reached.
 */
function engineScenario(name: string, events: number, pending: number): Scenario {
  return {
    name,
    size: `${events.toLocaleString('en-US')} events, ${pending.toLocaleString('en-US')} pending`,
    async run() {
      const engine = new Engine<0 | 1>([0, 1]);
      // delays of 1 µs to 1 s from xorshift32, drawn up front so the timed loop measures the engine
      const delays = new Float64Array(1 << 16);
      let state = 0x9e3779b9;
      for (let i = 0; i < delays.length; i++) {
        state = xorshift32(state);
        delays[i] = (state >>> 12) + 1;
      }
      const mask = delays.length - 1;
      let drawn = 0;
      const started = process.hrtime.bigint();
      for (let i = 0; i < pending; i++) engine.schedule(delays[drawn++ & mask] as number, (i & 1) as 0 | 1, i);
      let toSchedule = events - pending;
      engine.run((event) => {
        if (toSchedule > 0) {
          toSchedule--;
          engine.schedule(event.time + (delays[drawn++ & mask] as number), event.kind, event.a);
        }
      });
      const wallSeconds = seconds(started);
      return { wallSeconds, peakRssKiB: process.resourceUsage().maxRSS, events: engine.processed, eventsPerSecond: engine.processed / wallSeconds };
    },
  };
}

/**
 * One whole run as `clustersim` does it: synthetic trace → simulation → RunRecorder writing the
 * Arrow files and summary.json into a temporary directory (removed afterwards). The time covers
 * everything from trace generation to the committed directory; hashing the outputs is not timed.
 */
export function endToEnd(name: string, policyName: string, tasks: number, machines: number, tenants?: number, variant: EndToEndVariant = {}): Scenario {
  return {
    name,
    size: `${tasks.toLocaleString('en-US')} tasks, ${machines.toLocaleString('en-US')} machines, ${policyName}${tenants === undefined ? '' : `, ${tenants.toLocaleString('en-US')} tenants`}${variant.note ?? ''}`,
    async run() {
      const cluster = (variant.cluster ?? ((c: ClusterSpec) => c))(benchCluster(machines));
      const root = mkdtempSync(join(tmpdir(), 'clustersim-bench-'));
      try {
        const started = process.hrtime.bigint();
        const trace = syntheticTrace({ ...benchTrace(tasks, cluster), ...(tenants === undefined ? {} : { tenants }) });
        const dir = new PendingDir(join(root, 'run'));
        const recorder = new RunRecorder(dir.path, cluster.resources, runGroups(cluster, trace), new PowerOutputs(cluster));
        const sim = new Simulation(
          { cluster, trace, policy: (variant.wrapPolicy ?? ((p: Policy) => p))(resolvePolicy(policyName, variant.options ?? {})), seed: 1, sampleInterval: secondsToMicros(10) },
          recorder,
        );
        // pending tasks, sampled whenever the simulation reads the next chunk of the trace
        let maxPending = 0;
        await sim.run(() => {
          if (sim.pending > maxPending) maxPending = sim.pending;
        });
        const summary = recorder.finish(sim);
        dir.writeJson('summary.json', summary);
        dir.commit();
        const wallSeconds = seconds(started);
        const peakRssKiB = process.resourceUsage().maxRSS;
        const events = sim.events;
        return {
          wallSeconds,
          peakRssKiB,
          events,
          eventsPerSecond: events / wallSeconds,
          tasks,
          tasksPerSecond: tasks / wallSeconds,
          workload: {
            simulated_s: summary['end_s'] ?? null,
            utilisation_cpu: summary['utilisation_cpu'] ?? null,
            utilisation_mem: summary['utilisation_mem'] ?? null,
            utilisation_gpu: summary['utilisation_gpu'] ?? null,
            wait_mean_s: summary['wait_mean_s'] ?? null,
            wait_p99_s: summary['wait_p99_s'] ?? null,
            max_pending_sampled: maxPending,
            energy_kwh: summary['energy_kwh'] ?? null,
            outputs_sha256: hashOutputs(join(root, 'run')),
          },
        };
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** A variation of the end-to-end run: a changed cluster (e.g. with power models) and policy options. */
export interface EndToEndVariant {
  readonly cluster?: (cluster: ClusterSpec) => ClusterSpec;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Appended to the size line. */
  readonly note?: string;
  /** Wraps the resolved policy (the placement-floor scenarios record and replay its searches). */
  readonly wrapPolicy?: (policy: Policy) => Policy;
}

/** One sha256 over the run's Arrow files and summary.json, in name order: equal outputs, equal hash. */
function hashOutputs(dir: string): string {
  const h = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const file of readdirSync(dir).sort()) {
    h.update(file);
    const fd = openSync(join(dir, file), 'r');
    try {
      for (let n; (n = readSync(fd, buffer)) > 0; ) h.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  return h.digest('hex');
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}
