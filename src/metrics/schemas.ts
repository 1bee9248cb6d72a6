// The columns of each Arrow table, declared once. Definitions of every column are in the README.
import type { ResourceSpace } from '../model/resources.js';
import type { ColumnSpec } from './arrow-table.js';

/** tasks.arrow: one row per task attempt. */
export function taskColumns(resources: ResourceSpace): ColumnSpec[] {
  return [
    { name: 'task_id', type: 'utf8' },
    { name: 'job_id', type: 'utf8' },
    { name: 'tenant', type: 'utf8' },
    { name: 'attempt', type: 'int32' },
    { name: 'state', type: 'utf8' },
    { name: 'kind', type: 'utf8' },
    { name: 'priority', type: 'int64' },
    { name: 'machine_id', type: 'utf8', nullable: true },
    { name: 'submit_s', type: 'float64' },
    { name: 'start_s', type: 'float64', nullable: true },
    { name: 'end_s', type: 'float64', nullable: true },
    { name: 'wait_s', type: 'float64', nullable: true },
    { name: 'run_s', type: 'float64', nullable: true },
    { name: 'slowdown', type: 'float64', nullable: true },
    { name: 'bounded_slowdown', type: 'float64', nullable: true },
    ...resources.names.map((r): ColumnSpec => ({ name: `demand_${r}`, type: 'int64' })),
  ];
}

/** timeseries.arrow: one row per sample instant; `groups` are the run's machine groups, `power` its power columns. */
export function timeseriesColumns(resources: ResourceSpace, groups: readonly string[], power: readonly string[] = []): ColumnSpec[] {
  return [
    { name: 'time_s', type: 'float64' },
    { name: 'machines_up', type: 'int32' },
    { name: 'running', type: 'int32' },
    { name: 'pending', type: 'int32' },
    ...resources.names.map((r): ColumnSpec => ({ name: `allocated_${r}`, type: 'int64' })),
    ...resources.names.map((r): ColumnSpec => ({ name: `utilisation_${r}`, type: 'float64', nullable: true })),
    ...groups.map((g): ColumnSpec => ({ name: `machines_up_${g}`, type: 'int32' })),
    ...power.map((p): ColumnSpec => ({ name: p, type: 'float64' })),
  ];
}

/** events.arrow: one row per machine change or policy/controller action, in time order. */
export function eventColumns(): ColumnSpec[] {
  return [
    { name: 'time_s', type: 'float64' },
    { name: 'kind', type: 'utf8' },
    { name: 'machine_id', type: 'utf8', nullable: true },
    { name: 'task_id', type: 'utf8', nullable: true },
    { name: 'attempt', type: 'int32', nullable: true },
    { name: 'detail', type: 'utf8', nullable: true },
    { name: 'value', type: 'float64', nullable: true },
  ];
}

/** machines.arrow: one row per machine. */
export function machineColumns(resources: ResourceSpace): ColumnSpec[] {
  return [
    { name: 'machine_id', type: 'utf8' },
    { name: 'group', type: 'utf8' },
    { name: 'speed', type: 'float64' },
    ...resources.names.map((r): ColumnSpec => ({ name: `capacity_${r}`, type: 'int64' })),
    { name: 'added_s', type: 'float64' },
    { name: 'removed_s', type: 'float64', nullable: true },
    { name: 'up_s', type: 'float64' },
    { name: 'busy_s', type: 'float64' },
    { name: 'tasks_started', type: 'int64' },
    ...resources.names.map((r): ColumnSpec => ({ name: `utilisation_${r}`, type: 'float64', nullable: true })),
    { name: 'energy_j', type: 'float64', nullable: true },
    { name: 'idle_energy_j', type: 'float64', nullable: true },
    { name: 'capped_s', type: 'float64', nullable: true },
    { name: 'throttled_s', type: 'float64', nullable: true },
  ];
}

/** tenants.arrow: tenants appear as the trace reveals them, so rows (not columns) are per tenant. */
export function tenantColumns(resources: ResourceSpace): ColumnSpec[] {
  return [
    { name: 'time_s', type: 'float64' },
    { name: 'tenant', type: 'utf8' },
    { name: 'dominant_share', type: 'float64' },
    ...resources.names.map((r): ColumnSpec => ({ name: `allocated_${r}`, type: 'int64' })),
    ...resources.names.map((r): ColumnSpec => ({ name: `share_${r}`, type: 'float64' })),
  ];
}

/** tenant_summary.arrow: one row per tenant, sorted by name. */
export function tenantSummaryColumns(resources: ResourceSpace): ColumnSpec[] {
  return [
    { name: 'tenant', type: 'utf8' },
    { name: 'tasks', type: 'int64' },
    { name: 'finished', type: 'int64' },
    { name: 'unschedulable', type: 'int64' },
    { name: 'wait_mean_s', type: 'float64', nullable: true },
    { name: 'wait_p95_s', type: 'float64', nullable: true },
    { name: 'dominant_share_mean', type: 'float64' },
    ...resources.names.map((r): ColumnSpec => ({ name: `share_mean_${r}`, type: 'float64' })),
  ];
}
