// tasks.arrow rows on their way to the file: a shared ring the simulation fills with each task
// attempt's numbers and name bytes, drained into the Arrow writer in this thread or in a helper
// thread, which also counts the attempts for the summary (see AttemptStats).
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { microsToSeconds } from '../engine/time.js';
import type { Task, TaskKind, TaskState } from '../model/task.js';
import { AttemptStats, STATES, type AttemptFigures } from './attempt-stats.js';
import { threadScript } from '../thread-script.js';
import { ArrowTableWriter, type ColumnSpec } from './arrow-table.js';
import { attemptTimes, type TaskTimes } from './summary.js';
import { warmUpQuantiles } from './stats.js';
import { ensureLength } from '../typed-array.js';

/**
 * Where the rows are written:
 * - `auto`: in this thread for a run of fewer than {@link THREAD_AFTER} rows; from that row on, the
 *   helper thread writes them all (the ring still holds them, so it begins at the first), when
 *   {@link helperPays}: on the main thread of a process that may use more than one core.
 * - `thread`: in the helper thread from the first row (tests use it on small runs).
 * - `inline`: always in this thread.
 * All three write the same bytes.
 */
export type TaskRowMode = 'auto' | 'thread' | 'inline';

/** Records the ring holds (a power of two). */
export const RING_RECORDS = 65_536;
/**
 * The row at which `auto` starts the helper thread. Far below {@link RING_RECORDS}, so the thread
 * has the time to start (about 0.1 s) while the simulation goes on filling the ring.
 */
export const THREAD_AFTER = 4_096;
/** Bytes of names (task, job, tenant and machine ids) the ring holds. */
export const RING_BYTES = 4 << 20;
/**
 * A run starts with a ring this small (and {@link THREAD_AFTER} records), which it drains itself
 * when full: a short run, or one in a sweep worker, never holds the big ring. The helper thread
 * gets a big ring, with the rows so far copied in.
 */
const FIRST_RING_BYTES = 512 << 10;
/** The producer publishes its head every this many records (a power of two), and before it waits. */
export const PUBLISH_EVERY = 1024;
/**
 * Records the helper thread writes before it uses an idle moment to warm the end-of-run selection
 * up (see warmUpQuantiles). Sooner, that work (some 50 ms of CPU with its compiles) fell in a
 * run's first second, when the simulation's own code is being compiled and the two cores are
 * oversubscribed; by this many records (about 130 k tasks) that is over, and the helper idles often.
 */
const WARM_UP_AFTER = 1 << 18;
/** How long the producer waits for the helper thread without any progress before it gives up. */
const STALL_MS = 60_000;

/** Task kinds in code order (states are in AttemptStats' order): a record carries the code, the writer the UTF-8 bytes. */
const KINDS: readonly TaskKind[] = ['batch', 'service'];
const STATE_BYTES = STATES.map((s) => Buffer.from(s, 'utf8'));
const KIND_BYTES = KINDS.map((k) => Buffer.from(k, 'utf8'));

// Control words (Int32): producer and consumer positions as wrapping int32 counters, the ring's state,
// who sleeps, a signal counter the consumer sleeps on, and the length of a failure's message.
const HEAD = 0;
const TAIL = 1;
const STATE = 2;
const PRODUCER_WAITING = 3;
const CONSUMER_WAITING = 4;
const SIGNAL = 5;
const ERROR_LENGTH = 6;
const CONTROL_WORDS = 8;
const ERROR_BYTES = 4096;

// Ring states. The producer moves OPEN or RUNNING to CLOSING or ABORTING; the consumer moves OPEN to
// RUNNING when it begins, and CLOSING or ABORTING to DONE, or anything to FAILED.
const OPEN = 0;
const RUNNING = 1;
const CLOSING = 2;
const ABORTING = 3;
const DONE = 4;
const FAILED = 5;

// Kinds of record. A row comes whole, or in two parts: what is known when an attempt starts (its
// names and numbers, sent while the task's record is fresh in the cache) and, under the same key,
// what is known when it ends (state and end time), so that the end needs nothing of the record.
const WHOLE = 0;
const STARTED = 1;
const ENDED = 2;

