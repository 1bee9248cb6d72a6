// A scratch file of float64 values for sample lists too long to keep in memory: appended in blocks, read back in blocks.
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

/**
 * Values in this process's byte order, written and read by the same run; the run deletes the file
 * (`dispose`) before its directory becomes visible, and a failed run's directory goes as a whole.
 */
export class SpillFile {
  private fd: number | null;
  private written = 0;

  constructor(readonly path: string) {
    // 'wx+': a left-over file of the same name is a bug, not something to overwrite silently
    this.fd = openSync(path, 'wx+');
  }

  /** How many values the file holds. */
  get length(): number {
    return this.written;
  }

  /** Appends `values[0..count)`. */
  append(values: Float64Array, count: number): void {
    const fd = this.open();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, count * 8);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, this.written * 8 + done);
    this.written += count;
  }

  /** Calls `visit` with the values in the order appended, a block at a time; `block` is reused for every call. */
  forEachBlock(block: Float64Array, visit: (values: Float64Array, count: number) => void): void {
    const fd = this.open();
    const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
    for (let at = 0; at < this.written; ) {
      const n = Math.min(block.length, this.written - at);
      for (let got = 0; got < n * 8; ) {
        const read = readSync(fd, bytes, got, n * 8 - got, at * 8 + got);
        if (read === 0) throw new Error(`${this.path}: the scratch file ended after ${at * 8 + got} of ${this.written * 8} bytes`);
        got += read;
      }
      visit(block, n);
      at += n;
    }
  }

  /** Closes and deletes the file; safe to call more than once. */
  dispose(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    rmSync(this.path, { force: true });
  }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.path}: the scratch file was already disposed of`);
    return this.fd;
  }
}
