// `clustersim trace inspect|convert`: summarise a trace in any registered format, or rewrite it as native CSV.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { inputError, show } from '../errors.js';
import { loadClusterSpec, type ClusterSpec } from '../model/cluster-spec.js';
import { clusterYaml, convertToNative } from '../traces/convert.js';
import { checkTraceRef, defaultClusterOf, openTrace, traceFormats, type TraceRef } from '../traces/index.js';
import { formatInspection, inspectTrace } from '../traces/inspect.js';
import { describeReport } from '../traces/problems.js';
import { naturalResources } from '../traces/units.js';
import { jsonObject } from './json-option.js';

interface TraceArgs {
  readonly path: string | undefined;
  readonly format: string;
  readonly options: string;
  readonly cluster: string | undefined;
  readonly 'max-tasks': number | undefined;
  readonly from: number | undefined;
  readonly until: number | undefined;
}

/** The options both subcommands take. */
function traceOptions<T>(y: Argv<T>) {
  return y
    .positional('path', { type: 'string', describe: 'Trace file or folder (none for synthetic)' })
    .option('format', { type: 'string', default: 'native', describe: `Trace format: ${Object.keys(traceFormats).join(', ')}` })
    .option('options', { type: 'string', default: '{}', describe: 'Trace format options as a JSON object (see docs/traces.md)' })
    .option('cluster', { type: 'string', describe: "Cluster spec giving resource names and units; default: the format's own, else its natural units" })
    .option('max-tasks', { type: 'number', describe: 'Read at most this many tasks (trace option max_tasks)' })
    .option('from', { type: 'number', describe: 'Keep tasks submitted from this trace time in seconds (from_s)' })
    .option('until', { type: 'number', describe: 'Stop at tasks submitted at this trace time in seconds (until_s)' });
}

/** The trace reference and cluster the flags describe; the window flags become trace options. */
function resolveTrace(args: TraceArgs): { ref: TraceRef; cluster: ClusterSpec } {
  const options: Record<string, unknown> = jsonObject('--options', args.options);
  for (const [flag, key] of [['max-tasks', 'max_tasks'], ['from', 'from_s'], ['until', 'until_s']] as const) {
    if (args[flag] !== undefined) options[key] = args[flag];
  }
  const ref: TraceRef = { format: args.format, path: args.path === undefined ? null : resolve(args.path), options, where: { field: '--format' }, optionsWhere: { field: '--options' } };
  checkTraceRef(ref);
  const format = traceFormats[ref.format];
  let cluster: ClusterSpec;
  if (args.cluster !== undefined) cluster = loadClusterSpec(resolve(args.cluster));
  else if (format?.defaultCluster !== undefined) cluster = defaultClusterOf(ref);
  else if (format?.quantities !== undefined) cluster = { file: `${ref.format} units`, resources: naturalResources(format.quantities), groups: [] };
  else throw inputError(RangeError, `Trace format ${show(ref.format)} reads resources named by a cluster: give --cluster`);
  return { ref, cluster };
}

/** Registers `trace inspect` and `trace convert` under `trace`. */
export function traceCommand<T>(y: Argv<T>) {
  return y
    .command(
      'inspect [path]',
      'Summarise a trace: counts, time span, duration and demand distributions, tenants, machines, problems found',
      (c) => traceOptions(c).option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of text' }),
      async (args) => {
        const { ref, cluster } = resolveTrace(args);
        const inspection = await inspectTrace(openTrace(ref, cluster, 1), cluster);
        process.stdout.write(args.json ? `${JSON.stringify(inspection, null, 2)}\n` : `${formatInspection(inspection, cluster.resources.units)}\n`);
      },
    )
    .command(
      'convert [path]',
      'Rewrite a trace as native CSV (times in seconds, demands in the cluster\'s base units)',
      (c) =>
        traceOptions(c)
          .option('out', { type: 'string', demandOption: true, describe: 'Native CSV file to write (replaced if it exists)' })
          .option('cluster-out', { type: 'string', describe: "Also write the cluster used (the format's default one) as YAML here" }),
      async (args) => {
        const { ref, cluster } = resolveTrace(args);
        const source = openTrace(ref, cluster, 1);
        const written = await convertToNative(source, cluster, resolve(args.out));
        if (args['cluster-out'] !== undefined) {
          if (cluster.groups.length === 0) throw inputError(RangeError, `The trace's machines come from its machine events, which the native format cannot hold; --cluster-out has nothing to write`);
          writeFileSync(resolve(args['cluster-out']), clusterYaml(cluster));
        }
        const report = source.report === undefined ? '' : describeReport(ref.path ?? ref.format, source.report());
        if (report !== '') process.stderr.write(`clustersim: ${report}\n`);
        if (source.machineEvents !== undefined) process.stderr.write('clustersim: note: the trace\'s machine events are not part of the native format and were not converted\n');
        process.stdout.write(`${written} tasks written to ${resolve(args.out)}\n`);
      },
    )
    .demandCommand(1, 'Name a trace command: inspect or convert.');
}
