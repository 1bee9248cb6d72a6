// `clustersim compare`: a Markdown (or JSON) table of paired deltas, the GitHub step summary, exit 1 on regression; `baseline` saves one.
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { baselineOf, compareResults, DEFAULT_METRICS, parseThreshold, type Comparison } from '../experiment/compare.js';
import { canonical } from '../experiment/sweep.js';

export function compareOptions(y: Argv) {
  return y
    .positional('baseline', { type: 'string', demandOption: true, describe: 'Results folder of the baseline (results/<experiment>), or a baseline file from `clustersim baseline`' })
    .positional('candidate', { type: 'string', demandOption: true, describe: 'Results folder of the candidate' })
    .option('fail-if', { type: 'string', array: true, default: [] as string[], describe: 'Threshold, e.g. "wait_p95_s > +5%" or "utilisation_mean < -0.01"; repeatable' })
    .option('metrics', { type: 'string', array: true, default: DEFAULT_METRICS, describe: 'Metrics to show besides those with thresholds (absent ones are left out)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of Markdown' });
}

const num = (x: number | null) => (x === null ? '—' : Number.isInteger(x) || Math.abs(x) >= 1e4 ? x.toFixed(0) : x.toPrecision(4));
const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${num(x)}`);

/** The comparison as a Markdown section: one row per configuration and metric. */
export function renderMarkdown(c: Comparison): string {
  const lines = [
    `## clustersim compare`,
    '',
    `Baseline \`${c.baseline}\`, candidate \`${c.candidate}\`: runs paired by policy, parameters and seed; Δ is the mean of candidate − baseline over the seeds, with its 95% t interval.`,
    '',
    '| policy | parameters | metric | seeds | baseline | candidate | Δ | 95% CI of Δ | Δ % | check |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const r of c.rows) {
    const ci = r.low === null || r.high === null ? '—' : `[${signed(r.low)}, ${signed(r.high)}]`;
    const check = r.failed.length ? `❌ ${r.failed.join('; ')}` : r.checked.length ? `✅ ${r.checked.join('; ')}` : '';
    const params = Object.keys(r.params).length ? canonical(r.params).replace(/\|/g, '\\|') : '';
    lines.push(`| ${r.policy} | ${params} | ${r.metric} | ${r.n} | ${num(r.baselineMean)} | ${num(r.candidateMean)} | ${signed(r.meanDiff)} | ${ci} | ${r.relative === null ? '—' : `${signed(100 * r.relative)}%`} | ${check} |`);
  }
  lines.push('', c.regressions ? `**${c.regressions} regression${c.regressions > 1 ? 's' : ''}** beyond the thresholds.` : 'No regression beyond the thresholds.', '');
  return lines.join('\n');
}

export function compareCommand(args: { baseline: string; candidate: string; 'fail-if': string[]; metrics: string[]; json: boolean }): number {
  const thresholds = args['fail-if'].map(parseThreshold);
  const comparison = compareResults(args.baseline, args.candidate, thresholds, args.metrics);
  const markdown = renderMarkdown(comparison);
  process.stdout.write(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : markdown);
  const summary = process.env['GITHUB_STEP_SUMMARY'];
  if (summary) appendFileSync(summary, markdown);
  return comparison.regressions > 0 ? 1 : 0;
}

export function baselineOptions(y: Argv) {
  return y
    .positional('results', { type: 'string', demandOption: true, describe: 'Results folder of a finished experiment' })
    .option('out', { type: 'string', demandOption: true, describe: 'Baseline file to write (JSON), for `clustersim compare <baseline.json> <candidate>`' });
}

export function baselineCommand(args: { results: string; out: string }): number {
  const baseline = baselineOf(args.results);
  writeFileSync(args.out, `${JSON.stringify(baseline, null, 2)}\n`);
  process.stdout.write(`baseline of ${baseline.runs.length} runs in ${args.out}\n`);
  return 0;
}
