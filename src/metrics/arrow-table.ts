// A streaming Arrow IPC file writer with a fixed schema, filled column by column without per-row objects.
import { closeSync, openSync, writevSync } from 'node:fs';
import { endianness } from 'node:os';
import type * as Arrow from 'apache-arrow';
import { arrow } from '../arrow.js';

const { AsyncByteQueue, Field, Float64, Int32, Int64, RecordBatch, RecordBatchFileWriter, Schema, Struct, Utf8, makeData } = arrow;

export type ColumnType = 'utf8' | 'float64' | 'int32' | 'int64';

/** One column of a table: its name, Arrow type and whether it may hold nulls. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
}

/** An Arrow byte sink that writes straight to a file descriptor, so memory stays bounded. */
class FileSink extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly fd: number) {
    super();
  }

  override write(value: Uint8Array): void {
    if (value.byteLength === 0) return;
    this.chunks.push(value);
    this.bytes += value.byteLength;
    if (this.bytes >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.chunks.length > 0) writevSync(this.fd, this.chunks);
    this.chunks = [];
    this.bytes = 0;
  }
}

/** Where the low and high 32-bit halves of an int64 sit in memory on this platform. */
const LOW_WORD = endianness() === 'LE' ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;
const TWO_32 = 2 ** 32;

function arrowType(type: ColumnType): Arrow.DataType {
  switch (type) {
    case 'utf8':
      return new Utf8();
    case 'float64':
      return new Float64();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
  }
}

/**
 * Rows a column has room for when its table is opened. Columns grow by doubling up to the batch
 * size, so a table of a few hundred rows (a run's time series, its tenants, the machines of a small
 * cluster) never zero-fills buffers for a whole batch: those fills cost page faults, which on a
 * virtual machine are dear (about 14 µs per 4 KiB page on the project's machine).
 */
const FIRST_ROWS = 1024;

class Column {
  validity: Uint8Array;
  values: Float64Array | Int32Array | BigInt64Array | null;
  /** An int64 column's values as 32-bit halves: writing halves avoids a BigInt per value. */
  words: Int32Array | null = null;
  offsets: Int32Array | null = null;
  text: Buffer | null = null;
  textBytes = 0;
  nulls = 0;

  constructor(readonly spec: ColumnSpec, rows: number) {
    // empty arrays of the column's kinds, then grown to `rows` like any later growth
    this.validity = new Uint8Array(0);
    this.values = spec.type === 'float64' ? new Float64Array(0) : spec.type === 'int32' ? new Int32Array(0) : spec.type === 'int64' ? new BigInt64Array(0) : null;
    if (spec.type === 'utf8') {
      this.offsets = new Int32Array(1);
      this.text = Buffer.allocUnsafe(rows * 16);
    }
    this.grow(rows, 0);
  }

  /** Makes room for `rows` rows, keeping the `filled` rows set so far. */
  grow(rows: number, filled: number): void {
    const validity = new Uint8Array((rows + 7) >> 3);
    validity.set(this.validity.subarray(0, (filled + 7) >> 3));
    this.validity = validity;
    const values = this.values;
    if (values !== null) {
      const bigger = new (values.constructor as new (n: number) => Float64Array | Int32Array | BigInt64Array)(rows);
      (bigger as Float64Array).set((values as Float64Array).subarray(0, filled));
      this.values = bigger;
      if (bigger instanceof BigInt64Array) this.words = new Int32Array(bigger.buffer);
    }
    if (this.offsets !== null) {
      const offsets = new Int32Array(rows + 1);
      offsets.set(this.offsets.subarray(0, filled + 1));
      this.offsets = offsets;
    }
  }

  /** The text buffer, grown if need be to take `bytes` more. */
  room(bytes: number): Buffer {
    const text = this.text as Buffer;
    if (this.textBytes + bytes <= text.length) return text;
    const bigger = Buffer.allocUnsafe(Math.max(this.textBytes + bytes, 2 * text.length));
    text.copy(bigger, 0, 0, this.textBytes);
    this.text = bigger;
    return bigger;
  }

  setValid(row: number): void {
    this.validity[row >> 3] = (this.validity[row >> 3] as number) | (1 << (row & 7));
  }

  reset(): void {
    this.validity.fill(0);
    this.textBytes = 0;
    this.nulls = 0;
  }

  /** The batch's Arrow data as views of the column's buffers: valid until the next reset. */
  data(type: Arrow.DataType, length: number): Arrow.Data {
    const nullBitmap = this.spec.nullable ? this.validity.subarray(0, (length + 7) >> 3) : undefined;
    const nullCount = this.spec.nullable ? this.nulls : 0;
    if (this.offsets !== null && this.text !== null) {
      return makeData({
        type: type as Arrow.Utf8, length, nullCount, nullBitmap,
        valueOffsets: this.offsets.subarray(0, length + 1), data: new Uint8Array(this.text.buffer, this.text.byteOffset, this.textBytes),
      });
    }
    const values = (this.values as Float64Array).subarray(0, length);
    return makeData({ type: type as Arrow.Float64, length, nullCount, nullBitmap, data: values });
  }
}

