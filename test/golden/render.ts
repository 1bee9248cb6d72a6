// The golden rendering of the default experiment's summaries, shared by the golden test and its update script.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../../src/experiment/config.js';
import { planExperiment, runExperiment } from '../../src/experiment/runner.js';
import type { Summary } from '../../src/metrics/summary.js';

/** The repository root: the nearest folder above this module (in test/ or dist/test/) holding clustersim's package.json. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'clustersim') return dir;
    if (dirname(dir) === dir) throw new Error(`No clustersim package.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_EXPERIMENT = join(REPO_ROOT, 'experiments', 'default.yaml');
export const GOLDEN_FILE = join(REPO_ROOT, 'test', 'golden', 'default.summary.json');

const SIGNIFICANT_DIGITS = 9;

/** Rounds to 9 significant digits so last-bit float noise never shows; integers stay exact. */
export function roundSignificant(x: number): number {
  if (Number.isInteger(x)) return x === 0 ? 0 : x;
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/** Canonical JSON: run id → summary, runs and metric names sorted, numbers rounded, 2-space indent. */
export function renderSummaries(runs: readonly { readonly id: string; readonly summary: Summary }[]): string {
  const out: Record<string, Record<string, number | null>> = {};
  for (const { id, summary } of [...runs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (id in out) throw new Error(`Run id ${id} appears twice`);
    const rendered: Record<string, number | null> = {};
    for (const key of Object.keys(summary).sort()) {
      const value = summary[key];
      rendered[key] = value === null || value === undefined ? null : roundSignificant(value);
    }
    out[id] = rendered;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Runs experiments/default.yaml into `resultsDir` and renders its summaries. */
export async function renderDefaultExperiment(resultsDir: string): Promise<string> {
  const outcomes = await runExperiment(planExperiment(loadExperiment(DEFAULT_EXPERIMENT)), resultsDir);
  return renderSummaries(outcomes);
}
