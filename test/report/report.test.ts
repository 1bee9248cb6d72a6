// report: a self-contained HTML page with SVG charts and per-policy tables; opens in headless Chromium without errors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadExperiment } from '../../src/experiment/config.js';
import { executeExperiment } from '../../src/experiment/execute.js';
import { planExperiment } from '../../src/experiment/runner.js';
import { chartSpec, renderSvg } from '../../src/report/charts.js';
import { loadReportData } from '../../src/report/data.js';
import { cell } from '../../src/report/html.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('report');
const ROOT = resolve(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
let results: string;

beforeAll(async () => {
  const dir = tempDir();
  const file = join(dir, 'r.yaml');
  writeFileSync(file, `name: r\ncluster: ${join(ROOT, 'traces/default/cluster.yaml')}\ntrace: ${join(ROOT, 'traces/default/pods.csv')}\npolicies: [fifo+first-fit, fifo+random]\nseeds: [1, 2]\nsample_interval: 3600\nhorizon: 150000\n`);
  const config = loadExperiment(file);
  results = join(dir, 'results');
  await executeExperiment(config, planExperiment(config), results, { jobs: 1 });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('clustersim report', () => {
  it('writes one self-contained page: inline SVG charts, a table per policy with intervals, no scripts or remote references', async () => {
    expect((await cli('report', results)).code).toBe(0);
    const html = readFileSync(join(results, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart" id="chart-(\w+)"><svg/g)?.map((m) => /chart-(\w+)/.exec(m)?.[1])).toEqual(['wait', 'utilisation', 'fairness']);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/https?:\/\//);
    expect(html.match(/<h3>[^<]+<\/h3>/g)).toEqual(['<h3>fifo+first-fit</h3>', '<h3>fifo+random</h3>']);
    expect(html).toMatch(/<td>fifo\+random<\/td><td>2<\/td>/);
  });

  it('table cells are the mean ± half the 95% t interval over seeds', () => {
    // 10 and 14: mean 12, sd 2√2, half-width 12.706 · 2√2 / √2 = 25.41.
    expect(cell([10, 14])).toBe('12 ± 25.41');
    expect(cell([0.5])).toBe('0.5000');
    expect(cell([10.71, 10.71 + 1e-14])).toBe('10.71 ± 0');
    expect(cell([null, undefined])).toBe('—');
  });

  it('reads per-configuration data: seeds pooled, utilisation the mean over resources then seeds; power only with a power_w column', async () => {
    const data = loadReportData(results);
    expect(data.configs.map((c) => [c.name, c.summaries.length, c.waitQuantiles.length])).toEqual([['fifo+first-fit', 2, 101], ['fifo+random', 2, 101]]);
    expect(data.configs[0]?.utilisation[0]?.time_s).toBe(0);
    expect(data.configs[0]?.power).toEqual([]);
    expect(chartSpec(data, 'power')).toBeNull();
    const withPower = { ...data, configs: data.configs.map((c) => ({ ...c, power: [{ time_s: 0, value: 100 }, { time_s: 3600, value: 250 }] })) };
    const spec = chartSpec(withPower, 'power');
    expect(spec).not.toBeNull();
    expect(await renderSvg(spec as NonNullable<typeof spec>)).toMatch(/power \(W\)/);
  });

  it('--svg and --png write one chart; unknown or empty charts are input errors', async () => {
    const svg = join(tempDir(), 'wait.svg');
    expect((await cli('report', results, '--svg', 'wait', '--out', svg)).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [^>]*class="marks"/);
    const png = join(tempDir(), 'fair.png');
    const r = await cli('report', results, '--png', 'fairness', '--out', png);
    if (r.code === 0) expect(readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    else expect(r.err).toMatch(/PNG output needs a TrueType font/);
    const unknown = await cli('report', results, '--svg', 'wiat');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown chart "wiat" \(did you mean "wait"\?\)/);
    const power = await cli('report', results, '--svg', 'power');
    expect(power.code).toBe(2);
    expect(power.err).toMatch(/no data for the power chart/);
  });

  it('opens in headless Chromium without errors and shows its charts (screenshot taken)', async (ctx) => {
    if (!existsSync(CHROMIUM)) ctx.skip(`${CHROMIUM} is not installed (apt-get install chromium); .ci/run installs it`);
    await cli('report', results);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      page.on('request', (r) => !r.url().startsWith('file://') && problems.push(`remote request: ${r.url()}`));
      await page.goto(`file://${join(results, 'report.html')}`);
      const boxes = await page.$$eval('figure.chart svg', (svgs) => svgs.map((s) => { const b = s.getBoundingClientRect(); return [b.width, b.height, s.querySelectorAll('path').length]; }));
      expect(boxes).toHaveLength(3);
      for (const [w, h, paths] of boxes) {
        expect(w).toBeGreaterThan(300);
        expect(h).toBeGreaterThan(100);
        expect(paths).toBeGreaterThan(3);
      }
      const shot = join(tempDir(), 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).length).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
