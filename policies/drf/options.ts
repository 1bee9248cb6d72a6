// The options of the DRF parts (weights, exclusions, tie-break, roles, quota) and their checks.
import { inputError, show } from '../../src/errors.js';
import type { OptionSpec, Options, OptionValue } from '../../src/policy.js';
import type { ResourceSpace } from '../../src/model/resources.js';
import type { Quota } from './allocator.js';
import type { TieBreak } from './sorter.js';

type OptionMap = { readonly [key: string]: OptionValue };

function isMap(value: OptionValue): value is OptionMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a role path, or undefined: '/'-separated non-empty names, none `.` or `..`. */
export function rolePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'a role path is empty';
  for (const part of path.split('/')) {
    if (part.length === 0 || part === '.' || part === '..' || /\s/.test(part)) return `role path ${show(path)} has an invalid part ${show(part)} (expected '/'-separated names without spaces, '.' or '..')`;
  }
  return undefined;
}

function quantitiesProblem(where: string, value: OptionValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isMap(value)) return `${where} must be a map of resource name to quantity, got ${show(value)}`;
  for (const [name, q] of Object.entries(value)) {
    if (typeof q !== 'number' || !Number.isFinite(q) || q < 0) return `${where}.${name} must be a quantity ≥ 0, got ${show(q)}`;
  }
  return undefined;
}

/** Options of the DRF order, shared by the Mesos offer mode. */
export const sorterOptions: Readonly<Record<string, OptionSpec>> = {
  weights: {
    type: 'object',
    default: {},
    description: 'Weight per role path (e.g. { "eng/batch": 2 }); a share is divided by its node\'s weight. Unlisted roles weigh 1.',
    check: (value) => {
      for (const [path, w] of Object.entries(value as OptionMap)) {
        const problem = rolePathProblem(path);
        if (problem !== undefined) return problem;
        if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) return `the weight of role ${show(path)} must be a number > 0, got ${show(w)}`;
      }
      return undefined;
    },
  },
  exclude: {
    type: 'array',
    default: [],
    description: 'Resource names left out of dominant shares (Mesos --fair_sharing_excluded_resource_names, e.g. ["gpu"]).',
    check: (value) => {
      for (const name of value as readonly OptionValue[]) if (typeof name !== 'string' || name.length === 0) return `every excluded resource must be a resource name, got ${show(name)}`;
      return undefined;
    },
  },
  tie_break: {
    type: 'string',
    default: 'mesos',
    values: ['mesos', 'paper'],
    description: 'Order of equal shares: "mesos" (fewer allocations first, then path byte order) or "paper" (the tenant seen first; the paper leaves ties arbitrary).',
  },
  roles: {
    type: 'array',
    default: [],
    description: 'The closed list of tenant role paths, if given: weights and quota must name these roles or their ancestors, and a task of another tenant is an input error.',
    check: (value) => {
      for (const path of value as readonly OptionValue[]) {
        if (typeof path !== 'string') return `every role must be a path string, got ${show(path)}`;
        const problem = rolePathProblem(path);
        if (problem !== undefined) return problem;
      }
      return undefined;
    },
  },
};

/** The Mesos quota option: guarantees and limits per top-level role. */
export const quotaOption: OptionSpec = {
  type: 'object',
  default: {},
  description: 'Per top-level role: { guarantees: {resource: quantity}, limits: {resource: quantity} } in base units; absent means none / unlimited.',
  check: (value) => {
    for (const [role, quota] of Object.entries(value as OptionMap)) {
      const problem = rolePathProblem(role);
      if (problem !== undefined) return problem;
      if (role.includes('/')) return `quota is only for top-level roles (as in Mesos), got ${show(role)}`;
      if (!isMap(quota)) return `quota of role ${show(role)} must be a map with guarantees and/or limits, got ${show(quota)}`;
      for (const key of Object.keys(quota)) if (key !== 'guarantees' && key !== 'limits') return `quota of role ${show(role)} has an unknown field ${show(key)} (expected guarantees, limits)`;
      const bad = quantitiesProblem(`${role}.guarantees`, quota['guarantees']) ?? quantitiesProblem(`${role}.limits`, quota['limits']);
      if (bad !== undefined) return bad;
    }
    return undefined;
  },
};

