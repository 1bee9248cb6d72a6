// Trace benchmarks: parse throughput per format (plain and gzip) on generated files, and peak RSS streaming 1 M vs 5 M Google task_events rows.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { ClusterSpec } from '../src/model/cluster-spec.js';
import { openTrace, traceFile, traceFormats } from '../src/traces/index.js';
import { naturalResources } from '../src/traces/units.js';
import type { Measurement, Scenario } from './scenarios.js';

/** Targets for the full sizes: rows parsed per second, and memory that does not grow with the trace. */
export const TRACE_TARGETS: Readonly<Record<string, { text: string; met: (m: Measurement) => boolean }>> = {
  'parse-native': { text: '≥ 1 M rows/s', met: (m) => m.eventsPerSecond >= 1e6 },
  'parse-swf': { text: '≥ 1 M rows/s', met: (m) => m.eventsPerSecond >= 1e6 },
  'parse-google': { text: '≥ 500 k rows/s', met: (m) => m.eventsPerSecond >= 5e5 },
};

type Writer = (write: (line: string) => Promise<void>, rows: number) => Promise<void>;

/** Native CSV: one task per row, a new submit every 10 ms. */
const nativeRows: Writer = async (write, rows) => {
  await write('task_id,submit,duration,cpu,mem\n');
  for (let i = 0; i < rows; i++) await write(`t${i},${(i / 100).toFixed(2)},${(i % 600) + 1},${(i % 8) * 500 + 500},${(i % 16) * 256 + 256}\n`);
};

/** SWF: 18 fields per job, column-aligned like the archive's logs. */
const swfRows: Writer = async (write, rows) => {
  await write('; MaxProcs: 1024\n; MaxNodes: 256\n');
  for (let i = 0; i < rows; i++) {
    await write(`${String(i + 1).padStart(8)} ${String(i * 3).padStart(9)}     -1 ${String((i % 3600) + 1).padStart(6)} ${String((i % 64) + 1).padStart(4)}     -1    -1 ${String((i % 64) + 1).padStart(4)}  7200    -1  1 ${String(i % 97).padStart(3)} ${String(i % 13).padStart(3)}  -1  1  1 -1 -1\n`);
  }
};

/**
 * Google task_events: each task a SUBMIT and SCHEDULE at its arrival and a FINISH 10 s later, a task
 * every 10 ms, rows in time order (about 1,000 tasks open at any time, however long the file).
 */
const googleRows: Writer = async (write, rows) => {
  let t = 600_000_000;
  let submitted = 0;
  let finished = 0;
  const user = 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789+/AbCdE=';
  for (let written = 0; written < rows; ) {
    while (finished < submitted && 600_000_000 + finished * 10_000 + 10_000_000 <= t && written < rows) {
      await write(`${600_000_000 + finished * 10_000 + 10_000_000},,${6_000_000_000 + finished},0,${4_000_000 + (finished % 12_500)},4,${user},1,0,,,,\n`);
      finished++;
      written++;
    }
    if (written + 2 > rows) break;
    await write(`${t},,${6_000_000_000 + submitted},0,,0,${user},1,${submitted % 12},0.0625,0.03106,0.0003815,0\n`);
    await write(`${t},,${6_000_000_000 + submitted},0,${4_000_000 + (submitted % 12_500)},1,${user},1,${submitted % 12},0.0625,0.03106,0.0003815,0\n`);
    submitted++;
    written += 2;
    t += 10_000;
  }
};

async function writeFile(file: string, rows: number, writer: Writer, gzip: boolean): Promise<void> {
  const out = createWriteStream(file);
  const gz = gzip ? createGzip({ level: 6 }) : undefined;
  gz?.pipe(out);
  const sink = gz ?? out;
  let buffer = '';
  await writer(async (line) => {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!sink.write(buffer)) await once(sink, 'drain');
      buffer = '';
    }
  }, rows);
  sink.end(buffer);
  await once(out, 'close');
}

/** Reads the whole trace through the registry, as a run does, counting tasks. */
async function consume(format: string, path: string): Promise<number> {
  const f = traceFormats[format];
  const cluster: ClusterSpec = { file: path, resources: naturalResources(f?.quantities ?? [{ name: 'cpu', traceUnit: '', scale: 1, baseUnit: 'millicore' }, { name: 'mem', traceUnit: '', scale: 1, baseUnit: 'MiB' }]), groups: [] };
  let tasks = 0;
  for await (const chunk of openTrace(traceFile(path, format), cluster, 1).chunks()) tasks += chunk.length;
  return tasks;
}

function parseScenario(name: string, format: string, file: string, writer: Writer, rows: number, gzip: boolean): Scenario {
  return {
    name,
    size: `${rows.toLocaleString('en-US')} generated rows${gzip ? ', gzip' : ''}`,
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'clustersim-bench-trace-'));
      try {
        const path = join(dir, `${file}${gzip ? '.gz' : ''}`);
        await writeFile(path, rows, writer, gzip);
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        const tasks = await consume(format, format === 'google-2011' ? dir : path);
        const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        const used = process.cpuUsage(cpu);
        // rows parsed per second go in the events/s column; per CPU second (all threads: GC, gunzip) is steadier on a shared machine
        const cpuSeconds = (used.user + used.system) / 1e6;
        return { wallSeconds, peakRssKiB: process.resourceUsage().maxRSS, events: rows, eventsPerSecond: rows / wallSeconds, tasks, tasksPerSecond: tasks / wallSeconds, workload: { cpu_s: cpuSeconds, rows_per_cpu_s: Math.round(rows / cpuSeconds) } };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Parse throughput per format with and without gzip, and the Google memory pair (1 M and 5 M rows). */
export function traceScenarios(quick: boolean): Scenario[] {
  const rows = quick ? 200_000 : 2_000_000;
  const memory = quick ? [100_000, 500_000] : [1_000_000, 5_000_000];
  return [
    parseScenario('parse-native', 'native', 'trace.csv', nativeRows, rows, false),
    parseScenario('parse-native-gz', 'native', 'trace.csv', nativeRows, rows, true),
    parseScenario('parse-swf', 'swf', 'trace.swf', swfRows, rows, false),
    parseScenario('parse-swf-gz', 'swf', 'trace.swf', swfRows, rows, true),
    parseScenario('parse-google', 'google-2011', 'task_events.csv', googleRows, rows, false),
    parseScenario('parse-google-gz', 'google-2011', 'task_events.csv', googleRows, rows, true),
    ...memory.map((n, i) => parseScenario(`memory-google-${i === 0 ? 'small' : 'large'}`, 'google-2011', 'task_events.csv', googleRows, n, true)),
  ];
}
