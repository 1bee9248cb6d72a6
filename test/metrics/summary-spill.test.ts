import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedRun } from '../helpers/recorded-run.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-spill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 3,000 generated tasks on 20 machines, recorded with at most `limit` samples in memory per list. */
function run(name: string, limit?: number): Promise<string> {
  return recordedRun(root, name, { tasks: 3_000, machines: 20, policy: 'fifo+best-fit', seed: 3, sampleSeconds: 60, sampleMemoryLimit: limit });
}

describe('summary and tenant sample lists that spill to scratch files', () => {
  let memory: Promise<string> | undefined;
  // 97: every tenant's waits (about 375 each) are selected from the file; 1,000: tenants are gathered in batches
  it.each([97, 1_000])('give the same summary and files as lists kept in memory, and leave no scratch file behind (limit %i)', async (limit) => {
    memory ??= run('memory');
    const spilled = await run(`spilled-${limit}`, limit);
    const files = readdirSync(await memory).sort();
    expect(readdirSync(spilled).sort()).toEqual(files);
    expect(files.some((f) => f.startsWith('.'))).toBe(false);
    const summary = JSON.parse(readFileSync(join(spilled, 'summary.json'), 'utf8')) as Record<string, number>;
    // the run is long enough that the limit really was passed
    expect(summary['finished']).toBeGreaterThan(2 * limit);
    expect(summary['wait_p99_s']).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(spilled, f)).equals(readFileSync(join(await memory, f))), f).toBe(true);
  });
});