/**
 * Writes one Arrow IPC file (the random-access "file" format, which pandas, polars and DuckDB
 * read directly). Rows are set column by column with the typed setters, closed with
 * {@link endRow}, and written out in record batches of `batchRows` rows.
 */
export class ArrowTableWriter {
  readonly schema: Arrow.Schema;
  private readonly columns: Column[];
  private readonly writer: Arrow.RecordBatchFileWriter;
  private readonly sink: FileSink;
  private readonly fd: number;
  private row = 0;
  private total = 0;
  /** Rows the columns have room for now (at most `batchRows`). */
  private room: number;

  constructor(path: string, specs: readonly ColumnSpec[], private readonly batchRows = 65_536) {
    this.schema = new Schema(specs.map((s) => new Field(s.name, arrowType(s.type), s.nullable ?? false)));
    this.room = Math.min(batchRows, FIRST_ROWS);
    this.columns = specs.map((s) => new Column(s, this.room));
    this.fd = openSync(path, 'w');
    this.sink = new FileSink(this.fd);
    this.writer = new RecordBatchFileWriter();
    this.writer.reset(this.sink, this.schema);
  }

  /** Rows written so far, including the current batch. */
  get rows(): number {
    return this.total + this.row;
  }

  /** The column index of `name`; throws if the schema has no such column. */
  column(name: string): number {
    const i = this.columns.findIndex((c) => c.spec.name === name);
    if (i < 0) throw new RangeError(`No column ${JSON.stringify(name)}`);
    return i;
  }

  float(col: number, value: number): void {
    const c = this.columns[col] as Column;
    (c.values as Float64Array)[this.row] = value;
    c.setValid(this.row);
  }

  int(col: number, value: number): void {
    const c = this.columns[col] as Column;
    const words = c.words;
    if (words !== null) {
      // the same bits as BigInt64Array[row] = BigInt(value), without making a BigInt
      if (!Number.isSafeInteger(value)) throw new RangeError(`Column ${c.spec.name} takes integers, got ${value}`);
      const high = Math.floor(value / TWO_32);
      words[2 * this.row + LOW_WORD] = value - high * TWO_32;
      words[2 * this.row + HIGH_WORD] = high;
    } else {
      (c.values as Int32Array)[this.row] = value;
    }
    c.setValid(this.row);
  }

  string(col: number, value: string): void {
    const c = this.columns[col] as Column;
    const n = value.length;
    const start = c.textBytes;
    const text = c.room(3 * n);
    // ASCII byte by byte (several times faster than Buffer#write for short strings), else UTF-8
    let i = 0;
    for (; i < n; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) break;
      text[start + i] = code;
    }
    this.endText(c, i === n ? start + n : start + text.write(value, start, 'utf8'));
  }

  /** Sets a text column to the UTF-8 bytes `source[from, from + length)`. */
  utf8(col: number, source: Uint8Array, from: number, length: number): void {
    const c = this.columns[col] as Column;
    const start = c.textBytes;
    const text = c.room(length);
    for (let i = 0; i < length; i++) text[start + i] = source[from + i] as number;
    this.endText(c, start + length);
  }

  /** A float that may be missing: null, or NaN (how the metrics mark an undefined value), is written as null. */
  floatOrNull(col: number, value: number | null): void {
    if (value === null || Number.isNaN(value)) this.null(col);
    else this.float(col, value);
  }

  /** Leaves the column's value in this row null (the column must be nullable). */
  null(col: number): void {
    const c = this.columns[col] as Column;
    c.nulls++;
    if (c.values !== null) {
      if (c.values instanceof BigInt64Array) c.values[this.row] = 0n;
      else c.values[this.row] = 0;
    } else {
      (c.offsets as Int32Array)[this.row + 1] = c.textBytes;
    }
  }

  /** Ends the current row's value of text column `c` at byte `end`. */
  private endText(c: Column, end: number): void {
    c.textBytes = end;
    (c.offsets as Int32Array)[this.row + 1] = end;
    c.setValid(this.row);
  }

  /** Finishes the current row; every column must have been set or nulled. */
  endRow(): void {
    if (++this.row === this.batchRows) this.flushBatch();
    else if (this.row === this.room) this.grow();
  }

  /** Writes what is buffered and the file footer, and closes the file. */
  close(): void {
    if (this.row > 0 || this.total === 0) this.flushBatch();
    this.writer.finish();
    this.sink.flush();
    closeSync(this.fd);
  }

  /** Closes the file without finishing it (after an error); the caller removes it. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  /** Doubles the columns' room (up to the batch size), keeping the rows of the batch so far. */
  private grow(): void {
    this.room = Math.min(this.batchRows, 2 * this.room);
    for (const c of this.columns) c.grow(this.room, this.row);
  }

  private flushBatch(): void {
    const length = this.row;
    const children = this.columns.map((c, i) => c.data((this.schema.fields[i] as Arrow.Field).type, length));
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    this.writer.write(new RecordBatch(this.schema, struct));
    // the batch's bytes are in the file now, so the columns' buffers can take the next batch
    this.sink.flush();
    for (const c of this.columns) c.reset();
    this.total += length;
    this.row = 0;
  }
}
