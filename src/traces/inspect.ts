// What `clustersim trace inspect` reports about a trace: counts, time span, distributions, tenants, machines, problems.
import type { ClusterSpec } from '../model/cluster-spec.js';
import { quantile } from '../metrics/stats.js';
import { randomStream } from '../random.js';
import type { TraceReport } from './problems.js';
import type { TraceSource } from './source.js';

/** Values kept per distribution; beyond it, quantiles come from a uniform reservoir sample. */
export const RESERVOIR = 100_000;
/** Distinct tenants and jobs counted exactly up to this many. */
const DISTINCT_LIMIT = 1_000_000;

/** min, quantiles, max and mean of one quantity over the tasks. */
export interface Distribution {
  readonly min: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export interface Inspection {
  readonly trace: string;
  readonly tasks: number;
  readonly batch: number;
  readonly services: number;
  /** Distinct jobs (a lower bound when more than a million). */
  readonly jobs: number;
  readonly first_submit_s: number | null;
  readonly last_submit_s: number | null;
  /** Run time at speed 1.0 of batch tasks, seconds. */
  readonly duration_s: Distribution;
  /** Demand per resource of the cluster, in its base units. */
  readonly demand: Readonly<Record<string, Distribution>>;
  readonly tasks_with_constraints: number;
  readonly priorities: Readonly<Record<string, number>>;
  /** Distinct tenants (a lower bound when more than a million) and the ten with most tasks. */
  readonly tenants: number;
  readonly top_tenants: readonly { readonly tenant: string; readonly tasks: number }[];
  /** Machines of the cluster the trace was read for, and its capacity per resource. */
  readonly cluster: { readonly file: string; readonly machines: number; readonly capacity: Readonly<Record<string, number>> };
  /** Machine events of the trace by kind, distinct machines, and when the last one happens. */
  readonly machine_events: { readonly add: number; readonly remove: number; readonly update: number; readonly machines: number; readonly last_s: number | null } | null;
  readonly problems: TraceReport | null;
}

/** Keeps min, max, mean exactly and a deterministic reservoir sample for the quantiles. */
class Reservoir {
  private readonly values: number[] = [];
  private seen = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly random: () => number) {}

  add(x: number): void {
    this.seen++;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.values.length < RESERVOIR) this.values.push(x);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < RESERVOIR) this.values[j] = x;
    }
  }

  result(): Distribution {
    if (this.seen === 0) return { min: null, p50: null, p95: null, max: null, mean: null };
    const sorted = Float64Array.from(this.values).sort();
    return { min: this.min, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: this.max, mean: this.sum / this.seen };
  }
}

/** Streams the whole trace once (tasks, then machine events) and summarises it. */
export async function inspectTrace(source: TraceSource, cluster: ClusterSpec): Promise<Inspection> {
  const random = randomStream(0, 'inspect');
  const names = cluster.resources.names;
  const durations = new Reservoir(random);
  const demands = names.map(() => new Reservoir(random));
  const tenants = new Map<string, number>();
  const jobs = new Set<string>();
  const priorities = new Map<number, number>();
  let tasks = 0;
  let services = 0;
  let constrained = 0;
  let first: number | null = null;
  let last: number | null = null;
  for await (const chunk of source.chunks()) {
    for (const t of chunk) {
      tasks++;
      first ??= t.submit;
      last = t.submit;
      if (t.duration === null) services++;
      else durations.add(t.duration / 1e6);
      demands.forEach((r, d) => r.add(t.demand[d] as number));
      if (t.constraints.length > 0) constrained++;
      if (tenants.has(t.tenant) || tenants.size < DISTINCT_LIMIT) tenants.set(t.tenant, (tenants.get(t.tenant) ?? 0) + 1);
      if (jobs.size < DISTINCT_LIMIT) jobs.add(t.job);
      priorities.set(t.priority, (priorities.get(t.priority) ?? 0) + 1);
    }
  }
  let machineEvents: Inspection['machine_events'] = null;
  if (source.machineEvents !== undefined) {
    const counts = { add: 0, remove: 0, update: 0 };
    const ids = new Set<string>();
    let lastEvent: number | null = null;
    for await (const chunk of source.machineEvents()) {
      for (const e of chunk) {
        counts[e.kind]++;
        ids.add(e.id);
        lastEvent = e.time;
      }
    }
    machineEvents = { ...counts, machines: ids.size, last_s: lastEvent === null ? null : lastEvent / 1e6 };
  }
  const capacity: Record<string, number> = {};
  names.forEach((name, d) => {
    capacity[name] = cluster.groups.reduce((sum, g) => sum + g.ids.length * (g.capacity[d] as number), 0);
  });
  return {
    trace: source.name,
    tasks,
    batch: tasks - services,
    services,
    jobs: jobs.size,
    first_submit_s: first === null ? null : first / 1e6,
    last_submit_s: last === null ? null : last / 1e6,
    duration_s: durations.result(),
    demand: Object.fromEntries(names.map((name, d) => [name, (demands[d] as Reservoir).result()])),
    tasks_with_constraints: constrained,
    priorities: Object.fromEntries([...priorities].sort((a, b) => a[0] - b[0]).map(([p, n]) => [String(p), n])),
    tenants: tenants.size,
    top_tenants: [...tenants].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([tenant, n]) => ({ tenant, tasks: n })),
    cluster: { file: cluster.file, machines: cluster.groups.reduce((n, g) => n + g.ids.length, 0), capacity },
    machine_events: machineEvents,
    problems: source.report?.() ?? null,
  };
}

/** The inspection as aligned text for a terminal. */
export function formatInspection(x: Inspection, units: readonly string[]): string {
  const num = (v: number | null): string => (v === null ? '—' : String(Number(v.toPrecision(6))));
  const dist = (d: Distribution): string => `min ${num(d.min)}  p50 ${num(d.p50)}  p95 ${num(d.p95)}  max ${num(d.max)}  mean ${num(d.mean)}`;
  const lines = [
    `trace        ${x.trace}`,
    `tasks        ${x.tasks} (${x.batch} batch, ${x.services} services) in ${x.jobs} jobs; ${x.tasks_with_constraints} with constraints`,
    `submitted    ${num(x.first_submit_s)} s … ${num(x.last_submit_s)} s`,
    `duration s   ${dist(x.duration_s)}`,
    ...Object.entries(x.demand).map(([name, d], i) => `${name.padEnd(12)} ${dist(d)} (${units[i]})`),
    `priorities   ${Object.entries(x.priorities).map(([p, n]) => `${p}: ${n}`).join(', ') || '—'}`,
    `tenants      ${x.tenants}; most tasks: ${x.top_tenants.map((t) => `${t.tenant} (${t.tasks})`).join(', ') || '—'}`,
    `cluster      ${x.cluster.machines} machines from ${x.cluster.file}; capacity ${Object.entries(x.cluster.capacity).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (x.machine_events !== null) {
    const m = x.machine_events;
    lines.push(`machines     ${m.machines} in the trace: ${m.add} add, ${m.remove} remove, ${m.update} update events; last at ${num(m.last_s)} s`);
  }
  const p = x.problems;
  if (p !== null) {
    lines.push(`problems     ${p.skipped} malformed rows skipped${p.firstSkipped.length > 0 ? `; first: ${p.firstSkipped.join(' | ')}` : ''}`);
    for (const [reason, n] of Object.entries(p.dropped)) lines.push(`             ${n} ${reason}`);
  }
  return lines.join('\n');
}
