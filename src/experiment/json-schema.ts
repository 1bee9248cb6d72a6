// The JSON Schema of experiment files, for editors (completion, hover text, squiggles); the loader stays the authority.
import { controllers, policyNames } from '../../policies/index.js';
import { traceFormats } from '../traces/index.js';

type Schema = Record<string, unknown>;

const optionsObject = (description: string): Schema => ({ type: 'object', description, additionalProperties: true });
const label = { type: 'string', pattern: '^[A-Za-z0-9_.+\\-]+$' };

/** The schema (draft 2020-12). Names of policies, controllers and trace formats come from the registries. */
export function experimentJsonSchema(): Schema {
  const policyName = { type: 'string', enum: policyNames(), description: 'A registered policy: order+placement or a composite (see `clustersim policies`).' };
  const controllerNames = Object.keys(controllers);
  const controllerName = controllerNames.length ? { type: 'string', enum: controllerNames } : { type: 'string' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://clustersim.invalid/experiment.schema.json',
    title: 'clustersim experiment',
    description: 'What to run: a cluster, a trace, policies with options, seeds, and optional sweep axes. See docs/experiments.md.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'trace', 'policies', 'seeds'],
    properties: {
      name: { ...label, description: 'Names the results folder: results/<name>/.' },
      description: { type: 'string' },
      cluster: { type: 'string', description: 'Cluster spec file (YAML or JSON), relative to this file; may be left out when the trace format builds a default cluster from the trace.' },
      trace: {
        description: 'A native CSV trace file, or { format, path, options }.',
        oneOf: [
          { type: 'string' },
          {
            type: 'object',
            additionalProperties: false,
            properties: { format: { type: 'string', enum: Object.keys(traceFormats), default: 'native' }, path: { type: 'string' }, options: optionsObject('Options of the trace format.') },
          },
        ],
      },
      policies: {
        type: 'array',
        minItems: 1,
        description: 'Policies to run; each runs with every seed and sweep point.',
        items: {
          oneOf: [
            policyName,
            { type: 'object', additionalProperties: false, required: ['name'], properties: { name: policyName, options: optionsObject('Options of the policy.'), label: { ...label, description: 'Names its runs (default: the name); needed when a policy is listed twice.' } } },
          ],
        },
      },
      controllers: {
        type: 'array',
        description: 'Periodic controllers every run gets (power capping, autoscaling).',
        items: { oneOf: [controllerName, { type: 'object', additionalProperties: false, required: ['name'], properties: { name: controllerName, options: optionsObject('Options of the controller.') } }] },
      },
      seeds: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 4294967295 } },
      sample_interval: { type: 'number', exclusiveMinimum: 0, default: 60, description: 'Seconds between samples in timeseries.arrow.' },
      horizon: { type: 'number', exclusiveMinimum: 0, description: 'Seconds after which runs stop.' },
      max_attempts: { type: 'integer', minimum: 1, default: 1, description: 'Attempts a task gets when machines under it go away.' },
      sweep: {
        type: 'object',
        description: 'Axes: dotted path → list of values; runs are the cartesian product (per policy) × seeds.',
        propertyNames: { pattern: '^(cluster|horizon|sample_interval|max_attempts|trace\\.(path|format|options\\..+)|policies\\.[^.]+\\.options\\..+|controllers\\.[^.]+\\.options\\..+)$' },
        additionalProperties: { type: 'array', minItems: 1 },
      },
      exclude: { type: 'array', description: 'Points to drop: each entry matches runs whose axis values (and `policy` label) all equal it.', items: { type: 'object' } },
      include: { type: 'array', description: 'Extra points: each entry gives a value for every axis of the policies it applies to (`policy` limits it to one).', items: { type: 'object' } },
    },
  };
}
