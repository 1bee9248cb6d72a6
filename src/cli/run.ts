// `clustersim run`: an experiment file on N worker threads, resumable, optionally one shard of it.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { inputError, show } from '../errors.js';
import { loadExperiment } from '../experiment/config.js';
import { executeExperiment } from '../experiment/execute.js';
import { defaultJobs } from '../experiment/pool.js';
import { comparisonRows, formatComparison, planExperiment } from '../experiment/runner.js';
import { parseShard, selectShard } from '../experiment/shard.js';
import { describeReport } from '../traces/problems.js';
import { progressPrinter } from './progress.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export function runOptions(y: Argv) {
  return y
    .positional('experiment', { type: 'string', default: 'experiments/default.yaml', describe: 'Experiment file (YAML or JSON)' })
    .option('out', { type: 'string', default: 'results', describe: 'Results root folder' })
    .option('jobs', { alias: 'j', type: 'number', default: defaultJobs(), describe: 'Runs at once, each on its own worker thread (1: one after another in this thread)' })
    .option('shard', { type: 'string', describe: 'Run only part i of N (i/N, 1-based) of the runs; join the parts with `clustersim merge`' })
    .option('list', { type: 'boolean', default: false, describe: 'Print the run ids (of the shard, if given) in plan order and run nothing' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress display' });
}

export async function runCommand(args: { experiment: string; out: string; jobs: number; shard?: string | undefined; list: boolean; quiet: boolean }): Promise<number> {
  if (!Number.isInteger(args.jobs) || args.jobs < 1) throw inputError(RangeError, `--jobs must be a positive integer, got ${show(args.jobs)}`);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const config = loadExperiment(args.experiment);
  const runs = planExperiment(config);
  if (args.list) {
    const ids = (shard === undefined ? runs : selectShard(runs, shard)).map((r) => r.plan.id);
    process.stdout.write(`${ids.join('\n')}\n`);
    return 0;
  }
  const resultsDir = resolve(args.out, config.name);
  const progress = args.quiet ? undefined : progressPrinter();
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const result = await executeExperiment(config, runs, resultsDir, { jobs: args.jobs, shard, progress, signal: abort.signal });
    progress?.end();
    if (result.interrupted) {
      process.stderr.write(`clustersim: interrupted; ${result.skipped + result.ran} runs are finished in ${resultsDir}; run the same command again to resume\n`);
      return EXIT_INTERRUPTED;
    }
    const report = result.outcomes[0]?.traceReport;
    const warning = report === null || report === undefined ? '' : describeReport('trace', report);
    if (warning !== '') process.stderr.write(`clustersim: ${warning}\n`);
    const part = shard === undefined ? '' : ` (shard ${shard.index}/${shard.count}; join the parts with \`clustersim merge\`)`;
    process.stdout.write(`\n${config.name}: ${result.outcomes.length} runs${part}, ${result.skipped} resumed, results in ${resultsDir}\n\n${formatComparison(comparisonRows(result.outcomes))}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
