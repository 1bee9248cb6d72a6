// The benchmark runner: each scenario in a fresh child process (so peak RSS is its own), after a memory probe in this one; a table, JSON.
// Usage: npm run bench [-- --quick] [--only engine,e2e-best-fit] [--repeat 3] [--json results.json]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MemoryProbe } from './probe.js';
import { quantile } from '../src/metrics/stats.js';
import { BOUNDED_OLD_SPACE_MIB, scenarios, type Measurement } from './scenarios.js';
import { TRACE_TARGETS } from './traces.js';

const MIB = 1024;
const RSS_LIMIT_KIB = 1.5e9 / 1024;
const TARGETS: Record<string, { text: string; met: (m: Measurement) => boolean }> = {
  engine: { text: '≥ 5 M events/s', met: (m) => m.eventsPerSecond >= 5e6 },
  'e2e-first-fit': { text: '≥ 300 k tasks/s, ≤ 1.5 GB', met: (m) => (m.tasksPerSecond ?? 0) >= 3e5 && m.peakRssKiB <= RSS_LIMIT_KIB },
  'e2e-best-fit': { text: '≥ 300 k tasks/s, ≤ 1.5 GB', met: (m) => (m.tasksPerSecond ?? 0) >= 3e5 && m.peakRssKiB <= RSS_LIMIT_KIB },
  'memory-4x': { text: '≤ 1.5 GB', met: (m) => m.peakRssKiB <= RSS_LIMIT_KIB },
  'sweep-24': { text: '≤ 0.55 × sequential', met: (m) => Number(m.workload?.['ratio']) <= 0.55 && m.workload?.['identical_index'] === 'yes' },
  ...TRACE_TARGETS,
  'fenzo-indexed': { text: '≥ 100 k tasks/s', met: (m) => (m.tasksPerSecond ?? 0) >= 1e5 },
  'drf-100-tenants': { text: '≥ 200 k tasks/s', met: (m) => (m.tasksPerSecond ?? 0) >= 2e5 },
  'drf-10k-tenants': { text: '≥ 100 k tasks/s', met: (m) => (m.tasksPerSecond ?? 0) >= 1e5 },
};

interface Result {
  scenario: string;
  size: string;
  target: string;
  /** Whether the target was met; null in quick runs, whose sizes the targets are not for. */
  met: boolean | null;
  /** The run with the median wall time (of `repeat` runs, each in a fresh process). */
  measurement: Measurement;
  /** Wall seconds of every run, ascending. */
  walls: number[];
  /** The memory probe (ns per load, see MemoryProbe) taken just before each run, in the order of `walls`. */
  probes: number[];
}

interface Args {
  quick: boolean;
  json: string | undefined;
  scenario: string | undefined;
  only: string[] | undefined;
  repeat: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, json: undefined, scenario: undefined, only: undefined, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new RangeError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') args.quick = true;
    else if (arg === '--json') args.json = value();
    else if (arg === '--scenario') args.scenario = value();
    else if (arg === '--only') args.only = value().split(',');
    else if (arg === '--repeat') {
      const text = value();
      args.repeat = Number(text);
      if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new RangeError(`--repeat takes a whole number ≥ 1, got ${JSON.stringify(text)}`);
    } else throw new RangeError(`Unknown argument ${JSON.stringify(arg)}; expected --quick, --json <file>, --only <names>, --repeat <n> or --scenario <name>`);
  }
  return args;
}

