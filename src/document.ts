// Configuration documents (YAML or JSON) with the source line of every value, for precise errors.
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { inputError, show, type Where } from './errors.js';
import { didYouMean } from './suggest.js';

export type Path = readonly (string | number)[];

/** Renders a path like `groups[2].capacity.cpu`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** A parsed document that can say where each value came from. */
export class ConfigDocument {
  private constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Reads and parses a YAML or JSON file; a missing file or bad syntax is an input error. */
  static load(file: string): ConfigDocument {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
      throw inputError(Error, `Cannot read ${file}: ${reason}`);
    }
    return ConfigDocument.parse(text, file);
  }

  /** Parses text already read; `file` is used in messages. */
  static parse(text: string, file: string): ConfigDocument {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first !== undefined) {
      const pos = lines.linePos(first.pos[0]);
      throw inputError(SyntaxError, `Cannot parse: ${first.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col });
    }
    return new ConfigDocument(file, doc.toJS({ maxAliasCount: 1000 }), doc, lines);
  }

  /** The location of the value at `path` (or of its nearest existing parent). */
  where(path: Path): Where {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { file: this.file, line: pos.line, column: pos.col, field: path.length ? formatPath(path) : undefined };
      }
    }
    return { file: this.file, field: path.length ? formatPath(path) : undefined };
  }

  /** A reader that validates values at paths under `base`. */
  reader(): FieldReader {
    return new FieldReader(this);
  }
}

/** Reads typed fields out of a {@link ConfigDocument}, throwing input errors that name the field and line. */
export class FieldReader {
  /** `root` replaces the document's value (a sweep point's variant) while locations still come from the document. */
  constructor(readonly doc: ConfigDocument, private readonly root: unknown = doc.value) {}

  fail(Kind: typeof RangeError | typeof TypeError, path: Path, message: string): never {
    throw inputError(Kind, message, this.doc.where(path));
  }

  /** Fails with "missing required field" when the value at `path` is absent. */
  private present(path: Path, expected: string): unknown {
    const value = this.get(path);
    if (value === undefined) this.fail(TypeError, path, `missing required field; expected ${expected}`);
    return value;
  }

  get(path: Path): unknown {
    let node: unknown = this.root;
    for (const part of path) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string | number, unknown>)[part];
    }
    return node;
  }

  object(path: Path, allowed?: readonly string[]): Record<string, unknown> {
    const value = this.present(path, 'a mapping');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(TypeError, path, `expected a mapping, got ${show(value)}`);
    }
    if (allowed !== undefined) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
          this.fail(RangeError, [...path, key], `unknown field ${show(key)}${didYouMean(key, allowed)}; expected one of ${allowed.join(', ')}`);
        }
      }
    }
    return value as Record<string, unknown>;
  }

  optionalObject(path: Path, allowed?: readonly string[]): Record<string, unknown> | undefined {
    return this.get(path) === undefined ? undefined : this.object(path, allowed);
  }

  array(path: Path): unknown[] {
    const value = this.present(path, 'a list');
    if (!Array.isArray(value)) this.fail(TypeError, path, `expected a list, got ${show(value)}`);
    return value;
  }

  string(path: Path): string {
    const value = this.present(path, 'a non-empty string');
    if (typeof value !== 'string' || value === '') this.fail(TypeError, path, `expected a non-empty string, got ${show(value)}`);
    return value;
  }

  optionalString(path: Path): string | undefined {
    return this.get(path) === undefined ? undefined : this.string(path);
  }

  number(path: Path, min: number, max = Infinity, exclusiveMin = false): number {
    const value = this.present(path, 'a number');
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(TypeError, path, `expected a number, got ${show(value)}`);
    if (value < min || value > max || (exclusiveMin && value === min)) {
      const range = `${exclusiveMin ? 'greater than' : 'at least'} ${min}${max === Infinity ? '' : ` and at most ${max}`}`;
      this.fail(RangeError, path, `expected a number ${range}, got ${show(value)}`);
    }
    return value;
  }

  integer(path: Path, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.number(path, min, max);
    if (!Number.isInteger(value)) this.fail(RangeError, path, `expected an integer, got ${show(value)}`);
    return value;
  }
}
