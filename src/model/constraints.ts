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
  for (const c of constraints) {
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
