// Finding a multi-table trace's files (a folder per table, or files named after their table) and reading them row by row.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inputError } from '../errors.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { naturalResources, type Quantity } from './units.js';
import { ByteCounter, fileSize, readLines, type LineBatch } from './lines.js';

const DATA_FILE = /\.(csv|txt)(\.gz)?$|\.gz$/;

/**
 * The files of `table` under `path`, in name order: the data files of folder `<path>/<table>/`
 * (the published layout, e.g. `task_events/part-00000-of-00500.csv.gz`), else the files of `path`
 * whose names start with the table name. A `path` that is a file is the table itself when
 * `isMain`, and otherwise has no files for the table.
 */
export function tableFiles(path: string, table: string, isMain: boolean): string[] {
  const stat = safeStat(path);
  if (stat === undefined) return [];
  if (!stat.isDirectory()) return isMain ? [path] : [];
  const folder = join(path, table);
  const inFolder = safeStat(folder)?.isDirectory() === true;
  const dir = inFolder ? folder : path;
  return readdirSync(dir)
    .filter((name) => (inFolder || name.startsWith(table)) && DATA_FILE.test(name) && safeStat(join(dir, name))?.isFile() === true)
    .sort()
    .map((name) => join(dir, name));
}

function safeStat(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Like {@link tableFiles} for the table a trace cannot do without: none found is an input error. */
export function requireTable(path: string, table: string, isMain = true): string[] {
  fileSize(path);
  const files = tableFiles(path, table, isMain);
  if (files.length === 0) throw inputError(Error, `No ${table} files found: expected a folder ${basename(path)}/${table}/ or files named ${table}*.csv[.gz]`, { file: path });
  return files;
}

/**
 * The default cluster of a trace whose machines all come from its machine table: the format's
 * resources and no machines. Without that table there is no default: an input error.
 */
export function machinesFromTable(path: string, table: string, quantities: readonly Quantity[]): ClusterSpec {
  if (tableFiles(path, table, false).length === 0) {
    throw inputError(RangeError, `No ${table} table beside the tasks, so the trace has no machines of its own; name a cluster spec`, { file: path });
  }
  return { file: path, resources: naturalResources(quantities), groups: [] };
}

/** Lines of several files read one after the other, each batch tagged with its file. */
export async function* readTable(files: readonly string[], bytes: ByteCounter): AsyncGenerator<LineBatch & { file: string }> {
  for (const file of files) {
    for await (const batch of readLines(file, bytes)) yield { ...batch, file };
  }
}

/** Total size of `files`, for progress. */
export function totalSize(files: readonly string[]): number {
  return files.reduce((sum, f) => sum + fileSize(f), 0);
}

/** One row of a table split on commas, with its location. */
export interface Row {
  readonly fields: string[];
  readonly file: string;
  readonly line: number;
}

/**
 * A row stream that can be peeked at (for merging tables by time). {@link next} serves the rows of
 * the current read batch without awaiting; {@link advance} also reads the next batch when needed.
 */
export class RowCursor {
  private batch: (LineBatch & { file: string }) | undefined;
  private i = 0;
  private readonly source: AsyncGenerator<LineBatch & { file: string }>;
  /** The current row, or undefined once the table is exhausted (after {@link advance}). */
  row: Row | undefined;

  constructor(files: readonly string[], bytes: ByteCounter) {
    this.source = readTable(files, bytes);
  }

  /** The next non-empty row of the current batch, or undefined when the batch is used up. */
  next(): Row | undefined {
    const batch = this.batch;
    if (batch === undefined) return undefined;
    const lines = batch.lines;
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      const lineNo = batch.first + this.i++;
      if (line !== '') return (this.row = { fields: line.split(','), file: batch.file, line: lineNo });
    }
    return undefined;
  }

  /** Moves to the next non-empty row, reading on as needed. */
  async advance(): Promise<Row | undefined> {
    for (;;) {
      const row = this.next();
      if (row !== undefined) return row;
      const next = await this.source.next();
      if (next.done === true) return (this.row = undefined);
      this.batch = next.value;
      this.i = 0;
    }
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }
}
