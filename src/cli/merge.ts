// `clustersim merge <out> <part>...`: joins shard results folders into one tree.
import type { Argv } from 'yargs';
import { mergeResults } from '../experiment/merge.js';

export function mergeOptions(y: Argv) {
  return y
    .positional('out', { type: 'string', demandOption: true, describe: 'Results folder of the whole experiment (created if needed; may be one of the parts)' })
    .positional('parts', { type: 'string', array: true, demandOption: true, describe: 'Results folders of the shards (each holds shard-<i>-of-<N>.json)' });
}

export function mergeCommand(args: { out: string; parts: string[] }): number {
  const merged = mergeResults(args.out, args.parts);
  process.stdout.write(`merged ${merged.runs} runs from ${merged.shards} shards into ${args.out}\n`);
  return 0;
}
