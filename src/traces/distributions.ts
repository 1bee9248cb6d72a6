// Named distributions for the synthetic generator: exponential, log-normal, Pareto, uniform, constant, drawn from a seeded stream.
import type { OptionValue } from '../policy.js';
import type { Random } from '../random.js';
import { show } from '../errors.js';

/**
 * A distribution as an experiment file writes it, e.g. `{ dist: exponential, mean: 60 }`,
 * `{ dist: lognormal, median: 30, sigma: 1.2 }`, `{ dist: pareto, min: 10, alpha: 1.5 }`,
 * `{ dist: uniform, min: 1, max: 4 }`, `{ dist: constant, value: 2 }`; `max` caps any of them.
 */
export type Distribution = Readonly<Record<string, OptionValue>>;

const PARAMS: Readonly<Record<string, readonly string[]>> = {
  exponential: ['mean'],
  lognormal: ['median', 'sigma'],
  pareto: ['min', 'alpha'],
  uniform: ['min', 'max'],
  constant: ['value'],
  empirical: [],
};

/** What is wrong with `value` as a distribution, or undefined. */
export function checkDistribution(value: OptionValue): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected a map such as { dist: exponential, mean: 60 }, got ${show(value)}`;
  const d = value as Distribution;
  const name = d['dist'];
  const params = typeof name === 'string' ? PARAMS[name] : undefined;
  if (params === undefined) return `"dist" must be one of ${Object.keys(PARAMS).join(', ')}, got ${show(name)}`;
  for (const key of Object.keys(d)) {
    if (key !== 'dist' && key !== 'max' && !params.includes(key)) return `${name} takes ${[...params, 'max'].join(', ')}, not ${show(key)}`;
  }
  for (const key of [...params, ...(d['max'] === undefined ? [] : ['max'])]) {
    const v = d[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key !== 'value' && key !== 'min' && v === 0)) return `${name} needs ${key} as a positive number, got ${show(v)}`;
  }
  return undefined;
}

/** Draws from `d` with `random`, for the analytic distributions (empirical ones are drawn by the caller). */
export function sampler(d: Distribution, random: Random): () => number {
  const num = (key: string): number => d[key] as number;
  const cap = d['max'] === undefined ? Infinity : num('max');
  const draw = ((): (() => number) => {
    switch (d['dist']) {
      case 'exponential':
        return () => -Math.log(1 - random()) * num('mean');
      case 'lognormal': {
        const mu = Math.log(num('median'));
        return () => Math.exp(mu + num('sigma') * normal(random));
      }
      case 'pareto':
        return () => num('min') / Math.pow(1 - random(), 1 / num('alpha'));
      case 'uniform':
        return () => num('min') + random() * (num('max') - num('min'));
      case 'constant':
        return () => num('value');
      default:
        throw new RangeError(`No analytic sampler for ${show(d['dist'])}`);
    }
  })();
  return () => Math.min(cap, draw());
}

/** A standard normal draw (Box–Muller, one value per two uniforms, so the stream's use is fixed). */
function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