// Fields of one record (Float64), those an end part carries first, so that it writes one cache line
// (a record's stride is a whole number of lines). Name lengths of -1 mean "the same as before": the
// previous record's job, or the tenant or machine already sent under that key. The times (wait, run,
// slowdown) are not sent: the writer works them out from submit, start and end as the summary does.
const TYPE = 0; // WHOLE, STARTED or ENDED
const KEY = 1; // STARTED and ENDED: the attempt's key (its simulation slot), free again after the ENDED part
const BYTES_END = 2; // absolute byte position after the record's names
const STATE_CODE = 3;
const END = 4;
const BYTES_START = 5; // absolute byte position of the record's names (id, then those sent)
const ID = 6;
const JOB = 7;
const TENANT_KEY = 8; // the task's tenant index, -1 if it has none
const TENANT = 9;
const MACHINE_KEY = 10; // machine slot, -1 if never placed (machine_id is null)
const MACHINE = 11;
const ATTEMPT = 12;
const KIND_CODE = 13;
const PRIORITY = 14;
const SUBMIT = 15;
const START = 16;
const DEMAND = 17;
/** Float64 fields in a cache line. */
const LINE = 8;

/** Float64 fields a record takes with `dims` demand columns: whole cache lines. */
function recordStride(dims: number): number {
  return Math.ceil((DEMAND + dims) / LINE) * LINE;
}

/** The shared memory of one run's rows: what the helper thread is sent. */
interface Ring {
  readonly control: Int32Array;
  readonly records: Float64Array;
  readonly bytes: Uint8Array;
  readonly error: Uint8Array;
  readonly stride: number;
  readonly mask: number;
}

/** What the helper thread is asked to do: drain `ring` into the Arrow file `path`, and send the attempts' figures back on `port`. */
export interface TaskRowJob {
  readonly ring: Ring;
  readonly path: string;
  readonly specs: readonly ColumnSpec[];
  readonly dims: number;
  readonly memoryLimit: number | undefined;
  readonly port: MessagePort;
}

function newRing(dims: number, records: number, bytes: number): Ring {
  const stride = recordStride(dims);
  return {
    control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS)),
    records: new Float64Array(new SharedArrayBuffer(8 * stride * records)),
    bytes: new Uint8Array(new SharedArrayBuffer(bytes)),
    error: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES)),
    stride,
    mask: records - 1,
  };
}

/**
 * True if a helper thread can speed a run up here: on the main thread (a sweep worker's siblings
 * have the other cores) of a process that may use more than one core (a one-core job slot would
 * only share its core with the helper).
 */
export function helperPays(cores = availableParallelism(), main = isMainThread): boolean {
  return main && cores > 1;
}

/** The helper thread, started on first need and shared by the runs of this process, one run at a time. */
let helper: Worker | null = null;
let helperBusy = false;

/** True while this process has a helper thread (started, or coming up). */
export function helperStarted(): boolean {
  return helper !== null;
}

function helperThread(): Worker {
  if (helper === null) {
    const worker = new Worker(threadScript('task-row-thread', import.meta.url));
    worker.unref();
    // a thread that dies is replaced for the next run; the run it served fails on its stall timeout
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (helper === worker) helper = null;
    });
    helper = worker;
  }
  return helper;
}

/**
 * The producer side, used by the run's recorder: for each task attempt, {@link started} when it
 * starts and {@link ended} when it ends, or one {@link write} if it ends without having started;
 * then {@link close} (or {@link abort} after a failure). Nothing is allocated per row.
 * `memoryLimit` bounds the values each of the attempts' sample lists keeps in memory (see
 * AttemptStats); the rest go to hidden scratch files beside the file.
 */
export class TaskRows {
  private ring: Ring;
  private text: Buffer;
  /** Bytes of names the ring holds. */
  private capacity: number;
  private head = 0;
  private tail = 0;
  /** The head at the last wake-up of the helper. */
  private woken = 0;
  /** Absolute position after the last name byte written. */
  private bytesHead = 0;
  private lastJob: string | null = null;
  private sentTenants: Uint8Array<ArrayBuffer> = new Uint8Array(64);
  private sentMachines: Uint8Array<ArrayBuffer> = new Uint8Array(1024);
  /** The writer when rows are written in this thread; null before the first drain or when threaded. */
  private inline: TaskRowWriter | null = null;
  private threaded = false;
  private closed = false;
  /** Where the helper thread sends the figures of a threaded run. */
  private port: MessagePort | null = null;

  constructor(
    private readonly path: string,
    private readonly specs: readonly ColumnSpec[],
    private readonly dims: number,
    private readonly mode: TaskRowMode = 'auto',
    private readonly records = RING_RECORDS,
    private readonly bytes = RING_BYTES,
    private readonly memoryLimit?: number,
  ) {
    if (!Number.isInteger(Math.log2(records)) || records < PUBLISH_EVERY) throw new RangeError(`The task ring takes a power of two ≥ ${PUBLISH_EVERY} records, got ${records}`);
    if (!(bytes >= 1024)) throw new RangeError(`The task ring takes at least 1,024 bytes of names, got ${bytes}`);
    const first = mode === 'thread' ? newRing(dims, records, bytes) : newRing(dims, Math.min(records, THREAD_AFTER), Math.min(bytes, FIRST_RING_BYTES));
    this.ring = first;
    this.capacity = first.bytes.length;
    this.text = Buffer.from(first.bytes.buffer);
    if (mode === 'thread') this.startThread();
  }

