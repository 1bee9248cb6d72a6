// `clustersim merge`: joins the results folders of an experiment's shards into one tree, as a single machine would have written it.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError, show } from '../errors.js';
import { readRun, writeResultsIndex, type RunList } from './results-index.js';
import type { Shard } from './shard.js';
import { canonical } from './sweep.js';

type ShardFile = RunList & { readonly shard: Shard };

/**
 * Copies every run of the shards found in `parts` into `out` (a part may be `out` itself, as on a
 * shared file system) and writes index.arrow and experiment.json there. Every shard 1..N of one
 * experiment must be present, each with all of its runs; anything else is an input error.
 */
export function mergeResults(out: string, parts: readonly string[]): { runs: number; shards: number } {
  const found: { dir: string; file: ShardFile }[] = [];
  for (const dir of parts.map((p) => resolve(p))) {
    if (!existsSync(dir)) throw inputError(Error, `Cannot merge ${dir}: folder not found`);
    const files = readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f)).sort();
    if (files.length === 0) throw inputError(RangeError, `${dir} holds no shard-<i>-of-<N>.json; is it the results folder of a run with --shard?`);
    for (const f of files) found.push({ dir, file: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ShardFile });
  }
  const first = found[0] as { dir: string; file: ShardFile };
  const list: RunList = { experiment: first.file.experiment, params: first.file.params, runs: first.file.runs };
  for (const { dir, file } of found) {
    if (canonical({ experiment: file.experiment, params: file.params, runs: file.runs }) !== canonical(list) || file.shard.count !== first.file.shard.count) {
      throw inputError(RangeError, `Shard ${file.shard.index}/${file.shard.count} in ${dir} is from a different experiment or plan than shard ${first.file.shard.index}/${first.file.shard.count} in ${first.dir} (experiment ${show(file.experiment)} vs ${show(first.file.experiment)})`);
    }
  }
  const count = first.file.shard.count;
  const owner = new Map<number, string>();
  for (const { dir, file } of found) if (!owner.has(file.shard.index)) owner.set(file.shard.index, dir);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !owner.has(i));
  if (missing.length > 0) throw inputError(RangeError, `Shards ${missing.map((i) => `${i}/${count}`).join(', ')} of ${show(list.experiment)} are missing from the parts given`);
  const target = resolve(out);
  mkdirSync(target, { recursive: true });
  list.runs.forEach(({ id }, k) => {
    const source = owner.get((k % count) + 1) as string;
    readRun(source, id);
    if (source === target) return;
    const partial = join(target, `.${id}.merging`);
    rmSync(partial, { recursive: true, force: true });
    cpSync(join(source, id), partial, { recursive: true });
    rmSync(join(target, id), { recursive: true, force: true });
    renameSync(partial, join(target, id));
  });
  writeResultsIndex(target, list);
  return { runs: list.runs.length, shards: count };
}
