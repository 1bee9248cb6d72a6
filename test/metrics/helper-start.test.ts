// When an auto-mode run starts the helper thread: a file of its own, so the process starts without one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTask, newTaskSpec } from '../../src/model/task.js';
import { NONE } from '../../src/model/constraints.js';
import { taskColumns } from '../../src/metrics/schemas.js';
import { helperPays, helperStarted, PUBLISH_EVERY, TaskRows, THREAD_AFTER, type TaskRowMode } from '../../src/metrics/task-rows.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-helper-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const RESOURCES = { names: ['cpu', 'mem'], units: ['millicore', 'MiB'] };

/** Writes `n` finished tasks as whole rows; returns the file's bytes and whether the helper wrote them. */
function write(name: string, n: number, mode: TaskRowMode): { bytes: Buffer; threaded: boolean } {
  const path = join(root, name);
  const rows = new TaskRows(path, taskColumns(RESOURCES), 2, mode);
  for (let i = 0; i < n; i++) {
    const t = makeTask(newTaskSpec({ id: `t-${i}`, job: `j-${i >> 4}`, tenant: 'a', priority: 0, kind: 'batch', submit: i, duration: 10, demand: Float64Array.of(1, 1), constraints: NONE }), i);
    t.machine = 0;
    t.start = i + 1;
    t.end = i + 11;
    t.state = 'finished';
    rows.write(t, ['m-0']);
  }
  const threaded = rows.inHelperThread;
  rows.close();
  return { bytes: readFileSync(path), threaded };
}

describe('the helper thread writing tasks.arrow', () => {
  it('is started at the first block of rows of an auto run, before the run has enough rows to hand it', () => {
    const short = write('short.arrow', PUBLISH_EVERY - 1, 'auto');
    expect(short.threaded).toBe(false);
    expect(helperStarted()).toBe(false);
    // between the first block and THREAD_AFTER: the thread comes up, the run is still written here
    const middle = write('middle.arrow', THREAD_AFTER - 1, 'auto');
    expect(middle.threaded).toBe(false);
    expect(helperStarted()).toBe(helperPays());
    expect(middle.bytes.equals(write('middle-inline.arrow', THREAD_AFTER - 1, 'inline').bytes)).toBe(true);
  });
});
