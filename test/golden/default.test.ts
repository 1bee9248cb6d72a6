import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { GOLDEN_FILE, renderDefaultExperiment, renderSummaries, roundSignificant } from './render.js';

const tempDir = useTempDirs('golden');
const HOW_TO_UPDATE = 'If the change is intended, run `npm run golden:update` and review the diff of test/golden/default.summary.json before committing.';

/** Lists up to `limit` "run.metric: golden → now" differences between two renderings. */
function differences(golden: string, now: string, limit = 20): string[] {
  const a = JSON.parse(golden) as Record<string, Record<string, unknown>>;
  const b = JSON.parse(now) as Record<string, Record<string, unknown>>;
  const out: string[] = [];
  for (const run of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[run];
    const y = b[run];
    if (x === undefined || y === undefined) {
      out.push(`${run}: ${x === undefined ? 'new run' : 'run gone'}`);
      continue;
    }
    for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) out.push(`${run}.${key}: ${JSON.stringify(x[key])} → ${JSON.stringify(y[key])}`);
    }
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}

describe('golden rendering', () => {
  it('rounds to 9 significant digits and keeps integers exact', () => {
    expect(roundSignificant(1 / 3)).toBe(0.333333333);
    expect(roundSignificant(123456.7891234)).toBe(123456.789);
    expect(roundSignificant(2e-12 / 3)).toBe(6.66666667e-13);
    expect(roundSignificant(1234567891)).toBe(1234567891);
    expect(roundSignificant(-0)).toBe(0);
    expect(Object.is(roundSignificant(-0), 0)).toBe(true);
  });

  it('sorts runs and metric names and keeps nulls', () => {
    const text = renderSummaries([
      { id: 'b-seed1', summary: { z: 1, a: null } },
      { id: 'a-seed2', summary: { m: 0.1 + 0.2 } },
    ]);
    expect(text).toBe('{\n  "a-seed2": {\n    "m": 0.3\n  },\n  "b-seed1": {\n    "a": null,\n    "z": 1\n  }\n}\n');
  });
});

describe('default experiment', () => {
  it('matches the committed golden summaries', async () => {
    if (!existsSync(GOLDEN_FILE)) throw new Error(`${GOLDEN_FILE} is missing. Run \`npm run golden:update\` and commit it.`);
    const golden = readFileSync(GOLDEN_FILE, 'utf8');
    const now = await renderDefaultExperiment(tempDir());
    if (now !== golden) {
      throw new Error(`The default experiment's summaries differ from ${GOLDEN_FILE}:\n  ${differences(golden, now).join('\n  ')}\n${HOW_TO_UPDATE}`);
    }
    expect(Object.keys(JSON.parse(golden) as object)).toHaveLength(24);
  });
});