/** Child mode: runs one scenario here and prints its measurement as the last line of stdout. */
async function runOne(name: string, quick: boolean): Promise<void> {
  const scenario = scenarios(quick).find((s) => s.name === name);
  if (scenario === undefined) throw new RangeError(`Unknown scenario ${JSON.stringify(name)}`);
  (globalThis as { gc?: () => void }).gc?.();
  const measurement = await scenario.run();
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

/** Parent mode: every selected scenario in its own `node` process, in order. */
function runAll(args: Args): void {
  const all = scenarios(args.quick);
  const unknown = (args.only ?? []).filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new RangeError(`Unknown scenario ${unknown.join(', ')}; expected one of ${all.map((s) => s.name).join(', ')}`);
  const selected = all.filter((s) => args.only === undefined || args.only.includes(s.name));
  const machine = {
    node: process.version,
    cpus: availableParallelism(),
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
  process.stdout.write(`clustersim bench${args.quick ? ' (quick)' : ''}: node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu_model}), ${machine.memory_gib} GiB\n`);
  const results: Result[] = [];
  // in this process, so that its memory is not in the runs' peak RSS
  const probe = new MemoryProbe();
  for (const scenario of selected) {
    const runs: { measurement: Measurement; probe: number }[] = [];
    for (let k = 1; k <= args.repeat; k++) {
      process.stderr.write(`running ${scenario.name} (${scenario.size})${args.repeat > 1 ? ` ${k}/${args.repeat}` : ''}...\n`);
      const probeNs = probe.measure();
      const child = spawnSync(process.execPath, [...process.execArgv, ...(scenario.nodeFlags ?? []), fileURLToPath(import.meta.url), '--scenario', scenario.name, ...(args.quick ? ['--quick'] : [])], {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      });
      const last = child.stdout.trim().split('\n').pop() ?? '';
      if (child.status !== 0 || last === '') throw new Error(`Scenario ${scenario.name} failed (exit ${child.status ?? child.signal})`);
      runs.push({ measurement: JSON.parse(last) as Measurement, probe: probeNs });
    }
    // repeats are also a determinism check: the same scenario must write the same bytes every time
    const hashes = new Set(runs.map((r) => r.measurement.workload?.['outputs_sha256']));
    if (hashes.size > 1) throw new Error(`Scenario ${scenario.name} wrote different outputs in its ${args.repeat} runs: ${[...hashes].join(', ')}`);
    runs.sort((a, b) => a.measurement.wallSeconds - b.measurement.wallSeconds);
    const measurement = (runs[(runs.length - 1) >> 1] as (typeof runs)[number]).measurement;
    // targets are for the full sizes; a quick run only checks that everything works
    const target = TARGETS[scenario.name];
    const met = args.quick || target === undefined ? null : target.met(measurement);
    results.push({ scenario: scenario.name, size: scenario.size, target: target?.text ?? '', met, measurement, walls: runs.map((r) => r.measurement.wallSeconds), probes: runs.map((r) => r.probe) });
  }
  process.stdout.write(`\n${table(results)}\n`);
  for (const r of results) {
    const w = r.measurement.workload;
    if (w === undefined) continue;
    process.stdout.write(`${r.scenario}: ${Object.entries(w).map(([k, v]) => `${k} ${typeof v === 'number' ? round(v) : v}`).join(', ')}\n`);
  }
  const one = results.find((r) => r.scenario === 'e2e-first-fit');
  const four = results.find((r) => r.scenario === 'memory-4x');
  if (one !== undefined && four !== undefined) {
    const a = one.measurement.peakRssKiB;
    const b = four.measurement.peakRssKiB;
    process.stdout.write(`\nmemory growth (fifo+first-fit): ${one.measurement.tasks?.toLocaleString('en-US')} tasks → ${mib(a)} MiB peak RSS, ${four.measurement.tasks?.toLocaleString('en-US')} tasks → ${mib(b)} MiB (×${(b / a).toFixed(2)})\n`);
  }
  const bounded = [results.find((r) => r.scenario === 'memory-1x-bounded'), results.find((r) => r.scenario === 'memory-4x-bounded')];
  if (bounded[0] !== undefined && bounded[1] !== undefined) {
    const [a, b] = bounded.map((r) => (r as Result).measurement);
    process.stdout.write(`memory growth with the old generation capped at ${BOUNDED_OLD_SPACE_MIB} MiB (a live heap growing with the trace would crash): ${a?.tasks?.toLocaleString('en-US')} tasks → ${mib(a?.peakRssKiB ?? 0)} MiB, ${b?.tasks?.toLocaleString('en-US')} tasks → ${mib(b?.peakRssKiB ?? 0)} MiB\n`);
  }
  const small = results.find((r) => r.scenario === 'memory-google-small');
  const large = results.find((r) => r.scenario === 'memory-google-large');
  if (small !== undefined && large !== undefined) {
    process.stdout.write(`memory growth (Google task_events, gzip): ${small.measurement.events.toLocaleString('en-US')} rows → ${mib(small.measurement.peakRssKiB)} MiB peak RSS, ${large.measurement.events.toLocaleString('en-US')} rows → ${mib(large.measurement.peakRssKiB)} MiB\n`);
  }
  const json = `${JSON.stringify({ quick: args.quick, machine, results }, null, 2)}\n`;
  if (args.json !== undefined) writeFileSync(args.json, json);
  else process.stdout.write(`\n${json}`);
}

function table(results: readonly Result[]): string {
  const header = ['scenario', 'size', 'wall s', 'wall range s', 'tasks/s', 'events/s', 'peak RSS MiB', 'probe ns', 'target', 'result'];
  const rows = results.map((r) => {
    const m = r.measurement;
    const range = r.walls.length > 1 ? `${(r.walls[0] as number).toFixed(2)}–${(r.walls[r.walls.length - 1] as number).toFixed(2)}` : '—';
    return [r.scenario, r.size, m.wallSeconds.toFixed(2), range, m.tasksPerSecond === undefined ? '—' : grouped(m.tasksPerSecond), grouped(m.eventsPerSecond), mib(m.peakRssKiB), (quantile(Float64Array.from(r.probes).sort(), 0.5) as number).toFixed(0), r.target, r.met === null ? '—' : r.met ? 'ok' : 'MISSED'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const grouped = (x: number): string => Math.round(x).toLocaleString('en-US');
const mib = (kib: number): string => grouped(kib / MIB);
const round = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

try {
  const args = parseArgs(process.argv.slice(2));
  if (args.scenario !== undefined) await runOne(args.scenario, args.quick);
  else runAll(args);
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof RangeError ? 2 : 1;
}
