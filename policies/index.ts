// The policy registry: queue orders, placements and composites, looked up by name.
import { inputError, show, type Where } from '../src/errors.js';
import { resolveOptions } from '../src/options.js';
import { didYouMean } from '../src/suggest.js';
import type { ControllerFactory, OptionSpec, Options, PartFactory, Placement, Policy, QueueOrder } from '../src/policy.js';
import { bestFit } from './best-fit.js';
import { extrema } from './capping/extrema.js';
import { progressiveExtrema } from './capping/progressive-extrema.js';
import { composedPolicy } from './compose.js';
import { drfOrder } from './drf/order.js';
import { mesos } from './drf/offers.js';
import { fenzoAutoscaler } from './fenzo/autoscaler.js';
import { fenzo } from './fenzo/placement.js';
import { fenzoQueue, fenzoTiers } from './fenzo/queue.js';
import { elektronComposites } from './elektron/policies.js';
import { elektronSwitching } from './elektron/switching.js';
import { fifo } from './fifo.js';
import { firstFit } from './first-fit.js';
import { minPowerIncrease } from './min-power-increase.js';
import { powerDown } from './power-down.js';
import { priority } from './priority.js';
import { random } from './random.js';
import { worstFit } from './worst-fit.js';

/** Queue orders: who goes next. */
export const queueOrders = { fifo, priority, drf: drfOrder, 'fenzo-queue': fenzoQueue, 'fenzo-tiers': fenzoTiers } as const satisfies Record<string, PartFactory<QueueOrder>>;

/** Placements: where a task goes. */
export const placements = {
  'first-fit': firstFit,
  'best-fit': bestFit,
  'worst-fit': worstFit,
  random,
  fenzo,
  'min-power-increase': minPowerIncrease,
} as const satisfies Record<string, PartFactory<Placement>>;

export type QueueOrderName = keyof typeof queueOrders;
export type PlacementName = keyof typeof placements;

/** A registered composite: a whole policy under one name (DRF, Fenzo and Elektron register here). */
export interface CompositeFactory {
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly cost: string;
  create(name: string, options: Options): Policy;
}

export const composites: Readonly<Record<string, CompositeFactory>> = {
  mesos,
  ...elektronComposites,
  'elektron-switching': elektronSwitching,
};

/** Controllers: periodic ticks that change the cluster (power capping, autoscaling). */
export const controllers: Readonly<Record<string, ControllerFactory>> = {
  extrema,
  'progressive-extrema': progressiveExtrema,
  'power-down': powerDown,
  'fenzo-autoscaler': fenzoAutoscaler,
};

/** A controller resolved with its options, ready to be made for a run. */
export interface ControllerSetup {
  readonly name: string;
  readonly options: Options;
  readonly factory: ControllerFactory;
}

/** Resolves a controller name with options; unknown names and options are input errors listing the valid ones. */
export function resolveController(name: string, options: Readonly<Record<string, unknown>> = {}, where: Where = {}, optionsWhere: Where = where): ControllerSetup {
  const factory = controllers[name];
  if (factory === undefined) {
    const valid = Object.keys(controllers);
    throw inputError(RangeError, `Unknown controller ${show(name)}${didYouMean(name, valid)}; ${valid.length ? `expected one of ${valid.join(', ')}` : 'none are registered'}`, where);
  }
  return { name, options: resolveOptions(`controller ${show(name)}`, options, [factory.options], optionsWhere), factory };
}

/** Every valid policy name: each `order+placement` pair, then the composites. */
export function policyNames(): string[] {
  const pairs = Object.keys(queueOrders).flatMap((o) => Object.keys(placements).map((p) => `${o}+${p}`));
  return [...pairs, ...Object.keys(composites)];
}

/** One row per registered part, for `clustersim policies`. */
export function describeRegistry(): { kind: string; name: string; description: string; cost: string; options: Readonly<Record<string, OptionSpec>> }[] {
  return [
    ...Object.entries(queueOrders).map(([name, f]) => ({ kind: 'queue order', name, ...pick(f) })),
    ...Object.entries(placements).map(([name, f]) => ({ kind: 'placement', name, ...pick(f) })),
    ...Object.entries(composites).map(([name, f]) => ({ kind: 'composite', name, ...pick(f) })),
    ...Object.entries(controllers).map(([name, f]) => ({ kind: 'controller', name, ...pick({ ...f, cost: 'once per tick' }) })),
  ];
}

function pick(f: { description: string; cost: string; options: Readonly<Record<string, OptionSpec>> }) {
  return { description: f.description, cost: f.cost, options: f.options };
}

/**
 * Resolves `order+placement` or a composite name with options into a policy. Unknown names and
 * options are input errors that list the valid ones; `where` locates the name, `optionsWhere` the options.
 */
export function resolvePolicy(name: string, options: Readonly<Record<string, unknown>> = {}, where: Where = {}, optionsWhere: Where = where): Policy {
  const composite = composites[name];
  if (composite !== undefined) return composite.create(name, resolveOptions(`policy ${show(name)}`, options, [composite.options], optionsWhere));
  const [orderName, placementName, extra] = name.split('+');
  const order = orderName !== undefined ? (queueOrders as Record<string, PartFactory<QueueOrder>>)[orderName] : undefined;
  const placement = placementName !== undefined ? (placements as Record<string, PartFactory<Placement>>)[placementName] : undefined;
  if (order === undefined || placement === undefined || extra !== undefined) {
    throw inputError(RangeError, `Unknown policy ${show(name)}; expected order+placement with order one of ${Object.keys(queueOrders).join(', ')} and placement one of ${Object.keys(placements).join(', ')}${Object.keys(composites).length ? `, or one of ${Object.keys(composites).join(', ')}` : ''}`, where);
  }
  const resolved = resolveOptions(`policy ${show(name)}`, options, [order.options, placement.options], optionsWhere);
  return composedPolicy(name, resolved, (ctx) => order.create(ctx, resolved), (ctx) => placement.create(ctx, resolved));
}
