// Cluster spec files (YAML or JSON): resource dimensions, machine groups and single machines.
import { ConfigDocument, type FieldReader } from '../document.js';
import { inputError } from '../errors.js';
import { readGroupPower, type GroupPower } from '../power/spec.js';
import type { Attributes } from './constraints.js';
import { MAX_QUANTITY, type ResourceSpace } from './resources.js';

/** A group of identical machines (or one named machine). */
export interface MachineGroup {
  readonly name: string;
  /** Machine ids, `<name>-<i>` for counted groups, the explicit id for a single machine. */
  readonly ids: readonly string[];
  /** Capacity per dimension, integers in base units. */
  readonly capacity: Float64Array;
  /** A task of duration d runs d / speed here. */
  readonly speed: number;
  readonly attributes: Attributes;
  /** The power model and settings read from the group's `power:` field; absent means no energy is reported. */
  readonly power?: GroupPower;
}

export interface ClusterSpec {
  readonly file: string;
  readonly resources: ResourceSpace;
  readonly groups: readonly MachineGroup[];
  /** Power usage effectiveness (≥ 1): facility energy = IT energy × pue; absent, no facility energy is reported. */
  readonly pue?: number;
}

const GROUP_FIELDS = ['name', 'id', 'count', 'capacity', 'speed', 'attributes', 'power'];
const NAME = /^[A-Za-z0-9_.:\-]+$/;

/** Loads and validates a cluster spec; every problem names the file, line and field. */
export function loadClusterSpec(file: string): ClusterSpec {
  return readClusterSpec(ConfigDocument.load(file).reader());
}

export function readClusterSpec(r: FieldReader): ClusterSpec {
  r.object([], ['resources', 'groups', 'pue']);
  const resourceMap = r.object(['resources']);
  const names = Object.keys(resourceMap);
  if (names.length === 0) r.fail(RangeError, ['resources'], 'declare at least one resource dimension, e.g. cpu: { unit: millicore }');
  const units = names.map((name) => {
    if (!NAME.test(name)) r.fail(RangeError, ['resources', name], 'a resource name may hold letters, digits, "_", ".", ":" and "-" only');
    const entry = r.get(['resources', name]);
    if (entry === null || entry === undefined) return 'unit';
    r.object(['resources', name], ['unit']);
    return r.optionalString(['resources', name, 'unit']) ?? 'unit';
  });
  const resources: ResourceSpace = { names, units };

  const groups: MachineGroup[] = [];
  const seenIds = new Map<string, string>();
  const list = r.array(['groups']);
  if (list.length === 0) r.fail(RangeError, ['groups'], 'declare at least one machine group');
  list.forEach((_, g) => {
    const at = ['groups', g];
    const fields = r.object(at, GROUP_FIELDS);
    const single = fields['id'] !== undefined;
    if (single && fields['count'] !== undefined) r.fail(RangeError, [...at, 'count'], 'a single machine (with "id") takes no "count"');
    const name = single ? r.string([...at, 'id']) : r.string([...at, 'name']);
    if (!NAME.test(name)) r.fail(RangeError, [...at, single ? 'id' : 'name'], `${JSON.stringify(name)} may hold letters, digits, "_", ".", ":" and "-" only`);
    if (groups.some((other) => other.name === name)) r.fail(RangeError, [...at, single ? 'id' : 'name'], `duplicate group name ${JSON.stringify(name)}`);
    const count = single ? 1 : r.integer([...at, 'count'], 0, 1_000_000);
    const ids = single ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i}`);
    for (const id of ids) {
      const clash = seenIds.get(id);
      if (clash !== undefined) r.fail(RangeError, at, `machine id ${JSON.stringify(id)} is also made by group ${JSON.stringify(clash)}`);
      seenIds.set(id, name);
    }
    r.object([...at, 'capacity'], names);
    const capacity = new Float64Array(names.length);
    names.forEach((dim, d) => {
      capacity[d] = r.get([...at, 'capacity', dim]) === undefined ? 0 : r.integer([...at, 'capacity', dim], 0, MAX_QUANTITY);
    });
    const speed = r.get([...at, 'speed']) === undefined ? 1 : r.number([...at, 'speed'], 0, 1000, true);
    const attributes: Record<string, string> = {};
    const attrs = r.optionalObject([...at, 'attributes']) ?? {};
    for (const key of Object.keys(attrs).sort()) {
      const value = attrs[key];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        r.fail(TypeError, [...at, 'attributes', key], `expected a string, number or boolean, got ${JSON.stringify(value)}`);
      }
      attributes[key] = String(value);
    }
    const group: MachineGroup = { name, ids, capacity, speed, attributes: Object.freeze(attributes) };
    groups.push(fields['power'] === undefined ? group : { ...group, power: readGroupPower(r, [...at, 'power'], resources, speed) });
  });
  if (seenIds.size === 0) throw inputError(RangeError, 'The cluster has no machines: every group has count 0', r.doc.where(['groups']));
  const spec = { file: r.doc.file, resources, groups };
  return r.get(['pue']) === undefined ? spec : { ...spec, pue: r.number(['pue'], 1, 10) };
}
