// Power benchmarks: cost per event with and without power accounting, and Elektron's policies, on the bench workload.
import type { ClusterSpec, MachineGroup } from '../src/model/cluster-spec.js';
import { ConfigDocument } from '../src/document.js';
import { readGroupPower } from '../src/power/spec.js';
import { endToEnd, type Scenario } from './scenarios.js';

/** Power models per bench group: catalogue servers, and a linear curve for the GPU machines. */
const MODELS: Readonly<Record<string, string>> = {
  general: 'ibm-x3550-xeon-x5675',
  compute: 'ibm-x3550-xeon-x5670',
  bigmem: 'hp-ml110-g5-xeon-3075',
  gpu: '{ model: linear, idle_w: 250, max_w: 900 }',
};

/** The bench cluster with a power model on every group. */
function withPower(cluster: ClusterSpec): ClusterSpec {
  const groups = cluster.groups.map((g): MachineGroup => {
    const r = ConfigDocument.parse(`power: ${MODELS[g.name] ?? 'ibm-x3550-xeon-x5675'}`, '<bench>').reader();
    return { ...g, power: readGroupPower(r, ['power'], cluster.resources, g.speed) };
  });
  return { ...cluster, groups };
}

/** Task power profiles by tenant (the synthetic trace has tenant-0 … tenant-7): 20 W to 90 W. */
const TASK_WATTS = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`tenant:tenant-${i}`, 20 + 10 * i]));

export function powerScenarios(tasks: number, machines: number): Scenario[] {
  const elektron = (policy: string): Scenario => endToEnd(`power-${policy}`, policy, tasks, machines, undefined, { cluster: withPower, options: { task_watts: TASK_WATTS }, note: ', power models' });
  return [
    endToEnd('power-off', 'fifo+first-fit', tasks, machines, undefined, { note: ', no power models' }),
    endToEnd('power-on', 'fifo+first-fit', tasks, machines, undefined, { cluster: withPower, note: ', power models' }),
    elektron('elektron-first-fit'),
    elektron('elektron-bin-packing'),
    elektron('elektron-max-min'),
    elektron('elektron-max-greedymins'),
  ];
}
