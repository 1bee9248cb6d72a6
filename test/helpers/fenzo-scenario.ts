// Reads the Fenzo reference scenarios (test/fixtures/fenzo) into clusters and tasks for the policy harness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import { parseTaskConstraints, type Attributes } from '../../src/model/constraints.js';
import type { TaskInput } from './policy-fixtures.js';

/** The scenario resources: Fenzo's cpus, memory, network and a count of ports. */
export const FENZO_RESOURCES = ['cpu', 'mem', 'network', 'ports'] as const;

/** A host entry of a scenario. */
export interface HostJson {
  readonly id?: string;
  readonly ids?: string;
  readonly cpus?: number;
  readonly memMB?: number;
  readonly networkMbps?: number;
  readonly ports?: readonly (readonly [number, number])[];
  readonly attributes?: Attributes;
  readonly offers?: readonly HostJson[];
}

export interface ConstraintJson {
  readonly type: string;
  readonly attr?: string;
  readonly value?: string;
  readonly expectedValues?: number;
}

/** A task entry of a scenario. */
export interface TaskJson {
  readonly id?: string;
  readonly ids?: string;
  readonly count?: number;
  readonly cpus?: number;
  readonly memMB?: number;
  readonly networkMbps?: number;
  readonly ports?: number;
  readonly coGroup?: string;
  readonly group?: string;
  readonly bucket?: string;
  readonly hard?: readonly ConstraintJson[];
  readonly soft?: readonly ConstraintJson[];
}

/** A scenario file parsed; each test reads the parts its scenario has, typed by the caller. */
export function loadScenario<T>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'fenzo', `${name}.json`), 'utf8')) as T;
}

/** "host0..host9" → host0 … host9; a plain id stays itself. */
export function expandIds(spec: string): string[] {
  const m = /^(.*?)(\d+)\.\.\1(\d+)$/.exec(spec);
  if (m === null) return [spec];
  const out: string[] = [];
  for (let i = Number(m[2]); i <= Number(m[3]); i++) out.push(`${m[1]}${i}`);
  return out;
}

function ports(ranges: HostJson['ports']): number {
  return (ranges ?? []).reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

/** A host's capacity: the sum of its offers (one full offer unless `offers` lists several). */
function capacity(host: HostJson): number[] {
  const offers = host.offers ?? [host];
  return [
    offers.reduce((n, o) => n + (o.cpus ?? 0), 0),
    offers.reduce((n, o) => n + (o.memMB ?? 0), 0),
    offers.reduce((n, o) => n + (o.networkMbps ?? 0), 0),
    offers.reduce((n, o) => n + ports(o.ports), 0),
  ];
}

/** One group per host entry; machine ids are the scenario's host names. `attributes` may be computed per host. */
export function fenzoCluster(hosts: readonly HostJson[], attributes?: (id: string) => Attributes): ClusterSpec {
  return {
    file: 'fenzo-scenario',
    resources: { names: [...FENZO_RESOURCES], units: ['cpus', 'MB', 'Mbps', 'ports'] },
    groups: hosts.map((h, i) => {
      return expandIds(h.id ?? h.ids ?? `host${i}`).map((id) => ({ name: id, ids: [id], capacity: Float64Array.from(capacity(h)), speed: 1, attributes: attributes?.(id) ?? h.attributes ?? {} }));
    }).flat(),
  };
}

/** The constraint text (the trace grammar) for a scenario constraint. */
function clause(c: ConstraintJson, soft: boolean): string {
  const prefix = soft ? '~' : '';
  switch (c.type) {
    case 'UniqueHostAttr':
      return `${prefix}unique(${c.attr})`;
    case 'BalancedHostAttr':
    case 'BalancedHostAttr.asSoft':
      return `${prefix}balanced(${c.attr}:${c.expectedValues})`;
    case 'ExclusiveHost':
      return `${prefix}exclusive`;
    case 'HostAttr==':
      return `${prefix}${c.attr}=${c.value}`;
    default:
      throw new Error(`Unknown scenario constraint ${c.type}`);
  }
}

/** The tasks of a scenario entry, expanded, with constraints parsed from their text form. */
export function fenzoTasks(entry: TaskJson, tenant?: string): TaskInput[] {
  const ids = entry.ids !== undefined ? expandIds(entry.ids) : entry.id !== undefined ? [entry.id] : Array.from({ length: entry.count ?? 1 }, () => undefined);
  const text = [...(entry.hard ?? []).map((c) => clause(c, false)), ...(entry.soft ?? []).map((c) => clause(c, true))].join(';');
  const { constraints, rules } = parseTaskConstraints(text);
  return ids.map((id) => ({
    ...(id !== undefined ? { id } : {}),
    demand: [entry.cpus ?? 0, entry.memMB ?? 0, entry.networkMbps ?? 0, entry.ports ?? 0],
    constraints,
    rules,
    ...(entry.coGroup !== undefined ? { job: entry.coGroup } : {}),
    ...((tenant ?? entry.group ?? entry.bucket) !== undefined ? { tenant: tenant ?? entry.group ?? entry.bucket } : {}),
  }));
}
