// Command-line options that carry a JSON object (--policy-options, --trace-options).
import { inputError, show } from '../errors.js';

/** Parses a JSON-object option such as --policy-options. */
export function jsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw inputError(SyntaxError, `${flag} is not valid JSON: ${show(text)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw inputError(TypeError, `${flag} must be a JSON object, got ${show(text)}`);
  return value as Record<string, unknown>;
}
