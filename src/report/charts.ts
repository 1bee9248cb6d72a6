// The report's charts as Vega-Lite specs, rendered to SVG in Node through Vega (no browser, no canvas).
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { meanInterval } from '../experiment/seed-stats.js';
import type { ChartName } from './chart-names.js';
import type { ReportData } from './data.js';


const WIDTH = 640;
const HEIGHT = 300;
const COLOR = { field: 'config', type: 'nominal', title: 'configuration', legend: { labelLimit: 400 } } as const;

/** Keeps at most `max` evenly spaced points of a series, always the last, so long runs stay light. */
function thin<T>(xs: readonly T[], max = 400): T[] {
  if (xs.length <= max) return [...xs];
  const step = xs.length / max;
  const out = Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)] as T);
  out.push(xs[xs.length - 1] as T);
  return out;
}

/** The Vega-Lite spec of chart `name`, or null when the results have nothing for it (no power column, say). */
export function chartSpec(data: ReportData, name: ChartName): TopLevelSpec | null {
  const base = { width: WIDTH, height: HEIGHT, background: 'white', config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' } } as const;
  switch (name) {
    case 'wait': {
      const values = data.configs.flatMap((c) => c.waitQuantiles.map((w, q) => ({ config: c.name, wait_s: w, fraction: q / 100 })));
      if (values.length === 0) return null;
      return {
        ...base,
        title: 'Waiting time distribution (CDF over task attempts, all seeds)',
        data: { values },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'wait_s', type: 'quantitative', scale: { type: 'symlog' }, axis: { values: [0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7], labelExpr: "datum.value >= 1e6 ? datum.value / 1e6 + 'M' : datum.value >= 1e3 ? datum.value / 1e3 + 'k' : datum.value" }, title: 'wait (s, symlog scale)' },
          y: { field: 'fraction', type: 'quantitative', title: 'fraction of task attempts', axis: { format: '%' } },
          color: COLOR,
        },
      };
    }
    case 'utilisation':
    case 'power': {
      const values = data.configs.flatMap((c) => thin(name === 'power' ? c.power : c.utilisation).map((p) => ({ config: c.name, hours: p.time_s / 3600, value: p.value })));
      if (values.length === 0) return null;
      return {
        ...base,
        title: name === 'power' ? 'Cluster power over time (mean over seeds)' : 'Utilisation over time (mean over resources and seeds)',
        data: { values },
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          x: { field: 'hours', type: 'quantitative', title: 'simulated time (h)' },
          y: { field: 'value', type: 'quantitative', title: name === 'power' ? 'power (W)' : 'allocated / capacity', ...(name === 'power' ? {} : { axis: { format: '%' } }) },
          color: COLOR,
        },
      };
    }
    case 'fairness': {
      const values = data.configs.flatMap((c) => {
        const xs = c.summaries.map((s) => s['jain_fairness']).filter((x): x is number => typeof x === 'number');
        if (xs.length === 0) return [];
        const { mean, half } = meanInterval(xs);
        return [{ config: c.name, mean, low: mean - (half ?? 0), high: mean + (half ?? 0) }];
      });
      if (values.length === 0) return null;
      return {
        ...base,
        title: "Jain's fairness index over tenants' dominant shares (mean, 95% t interval over seeds)",
        data: { values },
        encoding: { y: { field: 'config', type: 'nominal', title: null, sort: null } },
        layer: [
          { mark: 'bar', encoding: { x: { field: 'mean', type: 'quantitative', title: 'Jain index', scale: { domain: [0, 1] } }, color: { ...COLOR, legend: null } } },
          { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
        ],
        height: { step: 22 },
      };
    }
  }
}

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
