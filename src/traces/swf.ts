// Standard Workload Format (Parallel Workloads Archive): 18 numeric fields per job, `;` header comments.
import { secondsToMicros } from '../engine/time.js';
import { inputError, show } from '../errors.js';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { NONE } from '../model/constraints.js';
import type { ResourceSpace } from '../model/resources.js';
import { newTaskSpec, type TaskSpec } from '../model/task.js';
import type { Options } from '../policy.js';
import { ByteCounter, fileSize, headLines, readLines } from './lines.js';
import { Problems } from './problems.js';
import type { TraceSource } from './source.js';
import { DemandPool } from './demand-pool.js';
import { DemandMaker, type Quantity } from './units.js';

/** The 18 SWF fields in order (v2.2). */
export const SWF_FIELDS = [
  'job', 'submit', 'wait', 'run_time', 'allocated_procs', 'avg_cpu_time', 'used_memory', 'requested_procs', 'requested_time',
  'requested_memory', 'status', 'user', 'group', 'executable', 'queue', 'partition', 'preceding_job', 'think_time',
] as const;

export const SWF_QUANTITIES: readonly Quantity[] = [
  { name: 'cpu', traceUnit: 'processors', scale: 1, baseUnit: 'processor' },
  { name: 'mem', traceUnit: 'KiB (per job: KB per processor × processors)', scale: 1 / 1024, baseUnit: 'MiB' },
];

/** Index of each field in a parsed record. */
const F = Object.fromEntries(SWF_FIELDS.map((name, i) => [name, i])) as Record<(typeof SWF_FIELDS)[number], number>;

/** The `; Key: value` header comments of an SWF file (continuation lines are appended to the key). */
export function swfHeader(file: string): Record<string, string> {
  const header: Record<string, string> = {};
  let last: string | undefined;
  for (const line of headLines(file, 1 << 16)) {
    if (!line.startsWith(';')) {
      if (line.trim() !== '') break;
      continue;
    }
    const match = /^;\s*([A-Za-z][\w ]*?):\s*(.*)$/.exec(line);
    if (match !== null) {
      last = match[1] as string;
      header[last] = header[last] === undefined ? (match[2] as string).trim() : `${header[last]}\n${(match[2] as string).trim()}`;
    } else if (last !== undefined && line.slice(1).trim() !== '') {
      header[last] += ` ${line.slice(1).trim()}`;
    }
  }
  return header;
}

/** One space-shared machine of MaxProcs processors (MaxNodes if MaxProcs is absent), as SWF simulators model it. */
export function swfDefaultCluster(file: string): ClusterSpec {
  const header = swfHeader(file);
  const text = header['MaxProcs'] ?? header['MaxNodes'];
  const procs = text === undefined ? NaN : Number(text);
  if (!Number.isInteger(procs) || procs <= 0) {
    throw inputError(RangeError, `The SWF header gives no MaxProcs or MaxNodes (got ${show(text ?? null)}), so there is no default cluster; name a "cluster" in the experiment`, { file });
  }
  return {
    file,
    resources: { names: ['cpu'], units: ['processor'] },
    groups: [{ name: 'swf', ids: ['swf'], capacity: Float64Array.of(procs), speed: 1, attributes: Object.freeze({ source: 'swf-header' }) }],
  };
}

/** The char code at `i`, or 0 past the end: charCodeAt's NaN there would make the scanner's code a double and slow it down. */
function codeAt(line: string, i: number, end: number): number {
  return i < end ? line.charCodeAt(i) : 0;
}

/**
 * Parses one job line into its 18 fields (into `out`, reused from line to line), or returns null
 * for a blank line; -1 stays -1 (unknown). Throws input errors naming the field and value.
 */