/** The sorter options resolved against a run's resources. */
export interface SorterConfig {
  readonly weights: ReadonlyMap<string, number>;
  readonly excluded: readonly boolean[];
  readonly tieBreak: TieBreak;
  /** The closed set of tenants, or null when any tenant may appear. */
  readonly roles: ReadonlySet<string> | null;
}

/** Checks the options against the cluster's resources and the declared roles; mismatches are input errors. */
export function sorterConfig(owner: string, options: Options, resources: ResourceSpace): SorterConfig {
  const excluded = resources.names.map(() => false);
  for (const name of options['exclude'] as readonly string[]) {
    const d = resources.names.indexOf(name);
    if (d < 0) throw inputError(RangeError, `Option "exclude" of ${owner} names resource ${show(name)}, which the cluster does not have (resources: ${resources.names.join(', ')})`);
    excluded[d] = true;
  }
  const declared = options['roles'] as readonly string[];
  const roles = declared.length > 0 ? new Set(declared) : null;
  const weights = new Map(Object.entries(options['weights'] as Readonly<Record<string, number>>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (roles !== null) {
    for (const path of weights.keys()) checkKnownRole(owner, 'weights', path, roles);
    for (const path of Object.keys((options['quota'] ?? {}) as OptionMap)) checkKnownRole(owner, 'quota', path, roles);
  }
  return { weights, excluded, tieBreak: options['tie_break'] as TieBreak, roles };
}

function checkKnownRole(owner: string, option: string, path: string, roles: ReadonlySet<string>): void {
  for (const role of roles) if (role === path || role.startsWith(`${path}/`)) return;
  throw inputError(RangeError, `Option "${option}" of ${owner} names role ${show(path)}, which is neither one of the declared roles (${[...roles].join(', ')}) nor an ancestor of one`);
}

/** The check applied to every task's tenant when the roles are declared. */
export function checkTenant(owner: string, tenant: string, roles: ReadonlySet<string> | null): void {
  if (roles !== null && !roles.has(tenant)) throw inputError(RangeError, `Tenant ${show(tenant)} of the trace is not one of the roles declared to ${owner} (${[...roles].join(', ')})`);
}

/** The quota option as vectors over the cluster's resources (guarantee 0 and limit Infinity where absent), by role name. */
export function quotaConfig(owner: string, options: Options, resources: ResourceSpace): Map<string, Quota> {
  const out = new Map<string, Quota>();
  const given = (options['quota'] ?? {}) as Readonly<Record<string, OptionMap>>;
  for (const role of Object.keys(given).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const quota = given[role] as OptionMap;
    out.set(role, {
      guarantees: quantityVector(owner, `Quota guarantees of role ${show(role)}`, quota['guarantees'], resources, 0),
      limits: quantityVector(owner, `Quota limits of role ${show(role)}`, quota['limits'], resources, Infinity),
    });
  }
  return out;
}

/** A map of resource name → quantity as a vector over `resources` (absent names: `missing`); unknown names are input errors. */
export function quantityVector(owner: string, what: string, value: OptionValue | undefined, resources: ResourceSpace, missing: number): Float64Array {
  const out = new Float64Array(resources.names.length).fill(missing);
  if (value === undefined) return out;
  for (const [name, q] of Object.entries(value as OptionMap)) {
    const d = resources.names.indexOf(name);
    if (d < 0) throw inputError(RangeError, `${what} of ${owner} names resource ${show(name)}, which the cluster does not have (resources: ${resources.names.join(', ')})`);
    out[d] = q as number;
  }
  return out;
}
