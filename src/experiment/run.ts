// Runs one simulation into a results directory: Arrow files, summary.json and manifest.json.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secondsToMicros } from '../engine/time.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { RunRecorder } from '../metrics/recorder.js';
import type { Summary } from '../metrics/summary.js';
import type { Policy } from '../policy.js';
import { PowerOutputs } from '../power/outputs.js';
import type { ControllerSetup } from '../../policies/index.js';
import { openTrace, type TraceRef } from '../traces/index.js';
import type { TraceReport } from '../traces/problems.js';
import { PendingDir } from './run-dir.js';
import { runGroups, Simulation } from './simulation.js';

/** Everything that defines one run. */
export interface RunPlan {
  readonly id: string;
  readonly experiment: string;
  readonly clusterFile: string;
  readonly cluster: ClusterSpec;
  readonly trace: TraceRef;
  readonly policy: Policy;
  readonly controllers: readonly ControllerSetup[];
  /** Attempts a task gets when machines under it go away (1 = no retries). */
  readonly maxAttempts: number;
  readonly seed: number;
  /** Seconds. */
  readonly sampleInterval: number;
  readonly horizon?: number | undefined;
  /** Sweep axis key → value, recorded in the manifest for the results index. */
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface RunOutcome {
  readonly id: string;
  readonly dir: string;
  readonly summary: Summary;
  readonly wallSeconds: number;
  /** Rows the trace reader skipped (lenient mode) and tasks it left out, if its format reports them. */
  readonly traceReport: TraceReport | null;
}

/** Runs `plan` into `<outDir>` atomically; on any failure nothing is left behind. */
export async function runToDirectory(plan: RunPlan, outDir: string, onProgress?: (fraction: number | null) => void): Promise<RunOutcome> {
  const trace = openTrace(plan.trace, plan.cluster, plan.seed);
  const dir = new PendingDir(outDir);
  const recorder = new RunRecorder(dir.path, plan.cluster.resources, runGroups(plan.cluster, trace), new PowerOutputs(plan.cluster));
  const started = process.hrtime.bigint();
  const startedAt = new Date().toISOString();
  try {
    const sim = new Simulation(
      {
        cluster: plan.cluster,
        trace,
        policy: plan.policy,
        controllers: plan.controllers,
        maxAttempts: plan.maxAttempts,
        seed: plan.seed,
        sampleInterval: secondsToMicros(plan.sampleInterval),
        horizon: plan.horizon === undefined ? undefined : secondsToMicros(plan.horizon),
      },
      recorder,
    );
    await sim.run(() => onProgress?.(trace.progress()));
    const summary = recorder.finish(sim);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const config = runConfig(plan);
    dir.writeJson('summary.json', summary);
    dir.writeJson('manifest.json', {
      clustersim: packageVersion(),
      run: plan.id,
      experiment: plan.experiment,
      seed: plan.seed,
      params: plan.params ?? {},
      config,
      config_hash: await planHash(plan),
      git_commit: gitCommit(),
      node: process.version,
      started_at: startedAt,
      wall_time_s: wallSeconds,
      events: sim.events,
      events_per_s: sim.events / wallSeconds,
      tasks_per_s: (summary['tasks'] ?? 0) / wallSeconds,
      trace_report: trace.report?.() ?? null,
    });
    dir.commit();
    return { id: plan.id, dir: outDir, summary, wallSeconds, traceReport: trace.report?.() ?? null };
  } catch (error) {
    recorder.abort();
    dir.discard();
    throw error;
  }
}

/** The run's defining configuration, as recorded in the manifest and hashed. */
function runConfig(plan: RunPlan) {
  return {
    cluster: plan.clusterFile,
    trace: plan.trace.path,
    trace_format: plan.trace.format,
    trace_options: plan.trace.options,
    policy: plan.policy.name,
    options: plan.policy.options,
    controllers: plan.controllers.map((c) => ({ name: c.name, options: c.options })),
    max_attempts: plan.maxAttempts,
    seed: plan.seed,
    sample_interval_s: plan.sampleInterval,
    horizon_s: plan.horizon ?? null,
  };
}

const fileHashes = new Map<string, Promise<string>>();

/** The hash of a file, or of a folder's files in name order (multi-file traces). */
async function hashPath(path: string): Promise<string> {
  if (!statSync(path).isDirectory()) return hashFile(path);
  const h = createHash('sha256');
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort()) {
    h.update(relative(path, entry));
    h.update(await hashFile(entry));
  }
  return h.digest('hex');
}

function hashFile(path: string): Promise<string> {
  let hash = fileHashes.get(path);
  if (hash === undefined) {
    hash = new Promise((resolve, reject) => {
      const h = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => h.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(h.digest('hex')));
    });
    fileHashes.set(path, hash);
  }
  return hash;
}

/** sha256 over the run config (without file paths) and the contents of the cluster and trace files; resuming compares it. */
export async function planHash(plan: RunPlan): Promise<string> {
  const config = runConfig(plan);
  const h = createHash('sha256');
  // the simulator's version is part of what defines a run: resume never mixes results across releases
  h.update(packageVersion());
  h.update(JSON.stringify({ ...config, cluster: undefined, trace: undefined }));
  h.update(await hashPath(plan.clusterFile));
  if (plan.trace.path !== null) h.update(await hashPath(plan.trace.path));
  return h.digest('hex');
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function packageVersion(): string {
  for (const candidate of [join(packageRoot, 'package.json'), join(packageRoot, '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // try the next location: sources run from src/, builds from dist/src/
    }
  }
  return 'unknown';
}

let commit: string | null | undefined;

function gitCommit(): string | null {
  if (commit === undefined) {
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      commit = null;
    }
  }
  return commit;
}
