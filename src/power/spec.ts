// Reading a machine group's `power:` field of the cluster spec into a power model and its settings.
import type { FieldReader, Path } from '../document.js';
import type { ResourceSpace } from '../model/resources.js';
import { SERVER_CATALOGUE } from './catalogue.js';
import { curveModel, tableModel, type CurveKind, type PowerModel } from './models.js';

/** Which utilisation drives a group's power model: one resource dimension's share, or the dominant share. */
export const DOMINANT = -1;

/** A machine group's power settings, as read from its `power:` field. */
export interface GroupPower {
  readonly model: PowerModel;
  /** What the field named: a curve kind, `spec`, or a catalogue server name. */
  readonly source: string;
  /** The dimension whose allocated share is u, or {@link DOMINANT} for the largest share over all dimensions. */
  readonly utilisation: number;
  /** Watts while the machine is down (powered off). */
  readonly offW: number;
  /** Joules spent each time a down machine comes back up, and each time an up machine goes down. */
  readonly wakeUpJ: number;
  readonly powerDownJ: number;
  /** Dynamic power at relative speed r is r^e times the full-speed dynamic power (textbook DVFS: e = 3). */
  readonly dvfsExponent: number;
  /** The group's nominal speed: r = a machine's speed ÷ this. */
  readonly speed: number;
}

/**
 * Watts a machine of the group draws: down → `offW`; up at utilisation u and speed s →
 * `idle + (P(u) − idle) × (s ÷ nominal)^e`, P the model (so a slowed machine saves dynamic power only).
 */
export function drawW(gp: GroupPower, up: boolean, u: number, speed: number): number {
  if (!up) return gp.offW;
  const model = gp.model;
  const p = model.power(u);
  const r = speed / gp.speed;
  if (r === 1 || p <= model.idleW) return p;
  return model.idleW + (p - model.idleW) * Math.pow(r, gp.dvfsExponent);
}

const FIELDS = ['model', 'server', 'idle_w', 'static_pct', 'max_w', 'table_w', 'utilisation', 'zero_at_idle', 'off_w', 'wake_up_j', 'power_down_j', 'dvfs_exponent'];
const CURVES: readonly string[] = ['linear', 'square', 'cubic', 'sqrt'];
const MAX_WATTS = 1e7;

/**
 * Reads `power:` at `path`: a catalogue server name, or a mapping with `model` (a curve with
 * `max_w` and `idle_w` or `static_pct`, or `spec` with `table_w`) or `server`, plus optional
 * `utilisation` (a resource name or `dominant`; default `cpu` if declared, else the first
 * dimension), `zero_at_idle`, `off_w`, `wake_up_j`, `power_down_j`, `dvfs_exponent` (default 3).
 */
export function readGroupPower(r: FieldReader, path: Path, resources: ResourceSpace, speed: number): GroupPower {
  const raw = r.get(path);
  const defaultDim = Math.max(0, resources.names.indexOf('cpu'));
  if (typeof raw === 'string') return { model: catalogueModel(r, path, raw, false), source: raw, utilisation: defaultDim, offW: 0, wakeUpJ: 0, powerDownJ: 0, dvfsExponent: 3, speed };
  const fields = r.object(path, FIELDS);
  const zeroAtIdle = fields['zero_at_idle'] === undefined ? false : boolean(r, [...path, 'zero_at_idle']);
  const server = r.optionalString([...path, 'server']);
  const kind = r.optionalString([...path, 'model']);
  if ((server === undefined) === (kind === undefined)) r.fail(TypeError, path, 'give exactly one of "model" (linear, square, cubic, sqrt, spec) or "server" (a catalogue name)');
  let model: PowerModel;
  let source: string;
  if (server !== undefined) {
    model = catalogueModel(r, [...path, 'server'], server, zeroAtIdle);
    source = server;
    for (const f of ['idle_w', 'static_pct', 'max_w', 'table_w']) if (fields[f] !== undefined) r.fail(RangeError, [...path, f], `a catalogue server's table is fixed; "${f}" goes with "model"`);
  } else if (kind === 'spec') {
    model = tableModel(readTable(r, [...path, 'table_w']), zeroAtIdle);
    source = 'spec';
  } else if (kind !== undefined && CURVES.includes(kind)) {
    const maxW = r.number([...path, 'max_w'], 0, MAX_WATTS, true);
    if ((fields['idle_w'] === undefined) === (fields['static_pct'] === undefined)) r.fail(TypeError, path, 'give exactly one of "idle_w" (watts at u = 0) or "static_pct" (idle as a fraction of max_w)');
    const idleW = fields['idle_w'] !== undefined ? r.number([...path, 'idle_w'], 0, maxW) : r.number([...path, 'static_pct'], 0, 1) * maxW;
    model = curveModel(kind as CurveKind, idleW, maxW, zeroAtIdle);
    source = kind;
  } else {
    r.fail(RangeError, [...path, 'model'], `unknown power model ${JSON.stringify(kind)}; expected one of ${[...CURVES, 'spec'].join(', ')}`);
  }
  return {
    model,
    source,
    utilisation: readUtilisation(r, [...path, 'utilisation'], resources, defaultDim),
    offW: optionalWatts(r, [...path, 'off_w']),
    wakeUpJ: optionalWatts(r, [...path, 'wake_up_j']),
    powerDownJ: optionalWatts(r, [...path, 'power_down_j']),
    dvfsExponent: r.get([...path, 'dvfs_exponent']) === undefined ? 3 : r.number([...path, 'dvfs_exponent'], 0, 10, true),
    speed,
  };
}

function catalogueModel(r: FieldReader, path: Path, name: string, zeroAtIdle: boolean): PowerModel {
  const server = SERVER_CATALOGUE[name];
  if (server === undefined) r.fail(RangeError, path, `unknown server ${JSON.stringify(name)}; the catalogue has ${Object.keys(SERVER_CATALOGUE).join(', ')}`);
  return tableModel(server.tableW, zeroAtIdle);
}

function readTable(r: FieldReader, path: Path): number[] {
  const list = r.array(path);
  if (list.length < 2) r.fail(RangeError, path, `a power table needs at least 2 points (watts at 0 % … 100 % load, evenly spaced), got ${list.length}`);
  const table = list.map((_, i) => r.number([...path, i], 0, MAX_WATTS));
  table.forEach((w, i) => {
    if (i > 0 && w < (table[i - 1] as number)) r.fail(RangeError, [...path, i], `a power table must not fall as load rises: ${w} W after ${table[i - 1]} W`);
  });
  return table;
}

function readUtilisation(r: FieldReader, path: Path, resources: ResourceSpace, defaultDim: number): number {
  const name = r.optionalString(path);
  if (name === undefined) return defaultDim;
  if (name === 'dominant') return DOMINANT;
  const dim = resources.names.indexOf(name);
  if (dim < 0) r.fail(RangeError, path, `unknown utilisation ${JSON.stringify(name)}; expected dominant or a resource (${resources.names.join(', ')})`);
  return dim;
}

function optionalWatts(r: FieldReader, path: Path): number {
  return r.get(path) === undefined ? 0 : r.number(path, 0, MAX_WATTS * 3600);
}

function boolean(r: FieldReader, path: Path): boolean {
  const value = r.get(path);
  if (typeof value !== 'boolean') r.fail(TypeError, path, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}
