// Input errors: built-in error classes by meaning, tagged so the CLI can exit 2 for bad input.

const INPUT = Symbol.for('clustersim.inputError');

/** Where bad input was found; every part is optional but the file should nearly always be known. */
export interface Where {
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly field?: string | undefined;
}

type ErrorClass = typeof SyntaxError | typeof RangeError | typeof TypeError | typeof Error;

/** Renders a location prefix like `cluster.yaml:12:5: field "groups[0].count": `. */
export function describeWhere(where: Where): string {
  let prefix = '';
  if (where.file !== undefined) {
    prefix = where.file;
    if (where.line !== undefined) prefix += `:${where.line}`;
    if (where.line !== undefined && where.column !== undefined) prefix += `:${where.column}`;
    prefix += ': ';
  }
  if (where.field !== undefined) prefix += `field "${where.field}": `;
  return prefix;
}

/**
 * Makes an error about bad input. `Kind` follows meaning: SyntaxError for unparsable text,
 * RangeError for a value out of range, TypeError for a value of the wrong shape, Error for a
 * missing file or similar.
 */
export function inputError(Kind: ErrorClass, message: string, where: Where = {}): Error {
  const error = new Kind(describeWhere(where) + message);
  Object.defineProperty(error, INPUT, { value: true });
  return error;
}

/** True for errors made by {@link inputError}: the user's input is wrong, not the program. */
export function isInputError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[INPUT] === true;
}

/** Quotes a value for an error message, shortening long ones. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
