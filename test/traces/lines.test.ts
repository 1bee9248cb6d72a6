// Line reading: CRLF endings are stripped wherever read chunks split the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from '../../src/traces/lines.js';

const dir = mkdtempSync(join(tmpdir(), 'clustersim-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function allLines(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const { lines, first } of readLines(file)) {
    expect(first).toBe(out.length + 1);
    out.push(...lines);
  }
  return out;
}

describe('readLines', () => {
  it('strips \\r from every line of a CRLF file larger than one read chunk, and from the last line', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `row ${i},${'x'.repeat(i % 7)}`);
    const file = join(dir, 'crlf.csv');
    writeFileSync(file, `${rows.join('\r\n')}\r`);
    expect(await allLines(file)).toEqual(rows);
  });

  it('keeps a \\r inside a line and leaves \\n-only files untouched', async () => {
    const file = join(dir, 'mixed.csv');
    writeFileSync(file, 'a\rb\nc\r\nd\r\r\n');
    expect(await allLines(file)).toEqual(['a\rb', 'c', 'd\r']);
    writeFileSync(file, 'a\nb\n');
    expect(await allLines(file)).toEqual(['a', 'b']);
  });
});
