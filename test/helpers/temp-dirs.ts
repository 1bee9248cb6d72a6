// Temporary directories under os.tmpdir() for one test file, removed after its last test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Returns a maker of fresh temporary directories; all of them are removed after the file's tests. */
export function useTempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `clustersim-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
