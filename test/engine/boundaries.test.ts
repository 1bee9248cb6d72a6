// Architectural rules that keep runs reproducible and the engine independent, checked on the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('source boundaries', () => {
  it('the engine imports nothing from policies, traces, metrics or the model', () => {
    const files = sources('src/engine');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const imports = [...readFileSync(join(root, file), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] as string);
      expect(imports.filter((spec) => spec.startsWith('../')), file).toEqual([]);
    }
  });

  it('simulated behaviour never reads wall clocks or Math.random (only the CLI and the run manifest may)', () => {
    const allowed = new Set(['src/experiment/run.ts']);
    const offenders: string[] = [];
    for (const file of [...sources('src'), ...sources('policies')]) {
      if (file.startsWith('src/cli/') || allowed.has(file)) continue;
      const text = readFileSync(join(root, file), 'utf8');
      if (/Math\.random|Date\.now|new Date\(|performance\.now|hrtime/.test(text)) offenders.push(relative(root, join(root, file)));
    }
    expect(offenders).toEqual([]);
  });
});