  /** True once the rows go to the helper thread. */
  get inHelperThread(): boolean {
    return this.threaded;
  }

  /** Queues the whole row of `task`, which has ended (or is left at the end of the run) without a {@link started} part. */
  write(task: Task, machineIds: readonly string[]): void {
    const r = this.named(task, machineIds, WHOLE, -1);
    const records = this.ring.records;
    records[r + STATE_CODE] = code(STATES, task.state, 'state');
    records[r + END] = task.end;
    this.advance();
  }

  /**
   * Queues the first part of the row of `task`, which has just started: all but its state, end and
   * times, which {@link ended} sends under the same `key` (a small number, not in use by another
   * started attempt) when it ends.
   */
  started(task: Task, key: number, machineIds: readonly string[]): void {
    this.named(task, machineIds, STARTED, key);
    this.advance();
  }

  /** Queues the rest of the row of the attempt {@link started} under `key`: it ended (or is left at the end of the run) as `state` at `end` (-1 if it has not). */
  ended(key: number, state: TaskState, end: number): void {
    const ring = this.ring;
    if (((this.head - this.tail) | 0) > ring.mask) this.makeRoom(0);
    const r = (this.head & ring.mask) * ring.stride;
    const records = ring.records;
    records[r + TYPE] = ENDED;
    records[r + KEY] = key;
    records[r + BYTES_END] = this.bytesHead;
    records[r + STATE_CODE] = code(STATES, state, 'state');
    records[r + END] = end;
    this.advance();
  }

  /** Writes a record of `type` with the names and start-time numbers of `task`; returns its offset in the ring. */
  private named(task: Task, machineIds: readonly string[], type: number, key: number): number {
    let ring = this.ring;
    const id = task.id;
    const job = task.job === this.lastJob ? null : task.job;
    const tenantKey = task.tenantIndex;
    const tenant = tenantKey >= 0 && tenantKey < this.sentTenants.length && this.sentTenants[tenantKey] === 1 ? null : task.tenant;
    const m = task.machine;
    const machine = m < 0 || (m < this.sentMachines.length && this.sentMachines[m] === 1) ? null : (machineIds[m] as string);
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    const most = 3 * (id.length + (job === null ? 0 : job.length) + (tenant === null ? 0 : tenant.length) + (machine === null ? 0 : machine.length));
    if (most > this.capacity / 4) throw new RangeError(`Task ${JSON.stringify(id.slice(0, 60))} has ids and names too long for tasks.arrow (over ${this.capacity / 4} bytes)`);
    let at = this.namesAt(most);
    if (((this.head - this.tail) | 0) > ring.mask || at + most - this.consumedBytes() > this.capacity) {
      this.makeRoom(at - this.bytesHead + most);
      // the ring may have been drained (or grown) here, so place the names again
      ring = this.ring;
      at = this.namesAt(most);
    }
    const p = at % this.capacity;
    const r = (this.head & ring.mask) * ring.stride;
    const records = ring.records;
    records[r + TYPE] = type;
    records[r + KEY] = key;
    records[r + BYTES_START] = at;
    const text = this.text;
    let q = p + put(text, p, id);
    records[r + ID] = q - p;
    q = putName(text, q, job, records, r + JOB);
    if (job !== null) this.lastJob = job;
    records[r + TENANT_KEY] = tenantKey;
    q = putName(text, q, tenant, records, r + TENANT);
    if (tenant !== null && tenantKey >= 0) this.sentTenants = mark(this.sentTenants, tenantKey);
    records[r + MACHINE_KEY] = m;
    q = putName(text, q, machine, records, r + MACHINE);
    if (machine !== null) this.sentMachines = mark(this.sentMachines, m);
    this.bytesHead = at + (q - p);
    records[r + BYTES_END] = this.bytesHead;
    records[r + ATTEMPT] = task.attempt;
    records[r + KIND_CODE] = code(KINDS, task.kind, 'kind');
    records[r + PRIORITY] = task.priority;
    records[r + SUBMIT] = task.submit;
    records[r + START] = task.start;
    const demand = task.demand;
    for (let d = 0; d < this.dims; d++) records[r + DEMAND + d] = demand[d] as number;
    return r;
  }

