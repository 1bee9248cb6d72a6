// The report page: one self-contained HTML file (inline SVG charts and CSS, no scripts, nothing fetched).
import { meanInterval } from '../experiment/seed-stats.js';
import { CHART_NAMES } from './chart-names.js';
import { chartSpec, renderSvg } from './charts.js';
import type { ReportData } from './data.js';

/** Metrics in the per-policy tables: summary key and column title. */
export const TABLE_COLUMNS = [
  ['finished', 'finished'],
  ['wait_mean_s', 'mean wait (s)'],
  ['wait_p95_s', 'p95 wait (s)'],
  ['bounded_slowdown_mean', 'mean bounded slowdown'],
  ['utilisation_mean', 'mean utilisation'],
  ['makespan_s', 'makespan (s)'],
  ['jain_fairness', 'Jain fairness'],
  ['energy_j', 'energy (J)'],
] as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fmt(x: number): string {
  return Math.abs(x) >= 1000 || Number.isInteger(x) ? x.toFixed(0) : x.toPrecision(4);
}

/** `mean ± half` over seeds (half the 95% t interval), or `—` when no seed has the metric. */
export function cell(values: readonly (number | null | undefined)[]): string {
  const xs = values.filter((x): x is number => typeof x === 'number');
  if (xs.length === 0) return '—';
  const { mean, half } = meanInterval(xs);
  if (half === null) return fmt(mean);
  // seeds that agree up to rounding in the last bits show an interval of 0, not 5e-15
  return `${fmt(mean)} ± ${fmt(half <= 1e-12 * Math.abs(mean) ? 0 : half)}`;
}

function tables(data: ReportData): string {
  const present = TABLE_COLUMNS.filter(([key]) => data.configs.some((c) => c.summaries.some((s) => typeof s[key] === 'number')));
  const policies = [...new Set(data.configs.map((c) => c.policy))];
  return policies
    .map((policy) => {
      const rows = data.configs.filter((c) => c.policy === policy);
      const head = `<tr><th>configuration</th><th>seeds</th>${present.map(([, title]) => `<th>${escape(title)}</th>`).join('')}</tr>`;
      const body = rows.map((c) => `<tr><td>${escape(c.name)}</td><td>${c.summaries.length}</td>${present.map(([key]) => `<td>${cell(c.summaries.map((s) => s[key]))}</td>`).join('')}</tr>`).join('\n');
      return `<h3>${escape(policy)}</h3>\n<table>\n${head}\n${body}\n</table>`;
    })
    .join('\n');
}

/** Renders the whole report. */
export async function renderReport(data: ReportData): Promise<string> {
  const charts: string[] = [];
  for (const name of CHART_NAMES) {
    const spec = chartSpec(data, name);
    if (spec !== null) charts.push(`<figure class="chart" id="chart-${name}">${await renderSvg(spec)}</figure>`);
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>clustersim report: ${escape(data.experiment)}</title>
<style>
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure.chart { margin: 1.5em 0; }
p.note { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>clustersim report: ${escape(data.experiment)}</h1>
<p class="note">${data.configs.length} configurations, ${data.configs.reduce((n, c) => n + c.summaries.length, 0)} runs, from <code>${escape(data.dir)}</code>. Values in the tables are the mean over seeds ± half the 95% Student t interval (no interval with one seed).</p>
<h2>Charts</h2>
${charts.join('\n')}
<h2>Per policy</h2>
${tables(data)}
</body>
</html>
`;
}
