// compare: hand-worked paired statistics, a planted regression, an identical candidate, bad thresholds and mismatched sets.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compareResults, parseThreshold } from '../../src/experiment/compare.js';
import { pairedDifference, t975 } from '../../src/experiment/seed-stats.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('compare');

/** A results tree with one policy ("p") over `waits.length` seeds, run ids p-seed<N>, wait_p95_s from `waits`. */
function tree(waits: readonly number[], seeds = waits.map((_, i) => i + 1), extra: Record<string, number> = {}): string {
  const dir = tempDir();
  const runs = seeds.map((seed) => ({ id: `p-seed${seed}`, policy: 'p' }));
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify({ experiment: 'e', params: {}, runs }));
  seeds.forEach((seed, i) => {
    mkdirSync(join(dir, `p-seed${seed}`));
    writeFileSync(join(dir, `p-seed${seed}`, 'manifest.json'), JSON.stringify({ seed, params: {}, config: { policy: 'fifo+first-fit' } }));
    writeFileSync(join(dir, `p-seed${seed}`, 'summary.json'), JSON.stringify({ wait_p95_s: waits[i], utilisation_mean: 0.5, ...extra }));
  });
  return dir;
}

afterEach(() => vi.restoreAllMocks());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('paired statistics', () => {
  it('mean difference and t interval on a hand-worked case', () => {
    // diffs 1, 1, 4: mean 2, sd √3, half-width t(0.975, 2)·√3/√3 = 4.303; baseline mean 12 → +16.67 %.
    const d = pairedDifference([10, 12, 14], [11, 13, 18]);
    expect(d.meanDiff).toBe(2);
    expect(d.low).toBeCloseTo(2 - 4.303, 10);
    expect(d.high).toBeCloseTo(2 + 4.303, 10);
    expect(d.relative).toBeCloseTo(2 / 12, 12);
    expect(pairedDifference([5], [6])).toMatchObject({ meanDiff: 1, low: null, high: null });
  });

  it('t quantiles: tabled to 30 degrees of freedom, then close to the normal', () => {
    expect(t975(1)).toBe(12.706);
    expect(t975(30)).toBe(2.042);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(1e6)).toBeCloseTo(1.96, 3);
  });
});

describe('thresholds', () => {
  it('relative thresholds compare the mean difference with the baseline mean, absolute ones the difference itself', () => {
    const base = tree([10, 12, 14]);
    const cand = tree([11, 13, 18]);
    const failed = (t: string) => compareResults(base, cand, [parseThreshold(t)]).regressions;
    expect(failed('wait_p95_s > +5%')).toBe(1);
    expect(failed('wait_p95_s > +20%')).toBe(0);
    expect(failed('wait_p95_s > 1.5')).toBe(1);
    expect(failed('wait_p95_s > +2.5')).toBe(0);
    expect(failed('p95_wait_s > +5%')).toBe(1);
    expect(failed('wait_p95_s < -1%')).toBe(0);
  });

  it('parses > and < with optional sign and %, and rejects anything else', () => {
    expect(parseThreshold(' energy_j > +2% ')).toEqual({ text: 'energy_j > +2%', metric: 'energy_j', direction: '>', limit: 2, relative: true });
    expect(parseThreshold('utilisation_mean < -0.01')).toMatchObject({ direction: '<', limit: -0.01, relative: false });
    for (const bad of ['wait_p95_s >> 5%', 'wait_p95_s > five', '> 5%', 'wait_p95_s = 5']) expect(() => parseThreshold(bad)).toThrow(/is not a threshold/);
  });
});

describe('clustersim compare', () => {
  it('flags a planted regression with exit 1 and a Markdown row marked ❌, also in the GitHub step summary', async () => {
    const summary = join(tempDir(), 'summary.md');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const r = await cli('compare', tree([100, 100, 100]), tree([100, 130, 100]), '--fail-if', 'p95_wait_s > +5%');
    vi.unstubAllEnvs();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\| p \|  \| wait_p95_s \| 3 \| 100 \| 110 \| \+10 \| \[-33\.03, \+53\.03\] \| \+10%? \| ❌ p95_wait_s > \+5% \|/);
    expect(r.out).toContain('**1 regression** beyond the thresholds.');
    expect(readFileSync(summary, 'utf8')).toBe(r.out);
  });

  it('passes an identical candidate with exit 0; --json gives the same rows as data', async () => {
    const base = tree([100, 120]);
    const r = await cli('compare', base, tree([100, 120]), '--fail-if', 'wait_p95_s > +5%', '--fail-if', 'utilisation_mean < -1%');
    expect(r.code).toBe(0);
    expect(r.out).toContain('No regression beyond the thresholds.');
    const j = await cli('compare', base, base, '--json', '--fail-if', 'wait_p95_s > 0');
    const parsed = JSON.parse(j.out) as { regressions: number; rows: { metric: string; meanDiff: number }[] };
    expect(parsed.regressions).toBe(0);
    expect(parsed.rows.map((row) => [row.metric, row.meanDiff])).toEqual([['wait_p95_s', 0], ['utilisation_mean', 0]]);
  });

  it('a saved baseline file compares like the folder it came from', async () => {
    const file = join(tempDir(), 'baseline.json');
    expect((await cli('baseline', tree([100, 100]), '--out', file)).code).toBe(0);
    expect((await cli('compare', file, tree([100, 100]), '--fail-if', 'wait_p95_s > +5%')).code).toBe(0);
    expect((await cli('compare', file, tree([100, 120]), '--fail-if', 'wait_p95_s > +5%')).code).toBe(1);
  });

  it('bad thresholds exit 2 with a clear message', async () => {
    const base = tree([1]);
    const malformed = await cli('compare', base, base, '--fail-if', 'wait_p95_s >> 5');
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/--fail-if "wait_p95_s >> 5" is not a threshold; expected/);
    const unknown = await cli('compare', base, base, '--fail-if', 'wait_p59_s > 5%');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no metric "wait_p59_s" \(did you mean "wait_p95_s"\?\)/);
  });

  it('mismatched result sets exit 2 naming the unpaired runs', async () => {
    const r = await cli('compare', tree([1, 2, 3]), tree([1, 2], [1, 4]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/do not match.*Only in the baseline: p seed 2; p seed 3\. Only in the candidate: p seed 4\./);
    const notResults = await cli('compare', tempDir(), tree([1]));
    expect(notResults.code).toBe(2);
    expect(notResults.err).toMatch(/not a finished experiment's results folder/);
  });
});