  /** Counts the record just written, and publishes a block of them. */
  private advance(): void {
    this.head = (this.head + 1) | 0;
    if ((this.head & (PUBLISH_EVERY - 1)) === 0) this.everyBlock();
  }

  /**
   * Every {@link PUBLISH_EVERY} rows: publishes them to the helper thread, or hands it the run once
   * the run has enough. The thread itself is started at the first block: it takes ~0.2 s to come up
   * on a busy machine, time a run's first rows (while its code is still being compiled) mostly cover.
   */
  private everyBlock(): void {
    if (!this.threaded && this.mode === 'auto' && this.inline === null && helperPays()) {
      if (this.head >= THREAD_AFTER) this.startThread();
      else helperThread();
    }
    if (this.threaded) this.publish();
  }

  /** Hands the rows queued so far to the helper thread now, if it writes them, so that it drains them while the caller does other work before {@link close}. */
  flush(): void {
    if (this.threaded && !this.closed) this.publish(true);
  }

  /**
   * Says that no more rows will come. A helper thread already at work on this run's rows goes on
   * to the file's footer and the attempts' figures while the caller does other work (a run's other
   * files), so that {@link close} finds them ready, or nearly; a helper not yet at work on them
   * leaves them to close(), as always. Nothing may be written after this.
   */
  end(): void {
    if (!this.threaded || this.closed) return;
    this.publish(true);
    if (Atomics.compareExchange(this.ring.control, STATE, RUNNING, CLOSING) === RUNNING) this.signal();
  }

  /**
   * Writes the rows still queued and the file's footer, and closes it; returns the figures of the
   * attempts written. Each sample list behind them keeps at most `memoryLimit` values in memory,
   * the rest in hidden scratch files beside the file, deleted by now.
   */
  close(): AttemptFigures {
    if (this.closed) throw new Error('The tasks.arrow rows were closed already');
    this.closed = true;
    if (!this.threaded) return this.closeHere();
    const control = this.ring.control;
    if (Atomics.compareExchange(control, STATE, OPEN, ABORTING) === OPEN) {
      // the helper has not come to this run yet (it may still be starting): the rows are written here
      // instead, and the helper skips the run when it comes to it
      helperBusy = false;
      this.threaded = false;
      this.closePort();
      return this.closeHere();
    }
    this.publish(true);
    // from RUNNING, or already CLOSING after end(); a helper that failed or finished is not waited for
    this.moveTo(CLOSING);
    this.waitWhile(STATE, CLOSING);
    helperBusy = false;
    if (Atomics.load(control, STATE) === FAILED) {
      this.closePort();
      throw this.failure();
    }
    // the helper posted the figures before it said DONE
    const figures = receiveMessageOnPort(this.port as MessagePort)?.message as AttemptFigures | undefined;
    this.closePort();
    if (figures === undefined) throw new Error('The thread writing tasks.arrow finished without sending its figures');
    return figures;
  }

  private closePort(): void {
    this.port?.close();
    this.port = null;
  }

  /** Stops after a failure: the file is closed unfinished (the caller removes it). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.threaded) {
      this.inline?.abort();
      return;
    }
    // a helper that has not begun this run will see the abort and skip it; one that has closes the
    // file first, and one closing it after end() finishes it first, before the caller removes it
    if (this.moveTo(ABORTING) === RUNNING) this.waitWhile(STATE, ABORTING);
    else this.waitWhile(STATE, CLOSING);
    helperBusy = false;
    this.closePort();
  }

  /** Moves the ring from OPEN or RUNNING to `state` and wakes the consumer; returns the state left, or null if it had already failed. */
  private moveTo(state: number): number | null {
    const control = this.ring.control;
    for (;;) {
      const was = Atomics.load(control, STATE);
      if (was !== OPEN && was !== RUNNING) return null;
      if (Atomics.compareExchange(control, STATE, was, state) !== was) continue;
      this.signal();
      return was;
    }
  }

  /** Where names of up to `most` bytes go: at the head, or at the ring's start if they would wrap (names never wrap). */
  private namesAt(most: number): number {
    const p = this.bytesHead % this.capacity;
    return p + most > this.capacity ? this.bytesHead + this.capacity - p : this.bytesHead;
  }

  /** Absolute byte position the consumer has read up to (the end of the last record consumed). */
  private consumedBytes(): number {
    if (this.tail === this.head) return this.bytesHead;
    if (this.tail === 0) return 0;
    const ring = this.ring;
    return ring.records[(((this.tail - 1) | 0) & ring.mask) * ring.stride + BYTES_END] as number;
  }

