// Checked field access for comma-separated trace rows: column counts, numbers, and errors naming file, line, field and value.
import { inputError, show } from '../errors.js';
import type { Row } from './tables.js';

/** Throws unless the row has exactly `names.length` columns. */
export function expectColumns(row: Row, names: readonly string[], table: string): void {
  if (row.fields.length !== names.length) throw columnsError(row, names, table);
}

/** The error for a row whose column count is not `names.length`. */
export function columnsError(row: Row, names: readonly string[], table: string): Error {
  return inputError(SyntaxError, `expected ${names.length} comma-separated columns for ${table} (${names.join(', ')}), got ${row.fields.length}: ${show(row.fields.join(','))}`, { file: row.file, line: row.line });
}

/** What a numeric field must be beyond a finite number. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
}

/** Shared rules, so the hot paths allocate none. */
export const ANY: NumberRule = {};
export const INTEGER: NumberRule = { integer: true };
export const NON_NEGATIVE: NumberRule = { min: 0 };
export const COUNT: NumberRule = { integer: true, min: 0 };

/** A required number in column `i`; `integer` and `min` narrow it. */
export function numberAt(row: Row, i: number, names: readonly string[], rule: NumberRule = ANY): number {
  const text = row.fields[i] as string;
  const value = text === '' ? NaN : Number(text);
  const ok = Number.isFinite(value) && (rule.integer !== true || Number.isSafeInteger(value)) && (rule.min === undefined || value >= rule.min);
  if (!ok) {
    const what = `${rule.integer === true ? 'an integer' : 'a number'}${rule.min === undefined ? '' : ` ≥ ${rule.min}`}`;
    throw inputError(text === '' || Number.isNaN(value) ? SyntaxError : RangeError, `expected ${what}, got ${show(text)}`, { file: row.file, line: row.line, field: names[i] });
  }
  return value;
}

/** An optional number in column `i`: NaN when the field is empty. */
export function optionalNumberAt(row: Row, i: number, names: readonly string[]): number {
  const text = row.fields[i] as string;
  if (text === '') return NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) throw inputError(SyntaxError, `expected a number or an empty field, got ${show(text)}`, { file: row.file, line: row.line, field: names[i] });
  return value;
}

/** Checks a time against the previous row's: traces must be in non-decreasing time order. */
export class TimeOrder {
  private last = -Infinity;
  private lastWhere = '';

  check(time: number, row: Pick<Row, 'file' | 'line'>, field: string, unit = 'µs'): void {
    if (time < this.last) {
      throw inputError(RangeError, `time ${time} ${unit} is out of order: ${this.lastWhere} is at ${this.last} ${unit}`, { file: row.file, line: row.line, field });
    }
    this.last = time;
    this.lastWhere = `line ${row.line}`;
  }
}
