// `clustersim report <results>`: report.html with every chart, or one chart as SVG or PNG.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { inputError, show } from '../errors.js';
import { CHART_NAMES, type ChartName } from '../report/chart-names.js';
import { didYouMean } from '../suggest.js';

export function reportOptions(y: Argv) {
  return y
    .positional('results', { type: 'string', demandOption: true, describe: 'Results folder of an experiment (results/<experiment>)' })
    .option('out', { type: 'string', describe: 'Output file (default: <results>/report.html, or <results>/<chart>.svg|png)' })
    .option('svg', { type: 'string', describe: `Write one chart as SVG instead: ${CHART_NAMES.join(', ')}` })
    .option('png', { type: 'string', describe: `Write one chart as PNG instead: ${CHART_NAMES.join(', ')}` })
    .option('font', { type: 'string', describe: 'TrueType font for PNG labels (default: DejaVu Sans or Liberation Sans from /usr/share/fonts)' })
    .conflicts('svg', 'png');
}

function chartName(name: string): ChartName {
  if (!(CHART_NAMES as readonly string[]).includes(name)) throw inputError(RangeError, `Unknown chart ${show(name)}${didYouMean(name, CHART_NAMES)}; expected one of ${CHART_NAMES.join(', ')}`);
  return name as ChartName;
}

export async function reportCommand(args: { results: string; out?: string | undefined; svg?: string | undefined; png?: string | undefined; font?: string | undefined }): Promise<number> {
  // Vega and resvg load only when a report is asked for: every other command starts faster.
  const [{ loadReportData }, { chartSpec, renderSvg }, { renderReport }, { svgToPng }] = await Promise.all([
    import('../report/data.js'),
    import('../report/charts.js'),
    import('../report/html.js'),
    import('../report/png.js'),
  ]);
  const dir = resolve(args.results);
  const data = loadReportData(dir);
  const single = args.svg ?? args.png;
  if (single === undefined) {
    const out = args.out ?? join(dir, 'report.html');
    writeFileSync(out, await renderReport(data));
    process.stdout.write(`report in ${out}\n`);
    return 0;
  }
  const name = chartName(single);
  const spec = chartSpec(data, name);
  if (spec === null) throw inputError(RangeError, `The results in ${dir} have no data for the ${name} chart${name === 'power' ? ' (timeseries.arrow has no power_w column: the cluster has no power model)' : ''}`);
  const svg = await renderSvg(spec);
  const format = args.svg !== undefined ? 'svg' : 'png';
  const out = args.out ?? join(dir, `${name}.${format}`);
  writeFileSync(out, format === 'svg' ? svg : await svgToPng(svg, args.font));
  process.stdout.write(`${name} chart in ${out}\n`);
  return 0;
}