  /** Waits (or, in this thread, drains) until a record and `bytes` name bytes fit. */
  private makeRoom(bytes: number): void {
    const ring = this.ring;
    const fits = (): boolean => ((this.head - this.tail) | 0) <= ring.mask && this.bytesHead + bytes - this.consumedBytes() <= this.capacity;
    if (!this.threaded) {
      this.drainHere();
      return;
    }
    this.publish(true);
    const control = ring.control;
    for (;;) {
      this.tail = Atomics.load(control, TAIL);
      if (fits()) return;
      if (Atomics.load(control, STATE) === FAILED) throw this.failure();
      Atomics.store(control, PRODUCER_WAITING, 1);
      this.waitWhile(TAIL, this.tail);
      Atomics.store(control, PRODUCER_WAITING, 0);
    }
  }

  private startThread(): void {
    if (!isMainThread || helperBusy) return;
    if (this.ring.mask + 1 < this.records || this.capacity < this.bytes) {
      // rows written here already, or their names wrapped round the ring: this run stays here
      if (this.tail !== 0 || this.inline !== null || this.bytesHead > this.capacity) return;
      this.grow();
    }
    helperBusy = true;
    this.threaded = true;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const job: TaskRowJob = { ring: this.ring, path: this.path, specs: this.specs, dims: this.dims, memoryLimit: this.memoryLimit, port: port2 };
    helperThread().postMessage(job, [port2]);
  }

  /** Moves the rows so far (none drained, names unwrapped) into a ring of the helper's size. */
  private grow(): void {
    const small = this.ring;
    const big = newRing(this.dims, this.records, this.bytes);
    big.records.set(small.records.subarray(0, this.head * small.stride));
    big.bytes.set(small.bytes.subarray(0, this.bytesHead));
    this.ring = big;
    this.capacity = big.bytes.length;
    this.text = Buffer.from(big.bytes.buffer);
  }

  private openInline(): TaskRowWriter {
    this.inline = new TaskRowWriter(this.path, this.specs, this.dims, this.memoryLimit);
    return this.inline;
  }

  /** Writes the queued rows and closes the file in this thread; on a failure the file is closed unfinished. */
  private closeHere(): AttemptFigures {
    try {
      this.drainHere();
      return (this.inline ?? this.openInline()).close();
    } catch (error) {
      this.inline?.abort();
      throw error;
    }
  }

  /** Writes every queued record in this thread. */
  private drainHere(): void {
    const writer = this.inline ?? this.openInline();
    writer.drain(this.ring, this.tail, this.head);
    this.tail = this.head;
  }

  /**
   * Makes the rows written so far visible to the helper. A sleeping helper is woken only once a
   * quarter of the ring waits for it, or when `wake` says this thread needs it now: a wake-up costs
   * far more than the rows between two, so the helper works in a few long bursts.
   */
  private publish(wake = false): void {
    const control = this.ring.control;
    Atomics.store(control, HEAD, this.head);
    if (!wake && ((this.head - this.woken) | 0) <= this.ring.mask >> 2) return;
    if (Atomics.load(control, CONSUMER_WAITING) !== 1) return;
    this.woken = this.head;
    this.signal();
  }

  private signal(): void {
    Atomics.add(this.ring.control, SIGNAL, 1);
    Atomics.notify(this.ring.control, SIGNAL);
  }

  /**
   * Waits while control word `word` holds `value` and the helper has not failed, giving up after
   * {@link STALL_MS} in which the helper consumed nothing.
   */
  private waitWhile(word: number, value: number): void {
    const control = this.ring.control;
    let waited = 0;
    let tail = Atomics.load(control, TAIL);
    while (Atomics.load(control, word) === value && Atomics.load(control, STATE) !== FAILED) {
      if (Atomics.wait(control, word, value, 1000) !== 'timed-out') continue;
      const now = Atomics.load(control, TAIL);
      waited = now === tail ? waited + 1000 : 0;
      tail = now;
      if (waited >= STALL_MS) throw new Error(`The thread writing tasks.arrow made no progress for ${STALL_MS / 1000} s`);
    }
  }

  /** The helper's failure as an error for this thread; the helper has finished with the run, so it is free again. */
  private failure(): Error {
    helperBusy = false;
    const ring = this.ring;
    return new Error(`Writing tasks.arrow failed: ${Buffer.from(ring.error.slice(0, Atomics.load(ring.control, ERROR_LENGTH))).toString('utf8')}`);
  }
}

/** Writes `s` at `p` as UTF-8 and returns the bytes written: ASCII byte by byte, anything else through Buffer#write. */
function put(text: Buffer, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return text.write(s, p, 'utf8');
    text[p + i] = c;
  }
  return n;
}

