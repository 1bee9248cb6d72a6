// Sweeps: axes over any field or option of an experiment, expanded as a cartesian product with exclude/include lists.
import type { FieldReader, Path } from '../document.js';
import { inputError, isInputError, show, type Where } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { ExperimentBase, ExperimentPoint } from './config.js';

/** One sweep axis: a dotted path into the experiment and the values it takes. */
export interface SweepAxis {
  /** As written, e.g. `policies.drf.options.weights.batch` or `horizon`. */
  readonly key: string;
  /** The shortest dotted suffix of `key` no other axis ends with; run ids use it. */
  readonly name: string;
  readonly values: readonly unknown[];
  /** The policy label the axis belongs to, or undefined when it applies to every run. */
  readonly policy: string | undefined;
  /** Where the value goes in the document (policy and controller entries by index). */
  readonly path: Path;
  readonly where: Where;
}

/** What sets a point apart: its policy label and a value per axis that applies to it. */
export interface SweepPoint {
  /** The run id without the seed: `<label>[-<axis>=<value>]...`. */
  readonly id: string;
  readonly label: string;
  /** Axis key → value, for the axes that apply to this point, in axis order. */
  readonly params: Readonly<Record<string, unknown>>;
}

const SCALAR_FIELDS = ['cluster', 'horizon', 'sample_interval', 'max_attempts'];
const ROOTS = [...SCALAR_FIELDS, 'trace', 'policies', 'controllers'];

/** Reads `sweep:` (a mapping from dotted path to a list of values) against the experiment's base fields. */
export function readSweep(r: FieldReader, base: ExperimentBase): SweepAxis[] {
  const raw = r.optionalObject(['sweep']);
  if (raw === undefined) return [];
  const keys = Object.keys(raw);
  const axes = keys.map((key): Omit<SweepAxis, 'name'> => {
    const at = ['sweep', key];
    const values = r.array(at);
    if (values.length === 0) r.fail(RangeError, at, 'list at least one value');
    values.forEach((v, i) => {
      if (values.findIndex((w) => canonical(w) === canonical(v)) !== i) r.fail(RangeError, [...at, i], `value ${show(v)} is listed twice`);
    });
    const { path, policy } = axisTarget(r, at, key, base);
    return { key, values, policy, path, where: r.doc.where(at) };
  });
  return axes.map((axis) => ({ ...axis, name: shortName(axis.key, keys) }));
}

/** Resolves a dotted axis key to a document path, checking each part against what the experiment holds. */
function axisTarget(r: FieldReader, at: Path, key: string, base: ExperimentBase): { path: Path; policy: string | undefined } {
  const parts = key.split('.');
  const [root = '', second, third] = parts;
  const fail = (message: string): never => r.fail(RangeError, at, `sweep axis ${show(key)}: ${message}`);
  if (!ROOTS.includes(root)) fail(`${show(root)} is not a field a sweep can vary${didYouMean(root, ROOTS)}; expected one of ${ROOTS.join(', ')}`);
  if (SCALAR_FIELDS.includes(root)) {
    if (parts.length > 1) fail(`${root} takes a whole value; write just ${show(root)}`);
    return { path: [root], policy: undefined };
  }
  if (root === 'trace') {
    if (second === 'path' || second === 'format') {
      if (parts.length > 2) fail(`trace.${second} takes a whole value`);
    } else if (second !== 'options' || parts.length < 3) fail(`expected trace.path, trace.format or trace.options.<option>`);
    return { path: parts, policy: undefined };
  }
  const entries = root === 'policies' ? base.policies.map((p) => p.label) : base.controllers.map((c) => c.name);
  const noun = root === 'policies' ? 'policy label' : 'controller';
  const index = entries.indexOf(second ?? '');
  if (index < 0) fail(`no ${noun} ${show(second)}${didYouMean(second ?? '', entries)}; the experiment has ${entries.length ? entries.join(', ') : 'none'}`);
  if (third !== 'options' || parts.length < 4) fail(`expected ${root}.${second}.options.<option>`);
  return { path: [root, index, ...parts.slice(2)], policy: root === 'policies' ? second : undefined };
}

/** The shortest dotted suffix of `key` that no other key ends with. */
function shortName(key: string, keys: readonly string[]): string {
  const parts = key.split('.');
  for (let n = 1; n < parts.length; n++) {
    const suffix = parts.slice(-n).join('.');
    if (!keys.some((k) => k !== key && (k === suffix || k.endsWith(`.${suffix}`)))) return suffix;
  }
  return key;
}

/**
 * Expands the sweep into points: policies in file order; for each, the product of the axes that apply
 * to it (first axis outermost), minus `exclude` matches, then `include` entries not already present.
 * `readVariant` validates a copy of the document with a point's values written in.
 */
