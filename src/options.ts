// Checking user-given options against documented specs: policies, controllers and trace formats share it.
import { inputError, show, type Where } from './errors.js';
import { didYouMean } from './suggest.js';
import type { OptionSpec, Options, OptionValue } from './policy.js';

/**
 * Validates `given` against the specs and fills in defaults. `owner` names what takes the options
 * in messages (e.g. `policy "drf"`); unknown names list the valid ones.
 */
export function resolveOptions(owner: string, given: Readonly<Record<string, unknown>>, specs: readonly Readonly<Record<string, OptionSpec>>[], where: Where): Options {
  const all: Record<string, OptionSpec> = Object.assign({}, ...specs);
  const out: Record<string, OptionValue> = {};
  for (const key of Object.keys(given).sort()) {
    const spec = all[key];
    const value = given[key];
    const at = { ...where, field: where.field !== undefined ? `${where.field}.${key}` : key };
    if (spec === undefined) {
      const valid = Object.keys(all);
      throw inputError(RangeError, `${capitalise(owner)} has no option ${show(key)}${didYouMean(key, valid)}; ${valid.length ? `its options are ${valid.join(', ')}` : 'it takes no options'}`, at);
    }
    if (!hasType(spec, value)) {
      const expected = spec.type === 'integer' ? 'an integer' : spec.type === 'array' ? 'a list' : spec.type === 'object' ? 'a map' : `a ${spec.type}`;
      throw inputError(TypeError, `Option ${show(key)} of ${owner} must be ${expected}${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}, got ${show(value)}`, at);
    }
    if (spec.type === 'string' && spec.values !== undefined && !spec.values.some((v) => v.startsWith('<')) && !spec.values.includes(value as string)) {
      throw inputError(RangeError, `Option ${show(key)} of ${owner} must be one of ${spec.values.join(', ')}, got ${show(value)}${didYouMean(value as string, spec.values)}`, at);
    }
    const problem = spec.check?.(value as OptionValue);
    if (problem !== undefined) throw inputError(RangeError, `Option ${show(key)} of ${owner}: ${problem}`, at);
    out[key] = value as OptionValue;
  }
  for (const [key, spec] of Object.entries(all)) if (!(key in out)) out[key] = spec.default;
  return out;
}

function hasType(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === 'number' && Number.isFinite(value) && (spec.type !== 'integer' || Number.isInteger(value)) && (spec.min === undefined || value >= spec.min);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