/** Writes `name` (if not null) at `q` and its byte length (-1 for none) into `records[field]`; returns the position after it. */
function putName(text: Buffer, q: number, name: string | null, records: Float64Array, field: number): number {
  if (name === null) {
    records[field] = -1;
    return q;
  }
  const n = put(text, q, name);
  records[field] = n;
  return q + n;
}

/** `flags` with entry `i` set to 1, grown to take it. */
function mark(flags: Uint8Array<ArrayBuffer>, i: number): Uint8Array<ArrayBuffer> {
  const out = ensureLength(flags, i + 1);
  out[i] = 1;
  return out;
}

function code(table: readonly string[], value: string, what: string): number {
  // a loop the JIT inlines, where indexOf is a call into the runtime for every row
  for (let i = 0; i < table.length; i++) if (table[i] === value) return i;
  throw new RangeError(`Unknown task ${what} ${JSON.stringify(value)}`);
}

/**
 * The consumer side: writes ring records as rows of tasks.arrow. A whole row is written at once;
 * the first part of a split row is kept (numbers and names resolved) under its key until its end
 * part comes. Nothing is allocated per row once the keys in use have their buffers.
 */
export class TaskRowWriter {
  private readonly writer: ArrowTableWriter;
  private readonly tenants = new NamePool();
  private readonly machines = new NamePool();
  private lastJob = new Uint8Array(64);
  private lastJobLength = 0;
  private readonly demandCol: number;
  private readonly stride: number;
  private readonly times: TaskTimes = { wait: NaN, run: NaN, slowdown: NaN, bounded: NaN };
  /** Kept rows, a record's stride each: entry 0 for a whole row on its way through, entry key + 1 for a started attempt. */
  private kept = new Float64Array(0);
  /**
   * Per kept entry e, from e × nameStride: its task id, job and (if it has no tenant key) tenant
   * name bytes, in that order. One buffer, not an array per entry: rows end in random entry order,
   * and small arrays scattered over the heap cost a cache miss each.
   */
  private keptNames = new Uint8Array(64 * 64);
  private nameStride = 64;
  /** Started attempts whose end has not come. */
  private open = 0;
  private readonly stats: AttemptStats;

  /** @param memoryLimit values each of the attempts' sample lists keeps in memory (see AttemptStats). */
  constructor(path: string, specs: readonly ColumnSpec[], private readonly dims: number, memoryLimit?: number) {
    this.writer = new ArrowTableWriter(path, specs);
    this.stats = new AttemptStats(dirname(path), memoryLimit);
    this.demandCol = specs.length - dims;
    this.stride = recordStride(dims);
  }

  /** Writes records `from` (inclusive) to `to` (exclusive), wrapping int32 positions. */
  drain(ring: Ring, from: number, to: number): void {
    for (let i = from; i !== to; i = (i + 1) | 0) this.record(ring, (i & ring.mask) * ring.stride);
  }

  /** Closes the file and returns the figures of the attempts written. */
  close(): AttemptFigures {
    if (this.open !== 0) throw new Error(`${this.open} started task attempts were never ended in tasks.arrow`);
    this.writer.close();
    return this.stats.figures();
  }

  abort(): void {
    this.writer.abort();
    this.stats.dispose();
  }

  private record(ring: Ring, r: number): void {
    const records = ring.records;
    const type = records[r + TYPE] as number;
    if (type === WHOLE) {
      this.keep(ring, r, 0);
      this.ends(0, records, r);
      this.row(0);
      return;
    }
    const e = (records[r + KEY] as number) + 1;
    if (type === STARTED) {
      this.keep(ring, r, e);
      this.open++;
      return;
    }
    const k = e * this.stride;
    if (k >= this.kept.length || this.kept[k + TYPE] !== STARTED) throw new Error(`tasks.arrow: an end came for key ${e - 1}, which has no started attempt`);
    this.ends(e, records, r);
    this.kept[k + TYPE] = ENDED;
    this.open--;
    this.row(e);
  }

