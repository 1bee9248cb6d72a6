// The semi-space flag is one setting: the executable's shebang, the npm scripts and the workers agree.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_MIB, WORKER_YOUNG_GENERATION_MIB } from '../../src/heap.js';

const root = new URL('../../', import.meta.url);
const flag = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

describe('the V8 semi-space setting', () => {
  it('is passed by the clustersim shebang and by the start and bench scripts', () => {
    const shebang = readFileSync(new URL('src/cli/bin.ts', root), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${flag}`);
    const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'bench']) expect(scripts[name], name).toMatch(new RegExp(`node (--expose-gc )?${flag} dist/`));
  });

  it('gives a worker with the parallel runner\'s limits semi-spaces of that size', async () => {
    // V8 reports the new space as two semi-spaces; it starts small and grows up to the limit as objects survive
    const code = `
      const { parentPort } = require('node:worker_threads');
      const v8 = require('node:v8');
      let keep = [];
      for (let i = 0; i < 4e6; i++) { keep.push({ i }); if (keep.length > 3e5) keep = []; }
      parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`;
    const worker = new Worker(code, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MIB } });
    const size = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(size / 2 ** 20).toBeGreaterThan(32);
    expect(size / 2 ** 20).toBeLessThanOrEqual(2 * SEMI_SPACE_MIB);
  });
});
