// Sweep benchmark: 24 runs of one experiment sequentially in one thread, then on 2 worker threads; target ≤ 0.55 × sequential.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadExperiment } from '../src/experiment/config.js';
import { executeExperiment } from '../src/experiment/execute.js';
import { planExperiment } from '../src/experiment/runner.js';
import type { Measurement, Scenario } from './scenarios.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The bundled default workload made `copies` times bigger: every machine group `copies` times as
 * many machines, every pod `copies` times (ids suffixed), so each run does real work.
 */
function writeWorkload(dir: string, copies: number): void {
  const cluster = parse(readFileSync(join(ROOT, 'traces/default/cluster.yaml'), 'utf8')) as { groups: { count: number }[] };
  for (const g of cluster.groups) g.count *= copies;
  writeFileSync(join(dir, 'cluster.yaml'), stringify(cluster));
  const [header, ...rows] = readFileSync(join(ROOT, 'traces/default/pods.csv'), 'utf8').trim().split('\n');
  const out = [header];
  for (const row of rows) for (let k = 0; k < copies; k++) out.push(row.replace(/^([^,]+),([^,]+)/, `$1-${k},$2-${k}`));
  writeFileSync(join(dir, 'pods.csv'), `${out.join('\n')}\n`);
}

/** 8 policies × 3 seeds on the default workload scaled by `copies`. */
export function sweepScenario(name: string, copies: number, jobs = 2): Scenario {
  return {
    name,
    size: `24 runs (8 policies × 3 seeds), default workload ×${copies}, 1 thread vs ${jobs} worker threads`,
    async run(): Promise<Measurement> {
      const dir = mkdtempSync(join(tmpdir(), 'clustersim-bench-sweep-'));
      try {
        writeWorkload(dir, copies);
        const file = join(dir, 'sweep.yaml');
        const policies = ['fifo', 'priority'].flatMap((o) => ['first-fit', 'best-fit', 'worst-fit', 'random'].map((p) => `${o}+${p}`));
        writeFileSync(file, stringify({ name: 'sweep', cluster: 'cluster.yaml', trace: 'pods.csv', policies, seeds: [1, 2, 3], sample_interval: 600 }));
        /** Wall and CPU seconds (all threads of this process) of one whole sweep. */
        const timed = async (j: number, out: string) => {
          const config = loadExperiment(file);
          const started = process.hrtime.bigint();
          const cpu = process.cpuUsage();
          await executeExperiment(config, planExperiment(config), out, { jobs: j });
          const used = process.cpuUsage(cpu);
          return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 };
        };
        const sequential = await timed(1, join(dir, 'sequential'));
        const parallel = await timed(jobs, join(dir, 'parallel'));
        const same = readFileSync(join(dir, 'sequential', 'index.arrow')).equals(readFileSync(join(dir, 'parallel', 'index.arrow')));
        return {
          wallSeconds: parallel.wall,
          peakRssKiB: process.resourceUsage().maxRSS,
          events: 0,
          eventsPerSecond: 0,
          // CPU seconds show the pool's own overhead even when other processes share the cores and skew the wall times
          workload: {
            sequential_s: sequential.wall,
            parallel_s: parallel.wall,
            ratio: parallel.wall / sequential.wall,
            sequential_cpu_s: sequential.cpu,
            parallel_cpu_s: parallel.cpu,
            share_of_cores: parallel.cpu / parallel.wall / jobs,
            jobs,
            identical_index: same ? 'yes' : 'NO',
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
