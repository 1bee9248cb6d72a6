// Runs a small cluster + trace written from strings through runToDirectory and reads every output back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePolicy, type ControllerSetup } from '../../policies/index.js';
import { runToDirectory } from '../../src/experiment/run.js';
import type { Summary } from '../../src/metrics/summary.js';
import { loadClusterSpec } from '../../src/model/cluster-spec.js';
import { readArrowRows, type Row } from './arrow.js';
import { traceFile as traceRef } from '../../src/traces/index.js';

export interface Scenario {
  /** Cluster spec as YAML text. */
  readonly cluster: string;
  /** Native CSV trace text. */
  readonly trace: string;
  readonly policy: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  /** Seconds between samples (default 60). */
  readonly sampleInterval?: number;
  /** Seconds. */
  readonly horizon?: number;
  readonly controllers?: readonly ControllerSetup[];
  readonly maxAttempts?: number;
}

export interface ScenarioResult {
  readonly dir: string;
  readonly summary: Summary;
  readonly tasks: Row[];
  readonly machines: Row[];
  readonly timeseries: Row[];
  readonly events: Row[];
  /** The tasks.arrow row of `id`; throws if there is none or several. */
  task(id: string): Row;
  /** The machines.arrow row of `id`. */
  machine(id: string): Row;
}

function only(rows: Row[], key: string, id: string): Row {
  const found = rows.filter((r) => r[key] === id);
  if (found.length !== 1) throw new Error(`Expected one row with ${key} ${id}, found ${found.length}`);
  return found[0] as Row;
}

/** Writes the scenario's files into `root`, runs it into `<root>/run`, and reads the results. */
export async function runScenario(root: string, s: Scenario): Promise<ScenarioResult> {
  const clusterFile = join(root, 'cluster.yaml');
  const traceFile = join(root, 'trace.csv');
  writeFileSync(clusterFile, s.cluster);
  writeFileSync(traceFile, s.trace);
  const dir = join(root, 'run');
  await runToDirectory(
    {
      id: 'scenario',
      experiment: 'test',
      clusterFile,
      cluster: loadClusterSpec(clusterFile),
      trace: traceRef(traceFile),
      controllers: s.controllers ?? [],
      maxAttempts: s.maxAttempts ?? 1,
      policy: resolvePolicy(s.policy, s.options ?? {}),
      seed: s.seed ?? 1,
      sampleInterval: s.sampleInterval ?? 60,
      horizon: s.horizon,
    },
    dir,
  );
  const tasks = readArrowRows(join(dir, 'tasks.arrow'));
  const machines = readArrowRows(join(dir, 'machines.arrow'));
  return {
    dir,
    summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary,
    tasks,
    machines,
    timeseries: readArrowRows(join(dir, 'timeseries.arrow')),
    events: readArrowRows(join(dir, 'events.arrow')),
    task: (id) => only(tasks, 'task_id', id),
    machine: (id) => only(machines, 'machine_id', id),
  };
}
