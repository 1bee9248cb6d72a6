// The Arrow table writer: columns that start small and grow up to the batch size keep every row.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArrowTableWriter, type ColumnSpec } from '../../src/metrics/arrow-table.js';
import { readArrowRows, type Row } from '../helpers/arrow.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('arrow-table');

const SPECS: readonly ColumnSpec[] = [
  { name: 'f', type: 'float64' },
  { name: 'i', type: 'int32' },
  { name: 'big', type: 'int64' },
  { name: 's', type: 'utf8' },
  { name: 'maybe_f', type: 'float64', nullable: true },
  { name: 'maybe_big', type: 'int64', nullable: true },
  { name: 'maybe_s', type: 'utf8', nullable: true },
];

/** Row `r`'s values: every kind of column, nulls in a pattern, text of varying length, some of it not ASCII. */
function expected(r: number): Row {
  return {
    f: r / 8,
    i: (r * 7919) % 100_003,
    big: 2 ** 40 + r,
    s: `row-${r}-${'x'.repeat(r % 23)}`,
    maybe_f: r % 3 === 0 ? null : -r,
    maybe_big: r % 5 === 0 ? null : r * 1000,
    maybe_s: r % 7 === 0 ? null : r % 2 === 0 ? `ü${r}` : `${r}`,
  };
}

function write(path: string, rows: number, batchRows?: number): void {
  const w = new ArrowTableWriter(path, SPECS, batchRows);
  for (let r = 0; r < rows; r++) {
    const row = expected(r);
    w.float(0, row['f'] as number);
    w.int(1, row['i'] as number);
    w.int(2, row['big'] as number);
    w.string(3, row['s'] as string);
    w.floatOrNull(4, row['maybe_f'] as number | null);
    if (row['maybe_big'] === null) w.null(5);
    else w.int(5, row['maybe_big'] as number);
    if (row['maybe_s'] === null) w.null(6);
    else w.string(6, row['maybe_s'] as string);
    w.endRow();
  }
  w.close();
}

describe('ArrowTableWriter', () => {
  // The columns start with room for 1,024 rows and double up to the batch size: 5,000 rows in
  // one batch of 65,536 grow them three times; batches of 2,500 grow them to 2,048, then to 2,500
  // (the batch size), and the second batch starts in columns already at full size.
  it.each([
    ['one batch, grown three times', 5_000, undefined],
    ['batches of 2,500, grown to the batch size', 5_100, 2_500],
    ['fewer rows than the first room', 10, undefined],
    ['batches smaller than the first room', 1_500, 600],
  ])('reads back every value written: %s', (_name, rows, batchRows) => {
    const path = join(tempDir(), 't.arrow');
    write(path, rows, batchRows);
    const got = readArrowRows(path);
    expect(got.length).toBe(rows);
    for (let r = 0; r < rows; r++) expect(got[r]).toEqual(expected(r));
  });
});
