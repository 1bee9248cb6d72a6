// The committed JSON Schema for editors stays in sync with the loader and the registries.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_FIELDS } from '../../src/experiment/config.js';
import { experimentJsonSchema } from '../../src/experiment/json-schema.js';

const COMMITTED = resolve(import.meta.dirname, '../../experiments/experiment.schema.json');

describe('experiment JSON Schema', () => {
  it('experiments/experiment.schema.json is what `clustersim schema` prints (regenerate with npm run schema:update)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(`${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
  });

  it('declares exactly the fields the loader accepts, and its sweep key pattern matches the axis forms', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, { propertyNames?: { pattern: string } }> };
    expect(Object.keys(schema.properties)).toEqual(EXPERIMENT_FIELDS);
    const pattern = new RegExp(schema.properties['sweep']?.propertyNames?.pattern as string);
    for (const ok of ['horizon', 'cluster', 'trace.path', 'trace.options.load', 'policies.drf.options.weights.a', 'controllers.cap.options.watts']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['seeds', 'policies.drf', 'trace.colour', 'horizon.x']) expect(pattern.test(bad), bad).toBe(false);
  });
});

describe('the schema as an editor uses it (Ajv, draft 2020-12)', () => {
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(experimentJsonSchema());

  it('accepts the default experiment and the sweep example of docs/experiments.md', () => {
    const docs = readFileSync(resolve(import.meta.dirname, '../../docs/experiments.md'), 'utf8');
    const example = /```yaml\n(name: fit-dimensions[\s\S]*?)```/.exec(docs)?.[1] as string;
    for (const doc of [parse(readFileSync(resolve(import.meta.dirname, '../../experiments/default.yaml'), 'utf8')), parse(example)]) {
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('flags a misspelt field, an unknown policy and a malformed sweep axis', () => {
    const base = parse(readFileSync(resolve(import.meta.dirname, '../../experiments/default.yaml'), 'utf8')) as Record<string, unknown>;
    expect(validate({ ...base, sample_intervall: 5 })).toBe(false);
    expect(validate({ ...base, policies: ['fifo+frist-fit'] })).toBe(false);
    expect(validate({ ...base, sweep: { 'policies.x': [1] } })).toBe(false);
  });
});
