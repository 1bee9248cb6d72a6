// The clustersim command line: run experiments, simulate one run, list policies. Exit 0 ok, 2 bad input, 1 otherwise.
import { resolve } from 'node:path';
import yargs from 'yargs';
import { describeRegistry, resolvePolicy } from '../../policies/index.js';
import { isInputError, inputError, show } from '../errors.js';
import { runToDirectory } from '../experiment/run.js';
import { checkPolicy } from '../experiment/runner.js';
import { loadClusterSpec } from '../model/cluster-spec.js';
import { checkTraceRef, defaultClusterOf, type TraceRef } from '../traces/index.js';
import { describeReport } from '../traces/problems.js';
import type { RunOutcome } from '../experiment/run.js';
import { jsonObject } from './json-option.js';
import { baselineCommand, baselineOptions, compareCommand, compareOptions } from './compare.js';
import { mergeCommand, mergeOptions } from './merge.js';
import { reportCommand, reportOptions } from './report.js';
import { runCommand, runOptions } from './run.js';
import { schemaCommand, schemaOptions } from './schema.js';
import { traceCommand } from './trace.js';

const EXIT_INPUT = 2;

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await parse(argv);
  } catch (error) {
    if (isInputError(error)) {
      process.stderr.write(`clustersim: ${(error as Error).message}\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(`clustersim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function parse(argv: readonly string[]): Promise<number> {
  let code = 0;
  await yargs([...argv])
    .scriptName('clustersim')
    .usage('$0 <command> [options]\n\nA deterministic discrete-event simulator of cluster scheduling.')
    .command('run [experiment]', 'Run an experiment file: every policy × sweep point × seed, results under <out>/<name>/<run>/', runOptions, async (args) => {
      code = await runCommand(args);
    })
    .command('merge <out> <parts..>', 'Join the results folders of `run --shard i/N` parts into one tree with index.arrow', mergeOptions, (args) => {
      code = mergeCommand(args);
    })
    .command('compare <baseline> <candidate>', 'Pair two results folders by policy, parameters and seed; exit 1 when a --fail-if threshold is passed', compareOptions, (args) => {
      code = compareCommand(args);
    })
    .command('baseline <results>', 'Save a results folder\'s summaries as one JSON file to compare against later (e.g. committed for CI)', baselineOptions, (args) => {
      code = baselineCommand(args);
    })
    .command('report <results>', 'Write report.html (charts and per-policy tables, offline), or one chart with --svg/--png', reportOptions, async (args) => {
      code = await reportCommand(args);
    })
    .command('schema', 'Print the JSON Schema of experiment files (for editors)', schemaOptions, (args) => {
      code = schemaCommand(args);
    })
    .command(
      'simulate',
      'Simulate one run without an experiment file',
      (y) =>
        y
          .option('cluster', { type: 'string', describe: 'Cluster spec file (YAML or JSON); default: the trace format\'s own (SWF header, GPU node list, Google machine_events)' })
          .option('trace', { type: 'string', describe: 'Trace file or folder (native CSV unless --trace-format says otherwise)' })
          .option('trace-format', { type: 'string', default: 'native', describe: 'Trace format (see the README)' })
          .option('trace-options', { type: 'string', default: '{}', describe: 'Trace format options as a JSON object' })
          .option('max-attempts', { type: 'number', default: 1, describe: 'Attempts a task gets when machines under it go away' })
          .option('policy', { type: 'string', demandOption: true, describe: 'Policy name, e.g. fifo+best-fit (see `clustersim policies`)' })
          .option('policy-options', { type: 'string', default: '{}', describe: 'Policy options as a JSON object' })
          .option('seed', { type: 'number', default: 1, describe: 'Run seed (an integer)' })
          .option('sample-interval', { type: 'number', default: 60, describe: 'Seconds between samples in timeseries.arrow' })
          .option('horizon', { type: 'number', describe: 'Stop after this many simulated seconds' })
          .option('out', { type: 'string', demandOption: true, describe: 'Run folder to create (replaced if it exists)' }),
      async (args) => {
        const options = jsonObject('--policy-options', args['policy-options']);
        const traceOptions = jsonObject('--trace-options', args['trace-options']);
        if (!Number.isInteger(args['max-attempts']) || args['max-attempts'] < 1) throw inputError(RangeError, `--max-attempts must be a positive integer, got ${show(args['max-attempts'])}`);
        if (!Number.isInteger(args.seed) || args.seed < 0) throw inputError(RangeError, `--seed must be a non-negative integer, got ${show(args.seed)}`);
        if (!(args['sample-interval'] > 0)) throw inputError(RangeError, `--sample-interval must be a positive number of seconds, got ${show(args['sample-interval'])}`);
        if (args.horizon !== undefined && !(args.horizon > 0)) throw inputError(RangeError, `--horizon must be a positive number of seconds, got ${show(args.horizon)}`);
        const policy = resolvePolicy(args.policy, options, {}, { field: '--policy-options' });
        const trace: TraceRef = { format: args['trace-format'], path: args.trace === undefined ? null : resolve(args.trace), options: traceOptions, where: { field: '--trace-format' }, optionsWhere: { field: '--trace-options' } };
        checkTraceRef(trace);
        const cluster = args.cluster === undefined ? defaultClusterOf(trace) : loadClusterSpec(resolve(args.cluster));
        const clusterFile = cluster.file;
        checkPolicy(policy, cluster, {});
        const outcome = await runToDirectory(
          {
            id: args.policy,
            experiment: 'simulate',
            clusterFile,
            cluster,
            trace,
            policy,
            controllers: [],
            maxAttempts: args['max-attempts'],
            seed: args.seed,
            sampleInterval: args['sample-interval'],
            horizon: args.horizon,
          },
          resolve(args.out),
        );
        warnTraceReport(outcome);
        process.stdout.write(`${JSON.stringify(outcome.summary, null, 2)}\nresults in ${outcome.dir}\n`);
      },
    )
    .command('trace', 'Inspect a trace or convert it to native CSV (trace inspect|convert --help)', (y) => traceCommand(y), () => {})
    .command(
      'policies',
      'List the registered queue orders, placements and composites with their options',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of text' }),
      (args) => {
        const registry = describeRegistry();
        if (args.json) {
          process.stdout.write(`${JSON.stringify(registry, null, 2)}\n`);
          return;
        }
        const lines = ['A policy is order+placement (e.g. fifo+best-fit) or a composite name.', ''];
        for (const part of registry) {
          lines.push(`${part.kind} ${part.name}: ${part.description}`, `    cost: ${part.cost}`);
          for (const [name, spec] of Object.entries(part.options)) {
            lines.push(`    option ${name} (${spec.type}, default ${JSON.stringify(spec.default)}): ${spec.description}`);
          }
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    )
    .demandCommand(1, 'Name a command: run, merge, compare, baseline, report, schema, simulate, trace or policies.')
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      throw inputError(Error, `${message} (run "clustersim --help" for usage)`);
    })
    .parseAsync();
  return code;
}

/** Prints what the trace reader skipped or left out (the same for every run of one trace), if anything. */
function warnTraceReport(outcome: RunOutcome | undefined): void {
  const text = outcome?.traceReport === null || outcome === undefined ? '' : describeReport('trace', outcome.traceReport);
  if (text !== '') process.stderr.write(`clustersim: ${text}\n`);
}