export function parseSwfLine(line: string, file: string, lineNo: number, out = new Float64Array(SWF_FIELDS.length)): Float64Array | null {
  let n = 0;
  let i = 0;
  const end = line.length;
  while (i < end) {
    let c = codeAt(line, i, end);
    while (c === 32 || c === 9) c = codeAt(line, ++i, end);
    if (i >= end) break;
    const from = i;
    // integers (most fields) are read digit by digit; anything else goes through Number()
    const negative = c === 45;
    if (negative) c = codeAt(line, ++i, end);
    let value = 0;
    let digits = 0;
    while (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      c = codeAt(line, ++i, end);
    }
    if (digits === 0 || (i < end && c !== 32 && c !== 9)) {
      while (i < end && c !== 32 && c !== 9) c = codeAt(line, ++i, end);
      const text = line.slice(from, i);
      value = Number(text);
      if (!Number.isFinite(value)) throw inputError(SyntaxError, `expected a number, got ${show(text)}`, { file, line: lineNo, field: SWF_FIELDS[n] ?? `field ${n + 1}` });
    } else if (negative) {
      value = -value;
    }
    if (n < SWF_FIELDS.length) out[n] = value;
    n++;
  }
  if (n === 0) return null;
  if (n !== SWF_FIELDS.length) {
    throw inputError(SyntaxError, `expected ${SWF_FIELDS.length} whitespace-separated fields, got ${n}: ${show(line.trim())}`, { file, line: lineNo });
  }
  return out;
}

/**
 * Reads an SWF log: one task per job. Processors are the requested count (the allocated count when
 * -1); memory is KB per processor × processors (requested, else used); the duration is the actual run
 * time, or the requested time with `duration: requested`.
 */
export function swfTrace(file: string, resources: ResourceSpace, options: Options): TraceSource {
  const bytes = new ByteCounter();
  const problems = new Problems(options['lenient'] as boolean);
  const pool = new DemandPool(resources.names.length);
  const demand = new DemandMaker(resources, SWF_QUANTITIES, options);
  const useRequested = options['duration'] === 'requested';
  const groupTenants = options['tenant_by'] === 'group/user';
  return {
    name: file,
    progress: () => bytes.fraction(),
    report: () => problems.report(),
    async *chunks() {
      bytes.size = fileSize(file);
      let lastSubmit = -Infinity;
      let lastLine = 0;
      const values = [0, 0];
      const r = new Float64Array(SWF_FIELDS.length);
      /** Tenant names by user number: users are few, jobs many. */
      const users = new Map<number, string>();
      for await (const { lines, first } of readLines(file, bytes)) {
        const out: TaskSpec[] = [];
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as string;
          if (line.charCodeAt(0) === 59 || line === '') continue;
          const lineNo = first + i;
          try {
            if (parseSwfLine(line, file, lineNo, r) === null) continue;
            const submitted = r[F.submit] as number;
            if (submitted < 0) throw inputError(RangeError, `expected a non-negative submit time in seconds, got ${submitted}`, { file, line: lineNo, field: 'submit' });
            const submit = secondsToMicros(submitted);
            if (submit < lastSubmit) {
              throw inputError(RangeError, `submit time ${submitted} s is out of order: line ${lastLine} was submitted at ${lastSubmit / 1e6} s`, { file, line: lineNo, field: 'submit' });
            }
            lastSubmit = submit;
            lastLine = lineNo;
            const requestedProcs = r[F.requested_procs] as number;
            const procs = requestedProcs > 0 ? requestedProcs : (r[F.allocated_procs] as number);
            const requestedTime = r[F.requested_time] as number;
            const runTime = useRequested && requestedTime >= 0 ? requestedTime : (r[F.run_time] as number);
            if (!(procs > 0)) {
              problems.drop('jobs with unknown processor count');
              continue;
            }
            if (runTime < 0) {
              problems.drop('jobs with unknown run time');
              continue;
            }
            const requestedMemory = r[F.requested_memory] as number;
            const memPerProc = requestedMemory >= 0 ? requestedMemory : (r[F.used_memory] as number);
            values[0] = procs;
            values[1] = memPerProc > 0 ? memPerProc * procs : 0;
            const userNo = r[F.user] as number;
            const group = r[F.group] as number;
            let user = users.get(userNo);
            if (user === undefined) {
              user = userNo >= 0 ? `u${userNo}` : 'u-unknown';
              if (users.size < 100_000) users.set(userNo, user);
            }
            const job = String(r[F.job]);
            out.push(newTaskSpec({
              id: job,
              job,
              tenant: groupTenants ? `${group >= 0 ? `g${group}` : 'g-unknown'}/${user}` : user,
              priority: 0,
              kind: 'batch',
              submit,
              duration: secondsToMicros(runTime),
              demand: pool.intern(demand.make(values, pool.scratch)),
              constraints: NONE,
            }));
          } catch (error) {
            problems.skip(error);
          }
        }
        if (out.length > 0) yield out;
      }
    },
  };
}