  /** Keeps the names and start-time numbers of the record at `r` as entry `e`, resolving names sent earlier. */
  private keep(ring: Ring, r: number, e: number): void {
    const stride = this.stride;
    const records = ring.records;
    const bytes = ring.bytes;
    if ((e + 1) * stride > this.kept.length) {
      const bigger = new Float64Array(Math.max(2 * this.kept.length, (e + 1) * stride, 64 * stride));
      bigger.set(this.kept);
      this.kept = bigger;
    }
    const k = e * stride;
    const kept = this.kept;
    // field by field: a subarray view per record would be an allocation per row
    for (let f = 0; f < stride; f++) kept[k + f] = records[r + f] as number;
    let p = (records[r + BYTES_START] as number) % bytes.length;
    const idLength = records[r + ID] as number;
    const idAt = p;
    p += idLength;
    const jobLength = records[r + JOB] as number;
    if (jobLength >= 0) {
      if (jobLength > this.lastJob.length) this.lastJob = new Uint8Array(2 * jobLength);
      copy(bytes, p, jobLength, this.lastJob, 0);
      this.lastJobLength = jobLength;
      p += jobLength;
    }
    const tenantKey = records[r + TENANT_KEY] as number;
    const tenantLength = records[r + TENANT] as number;
    // a tenant with a key is kept under it; one without is kept with the row
    const ownTenant = tenantKey < 0 ? tenantLength : 0;
    if (tenantLength >= 0 && tenantKey >= 0) this.tenants.set(tenantKey, bytes, p, tenantLength);
    const tenantAt = p;
    if (tenantLength >= 0) p += tenantLength;
    const machineLength = records[r + MACHINE] as number;
    const machineKey = records[r + MACHINE_KEY] as number;
    if (machineKey >= 0 && machineLength >= 0) this.machines.set(machineKey, bytes, p, machineLength);
    const length = idLength + this.lastJobLength + ownTenant;
    if (length > this.nameStride) this.widenNames(length);
    this.keptNames = ensureLength(this.keptNames, (e + 1) * this.nameStride);
    const names = this.keptNames;
    const at = e * this.nameStride;
    copy(bytes, idAt, idLength, names, at);
    copy(this.lastJob, 0, this.lastJobLength, names, at + idLength);
    copy(bytes, tenantAt, ownTenant, names, at + idLength + this.lastJobLength);
    kept[k + JOB] = this.lastJobLength;
    kept[k + TENANT] = ownTenant;
  }

  /** Copies the end-time fields of the record at `r` into kept entry `e`. */
  private ends(e: number, records: Float64Array, r: number): void {
    const k = e * this.stride;
    this.kept[k + STATE_CODE] = records[r + STATE_CODE] as number;
    this.kept[k + END] = records[r + END] as number;
  }

  /** Writes kept entry `e` as a row. */
  private row(e: number): void {
    const w = this.writer;
    const k = e * this.stride;
    const kept = this.kept;
    const names = this.keptNames;
    const at = e * this.nameStride;
    const idLength = kept[k + ID] as number;
    const jobLength = kept[k + JOB] as number;
    w.utf8(0, names, at, idLength);
    w.utf8(1, names, at + idLength, jobLength);
    const tenantKey = kept[k + TENANT_KEY] as number;
    const tenants = this.tenants;
    const tenantBytes = tenantKey >= 0 ? tenants.bytes : names;
    const tenantAt = tenantKey >= 0 ? (tenants.at[tenantKey] as number) : at + idLength + jobLength;
    const tenantLength = tenantKey >= 0 ? (tenants.length[tenantKey] as number) : (kept[k + TENANT] as number);
    w.utf8(2, tenantBytes, tenantAt, tenantLength);
    w.int(3, kept[k + ATTEMPT] as number);
    const stateCode = kept[k + STATE_CODE] as number;
    const state = STATE_BYTES[stateCode] as Buffer;
    w.utf8(4, state, 0, state.length);
    const kind = KIND_BYTES[kept[k + KIND_CODE] as number] as Buffer;
    w.utf8(5, kind, 0, kind.length);
    w.int(6, kept[k + PRIORITY] as number);
    const machine = kept[k + MACHINE_KEY] as number;
    if (machine >= 0) {
      const machines = this.machines;
      w.utf8(7, machines.bytes, machines.at[machine] as number, machines.length[machine] as number);
    } else w.null(7);
    w.float(8, microsToSeconds(kept[k + SUBMIT] as number));
    const start = kept[k + START] as number;
    if (start >= 0) w.float(9, microsToSeconds(start));
    else w.null(9);
    const end = kept[k + END] as number;
    if (end >= 0) w.float(10, microsToSeconds(end));
    else w.null(10);
    const times = attemptTimes(kept[k + SUBMIT] as number, start, end, this.times);
    w.floatOrNull(11, times.wait);
    w.floatOrNull(12, times.run);
    w.floatOrNull(13, times.slowdown);
    w.floatOrNull(14, times.bounded);
    for (let d = 0; d < this.dims; d++) w.int(this.demandCol + d, kept[k + DEMAND + d] as number);
    w.endRow();
    // a tenant's name is decoded once, the first time it is seen (every time for one without a key)
    this.stats.ended(stateCode, end, times, tenantKey, this.stats.knowsTenant(tenantKey) ? null : Buffer.from(tenantBytes.buffer, tenantBytes.byteOffset + tenantAt, tenantLength).toString('utf8'));
  }

