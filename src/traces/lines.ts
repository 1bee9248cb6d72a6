// Streamed text lines of a trace file, plain or gzip (detected by its magic bytes), with line numbers.
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { inputError } from '../errors.js';

/** Lines of one read chunk; `first` is the 1-based line number of `lines[0]`. */
export interface LineBatch {
  readonly lines: string[];
  readonly first: number;
}

/** Bytes of (possibly compressed) input consumed so far over all files of a trace, for progress. */
export class ByteCounter {
  consumed = 0;
  size = 0;

  fraction(): number | null {
    return this.size > 0 ? Math.min(1, this.consumed / this.size) : null;
  }
}

const READ_CHUNK = 1 << 18;

/** Size of `file` in bytes; a missing or unreadable file is an input error naming it. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw inputError(Error, `Cannot read trace ${file}: ${reason}`);
  }
}

/** True if `file` starts with the gzip magic bytes 1f 8b. */
export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams the lines of `file` (gunzipping it if compressed) in batches, without line endings. A
 * truncated or corrupt gzip stream is an input error naming the file and the line it stopped at.
 */
export async function* readLines(file: string, bytes = new ByteCounter()): AsyncGenerator<LineBatch> {
  fileSize(file);
  const raw = createReadStream(file, { highWaterMark: READ_CHUNK });
  raw.on('data', (chunk) => {
    bytes.consumed += chunk.length;
  });
  const gzip = isGzip(file);
  const text = gzip ? raw.pipe(createGunzip({ chunkSize: READ_CHUNK })) : raw;
  if (gzip) raw.on('error', (error) => text.destroy(error));
  text.setEncoding('utf8');
  let carry = '';
  let line = 1;
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() as string;
      // most traces use bare \n: one scan of the chunk (plus the line the old carry began) spares a check per line
      if (chunk.includes('\r') || lines[0]?.endsWith('\r') === true) {
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i] as string;
          if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
        }
      }
      if (lines.length === 0) continue;
      yield { lines, first: line };
      line += lines.length;
    }
  } catch (error) {
    throw gzip ? gzipError(error, file, line) : error;
  } finally {
    raw.destroy();
  }
  if (carry.endsWith('\r')) carry = carry.slice(0, -1);
  if (carry !== '') yield { lines: [carry], first: line };
}

/** A zlib failure as an input error naming the file and the line reading stopped at; other errors unchanged. */
export function gzipError(error: unknown, file: string, line: number): unknown {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file/.test(e.message)) {
    return inputError(SyntaxError, `Truncated or corrupt gzip data (${e.message}); the last complete line read was ${line - 1}`, { file, line });
  }
  return error;
}

/** The first lines of `file` read synchronously (gunzipped if needed), for headers; at most `maxBytes` of input. */
export function headLines(file: string, maxBytes = 1 << 20): string[] {
  fileSize(file);
  const fd = openSync(file, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(maxBytes);
    buf = buf.subarray(0, readSync(fd, buf, 0, maxBytes, 0));
  } finally {
    closeSync(fd);
  }
  const cut = buf.length === maxBytes;
  // a sync flush as the final flush decodes a prefix of a gzip stream instead of failing on its cut-off end
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf, { finishFlush: constants.Z_SYNC_FLUSH });
  const lines = buf.toString('utf8').split('\n');
  if (cut) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
