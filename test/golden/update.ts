// Regenerates test/golden/default.summary.json (`npm run golden:update`); review the diff before committing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_FILE, renderDefaultExperiment } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'clustersim-golden-'));
try {
  writeFileSync(GOLDEN_FILE, await renderDefaultExperiment(dir));
  process.stdout.write(`Wrote ${GOLDEN_FILE}; review it with git diff before committing.\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
