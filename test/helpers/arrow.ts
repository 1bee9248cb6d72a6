// Reads an Arrow IPC file back as plain rows (int64 as number) for assertions.
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

function plain(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new TypeError(`Unexpected Arrow cell ${String(value)}`);
}

/** The column names of an Arrow file, in schema order. */
export function arrowColumns(path: string): string[] {
  return tableFromIPC(readFileSync(path)).schema.fields.map((f) => f.name);
}

/** Every row of an Arrow file as an object keyed by column name. */
export function readArrowRows(path: string): Row[] {
  const table = tableFromIPC(readFileSync(path));
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((name) => table.getChild(name));
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    names.forEach((name, c) => {
      row[name] = plain(columns[c]?.get(i));
    });
    rows.push(row);
  }
  return rows;
}