export function expandSweep(r: FieldReader, base: ExperimentBase, axes: readonly SweepAxis[], readVariant: (root: unknown) => ExperimentBase): ExperimentPoint[] {
  const keys = axes.map((a) => a.key);
  const filters = (field: 'exclude' | 'include') =>
    (r.get([field]) === undefined ? [] : r.array([field])).map((_, i) => {
      const entry = r.object([field, i]);
      for (const k of Object.keys(entry)) {
        if (k !== 'policy' && !keys.includes(k)) r.fail(RangeError, [field, i, k], `not a sweep axis${didYouMean(k, [...keys, 'policy'])}; expected policy${keys.length ? ` or one of ${keys.join(', ')}` : ''}`);
      }
      return { entry, where: r.doc.where([field, i]) };
    });
  const exclude = filters('exclude');
  const include = filters('include');
  const points: ExperimentPoint[] = [];
  const seen = new Map<string, string>();
  for (const policy of base.policies) {
    const mine = axes.filter((a) => a.policy === undefined || a.policy === policy.label);
    const combos = product(mine.map((a) => a.values)).map((values) => Object.fromEntries(mine.map((a, i) => [a.key, values[i]])));
    const kept = combos.filter((params) => !exclude.some(({ entry }) => matches(entry, policy.label, params)));
    for (const { entry, where } of include) {
      if (entry['policy'] !== undefined && entry['policy'] !== policy.label) continue;
      const missing = mine.filter((a) => !(a.key in entry)).map((a) => a.key);
      if (missing.length > 0) throw inputError(RangeError, `include entry for policy ${show(policy.label)} gives no value for ${missing.join(', ')}`, where);
      const params = Object.fromEntries(mine.map((a) => [a.key, entry[a.key]]));
      if (!kept.some((p) => canonical(p) === canonical(params))) kept.push(params);
    }
    for (const params of kept) {
      const id = [policy.label, ...mine.map((a) => `${a.name}=${idText(params[a.key])}`)].join('-');
      const clash = seen.get(id);
      if (clash !== undefined) throw inputError(RangeError, `sweep points ${clash} and ${canonical(params)} of policy ${show(policy.label)} both give the run id ${show(id)}; make the values differ in letters or digits`, mine[0]?.where ?? {});
      seen.set(id, canonical(params));
      points.push(pointOf(base, policy.label, id, params, mine, readVariant, r));
    }
  }
  return points;
}

function pointOf(base: ExperimentBase, label: string, id: string, params: Record<string, unknown>, axes: readonly SweepAxis[], readVariant: (root: unknown) => ExperimentBase, r: FieldReader): ExperimentPoint {
  let config = base;
  if (axes.length > 0) {
    const root = structuredClone(r.get([])) as Record<string, unknown>;
    for (const axis of axes) setIn(root, axis.path, params[axis.key]);
    config = inSweepPoint(id, () => readVariant(root));
  }
  const { policies, ...rest } = config;
  return { ...rest, policy: policies.find((p) => p.label === label) as ExperimentBase['policies'][number], id, label, params };
}

/** Runs `fn`; an input error it throws is prefixed with the sweep point, since the bad value may come from an axis. */
export function inSweepPoint<T>(id: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!isInputError(error)) throw error;
    throw inputError((error as Error).constructor as typeof RangeError, `in sweep point ${id}: ${(error as Error).message}`);
  }
}

/** Writes `value` at `path`, turning shorthand entries (`- fifo+best-fit`, `trace: file.csv`) into mappings on the way. */
function setIn(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  path.forEach((part, i) => {
    if (i === path.length - 1) {
      node[part] = value;
      return;
    }
    let next = node[part];
    if (typeof next === 'string') next = path[i + 1] === 'options' || path[i + 1] === 'format' || path[i + 1] === 'path' ? (part === 'trace' ? { path: next } : { name: next }) : next;
    if (next === null || typeof next !== 'object') next = {};
    node[part] = next;
    node = next as Record<string | number, unknown>;
  });
}

function matches(entry: Record<string, unknown>, label: string, params: Record<string, unknown>): boolean {
  return Object.entries(entry).every(([k, v]) => (k === 'policy' ? v === label : k in params && canonical(params[k]) === canonical(v)));
}

function product(lists: readonly (readonly unknown[])[]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((head) => list.map((v) => [...head, v])), [[]]);
}

/** JSON with object keys sorted, so equal values compare equal however they were written. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A value as it appears in a run id: numbers and simple strings as written, anything else with other characters folded to "_". */
function idText(value: unknown): string {
  const text = typeof value === 'string' ? value : canonical(value);
  return text.replace(/[^A-Za-z0-9_.+\-]+/g, '_').replace(/^_+|_+$/g, '') || '_';
}
