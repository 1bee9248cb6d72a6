// Placement constraints on machine attributes: `attr=v1|v2` (equals one of) and `attr!=v` (none of).
import { inputError, show, type Where } from '../errors.js';

/** A hard constraint a machine's attributes must satisfy for a task to run there. */
export interface Constraint {
  readonly attribute: string;
  /** `eq`: the attribute equals one of `values`; `ne`: it equals none of them (or is absent). */
  readonly op: 'eq' | 'ne';
  readonly values: readonly string[];
}

export type Attributes = Readonly<Record<string, string>>;

const CLAUSE = /^\s*([A-Za-z_][\w.\-/]*)\s*(!=|=)\s*([^;=!]*?)\s*$/;

/** Parses `attr=a|b;attr2!=c`; an empty string means no constraints. */
export function parseConstraints(text: string, where: Where = {}): readonly Constraint[] {
  if (text.trim() === '') return NONE;
  const out: Constraint[] = [];
  for (const clause of text.split(';')) {
    if (clause.trim() === '') continue;
    const match = CLAUSE.exec(clause);
    const values = match?.[3]?.split('|').map((v) => v.trim());
    if (match === null || values === undefined || values.some((v) => v === '')) {
      throw inputError(SyntaxError, `Malformed constraint ${show(clause.trim())}: expected attr=value, attr=v1|v2 or attr!=value, clauses joined by ";"`, where);
    }
    out.push({ attribute: match[1] as string, op: match[2] === '=' ? 'eq' : 'ne', values });
  }
  return out;
}

export const NONE: readonly Constraint[] = Object.freeze([]);

export function satisfies(attributes: Attributes, constraints: readonly Constraint[]): boolean {
  // an index loop: for-of over the frozen NONE (most tasks' constraints) allocates an iterator per call
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i] as Constraint;
    const value = attributes[c.attribute];
    const listed = value !== undefined && c.values.includes(value);
    if (listed !== (c.op === 'eq')) return false;
  }
  return true;
}

/** Renders constraints back to their text form (the inverse of {@link parseConstraints}). */
export function formatConstraints(constraints: readonly Constraint[]): string {
  return constraints.map((c) => `${c.attribute}${c.op === 'eq' ? '=' : '!='}${c.values.join('|')}`).join(';');
}

/** The pseudo-attribute naming a machine's id (Fenzo's `HOSTNAME`). */
export const HOSTNAME = 'HOSTNAME';

/**
 * A placement rule the simulation does not check itself: soft preferences, host names, and rules
 * that depend on where other tasks of the same job run. The fenzo placement enforces them.
 */
export type PlacementRule =
  | { readonly kind: 'value'; readonly attribute: string; readonly op: 'eq' | 'ne'; readonly values: readonly string[]; readonly soft: boolean }
  | { readonly kind: 'unique'; readonly attribute: string; readonly soft: boolean }
  | { readonly kind: 'balanced'; readonly attribute: string; readonly expected: number; readonly soft: boolean }
  | { readonly kind: 'exclusive'; readonly soft: boolean };

/** A constraints column split into what the simulation enforces and what placements must. */
export interface TaskConstraints {
  readonly constraints: readonly Constraint[];
  readonly rules: readonly PlacementRule[];
}

const RULE = /^\s*(~?)\s*([A-Za-z_][\w.\-/]*)\s*(?:\(\s*([^()]*?)\s*\))?\s*$/;
const ATTRIBUTE = /^[A-Za-z_][\w.\-/]*$/;
const NO_RULES: readonly PlacementRule[] = Object.freeze([]);
export const NO_TASK_CONSTRAINTS: TaskConstraints = Object.freeze({ constraints: NONE, rules: NO_RULES });

/**
 * Parses the extended constraints grammar: the clauses of {@link parseConstraints}, plus
 * `HOSTNAME=h1|h2`, `unique`, `unique(attr)`, `balanced(attr:n)` and `exclusive`, each hard, or
 * soft with a leading `~` (e.g. `~zone=a`). Hard attribute clauses stay simulation-enforced
 * constraints; everything else becomes a {@link PlacementRule}.
 */
export function parseTaskConstraints(text: string, where: Where = {}): TaskConstraints {
  if (text.trim() === '') return NO_TASK_CONSTRAINTS;
  const constraints: Constraint[] = [];
  const rules: PlacementRule[] = [];
  for (const clause of text.split(';')) {
    const trimmed = clause.trim();
    if (trimmed === '') continue;
    const soft = trimmed.startsWith('~');
    const body = soft ? trimmed.slice(1) : trimmed;
    if (body.includes('=')) {
      const [c] = parseConstraints(body, where) as [Constraint];
      if (!soft && c.attribute !== HOSTNAME) constraints.push(c);
      else rules.push({ kind: 'value', attribute: c.attribute, op: c.op, values: c.values, soft });
      continue;
    }
    rules.push(parseRule(trimmed, soft, where));
  }
  return { constraints: constraints.length ? constraints : NONE, rules: rules.length ? rules : NO_RULES };
}

function parseRule(clause: string, soft: boolean, where: Where): PlacementRule {
  const match = RULE.exec(clause);
  const malformed = (expected: string) => inputError(SyntaxError, `Malformed constraint ${show(clause)}: expected ${expected}`, where);
  if (match === null) throw malformed('attr=value, attr!=value, unique, unique(attr), balanced(attr:n) or exclusive, optionally soft with a leading "~"');
  const name = match[2] as string;
  const argument = match[3];
  switch (name) {
    case 'exclusive':
      if (argument !== undefined) throw malformed('"exclusive" without arguments');
      return { kind: 'exclusive', soft };
    case 'unique':
      if (argument !== undefined && !ATTRIBUTE.test(argument)) throw malformed('unique(attr) with an attribute name');
      return { kind: 'unique', attribute: argument ?? HOSTNAME, soft };
    case 'balanced': {
      const [attribute, count] = (argument ?? '').split(':').map((s) => s.trim());
      const expected = Number(count);
      if (attribute === undefined || !ATTRIBUTE.test(attribute) || count === undefined || !Number.isSafeInteger(expected) || expected < 1) {
        throw malformed('balanced(attr:n) with an attribute name and a whole number n ≥ 1 of expected values');
      }
      return { kind: 'balanced', attribute, expected, soft };
    }
    default:
      throw inputError(RangeError, `Unknown constraint ${show(name)} in ${show(clause)}: expected attr=value, attr!=value, unique, unique(attr), balanced(attr:n) or exclusive`, where);
  }
}

/** A machine's value for `attribute`, where {@link HOSTNAME} is its id. */
export function attributeValue(attributes: Attributes, machineId: string, attribute: string): string | undefined {
  return attribute === HOSTNAME ? machineId : attributes[attribute];
}
