// The memory settings are one setting each: the executable's shebang, the npm scripts and the workers agree.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MALLOC_TUNABLES, SEMI_SPACE_MIB, WORKER_YOUNG_GENERATION_MIB } from '../../src/heap.js';

const root = new URL('../../', import.meta.url);
const flag = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

describe('the V8 semi-space setting and the glibc tunable', () => {
  it('are passed by the clustersim shebang and by the start and bench scripts', () => {
    const shebang = readFileSync(new URL('src/cli/bin.ts', root), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S GLIBC_TUNABLES=${MALLOC_TUNABLES} node ${flag}`);
    const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'bench']) expect(scripts[name], name).toMatch(new RegExp(`&& GLIBC_TUNABLES=${MALLOC_TUNABLES.replace(/\./g, '\\.')} node (--expose-gc )?${flag} dist/`));
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

/** The kernel's transparent-huge-page mode, e.g. `madvise`, or null where there is none to read (not Linux). */
function thpMode(): string | null {
  const path = '/sys/kernel/mm/transparent_hugepage/enabled';
  if (!existsSync(path)) return null;
  return /\[(\w+)\]/.exec(readFileSync(path, 'utf8'))?.[1] ?? null;
}
const thp = thpMode();

// Huge pages come only from a Linux kernel whose transparent huge pages are not off (CI's and the
// benchmark machine's are `madvise`); elsewhere the tunable is ignored and there is nothing to see.
describe.skipIf(thp === null || thp === 'never')('the glibc huge-page setting', () => {
  /** AnonHugePages (KiB) of a fresh Node process holding a 32 MiB typed array, with `env` added to its environment. */
  function hugeKiB(env: Record<string, string>): number {
    const code = `const a = new Int32Array(1 << 23); a.fill(1); const m = /AnonHugePages:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8')); console.log(m ? m[1] : 'none');`;
    const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '', ...env } });
    expect(child.status, child.stderr).toBe(0);
    return Number(child.stdout.trim());
  }

  it('backs malloc\'s large arrays with huge pages, which they lack without it (in madvise mode)', () => {
    expect(hugeKiB({ GLIBC_TUNABLES: MALLOC_TUNABLES })).toBeGreaterThanOrEqual(16 * 1024);
    if (thp === 'madvise') expect(hugeKiB({})).toBe(0);
  });
});