  /** Makes every kept entry's name room at least `length` bytes, moving the entries' names. */
  private widenNames(length: number): void {
    const stride = Math.max(2 * this.nameStride, length);
    const entries = this.keptNames.length / this.nameStride;
    const wider = new Uint8Array(entries * stride);
    for (let e = 0; e < entries; e++) wider.set(this.keptNames.subarray(e * this.nameStride, (e + 1) * this.nameStride), e * stride);
    this.keptNames = wider;
    this.nameStride = stride;
  }
}

/** Names sent once under a small key (machines, tenants), end to end in one buffer: `length[key]` bytes from `at[key]`. */
class NamePool {
  bytes = new Uint8Array(4096);
  at = new Int32Array(64);
  length = new Int32Array(64);
  private used = 0;

  /** Keeps `source[from, from + n)` as the name under `key`. */
  set(key: number, source: Uint8Array, from: number, n: number): void {
    this.at = ensureLength(this.at, key + 1);
    this.length = ensureLength(this.length, key + 1);
    this.bytes = ensureLength(this.bytes, this.used + n);
    copy(source, from, n, this.bytes, this.used);
    this.at[key] = this.used;
    this.length[key] = n;
    this.used += n;
  }
}

/** Copies `n` bytes from `from` at `at` to `to` at `into` (names are short: a loop beats a subarray view and set). */
function copy(from: Uint8Array, at: number, n: number, to: Uint8Array, into: number): void {
  for (let i = 0; i < n; i++) to[into + i] = from[at + i] as number;
}

/**
 * The helper thread's side: drains `job.ring` into its file until the producer closes or aborts
 * it. A failure is reported through the ring (the producer throws it), never thrown here.
 */
export function consumeTaskRows(job: TaskRowJob): void {
  const { ring } = job;
  const control = ring.control;
  // a run closing before the thread came to it still has its rows written; an aborted one is skipped
  if (Atomics.compareExchange(control, STATE, OPEN, RUNNING) === ABORTING) {
    finishAs(control, DONE);
    return;
  }
  let writer: TaskRowWriter | null = null;
  try {
    writer = new TaskRowWriter(job.path, job.specs, job.dims, job.memoryLimit);
    let tail = Atomics.load(control, TAIL);
    let written = 0;
    for (;;) {
      const head = Atomics.load(control, HEAD);
      if (head !== tail) {
        // in slices, so a producer waiting for room goes on early
        const to = ((head - tail) | 0) > 1024 ? (tail + 1024) | 0 : head;
        writer.drain(ring, tail, to);
        written += (to - tail) | 0;
        tail = to;
        Atomics.store(control, TAIL, tail);
        if (Atomics.load(control, PRODUCER_WAITING) === 1) Atomics.notify(control, TAIL);
        continue;
      }
      const state = Atomics.load(control, STATE);
      if (state === CLOSING) {
        if (Atomics.load(control, HEAD) !== tail) continue;
        // the producer closes the channel, here once it has taken the figures
        job.port.postMessage(writer.close());
        finishAs(control, DONE);
        return;
      }
      if (state === ABORTING) {
        writer.abort();
        finishAs(control, DONE);
        return;
      }
      // nothing to write yet: once past the run's start, a moment to compile the end-of-run selection before it is needed
      if (written >= WARM_UP_AFTER && warmUpQuantiles()) continue;
      Atomics.store(control, CONSUMER_WAITING, 1);
      const signal = Atomics.load(control, SIGNAL);
      if (Atomics.load(control, HEAD) === tail && Atomics.load(control, STATE) === RUNNING) Atomics.wait(control, SIGNAL, signal);
      Atomics.store(control, CONSUMER_WAITING, 0);
    }
  } catch (error) {
    writer?.abort();
    const message = Buffer.from(error instanceof Error ? error.message : String(error), 'utf8').subarray(0, ERROR_BYTES);
    ring.error.set(message);
    Atomics.store(control, ERROR_LENGTH, message.length);
    finishAs(control, FAILED);
  }
}

/** Sets the ring's final state and wakes a producer waiting on either its state or its room. */
function finishAs(control: Int32Array, state: number): void {
  Atomics.store(control, STATE, state);
  Atomics.notify(control, STATE);
  Atomics.notify(control, TAIL);
}
