// Streams a run's tasks, samples and machines into Arrow files and builds its summary.
import { join } from 'node:path';
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { RunObserver, Simulation } from '../experiment/simulation.js';
import type { ResourceSpace } from '../model/resources.js';
import type { PowerOutputs } from '../power/outputs.js';
import type { Task } from '../model/task.js';
import { ArrowTableWriter } from './arrow-table.js';
import type { EventRecord } from '../policy.js';
import { eventColumns, machineColumns, taskColumns, timeseriesColumns } from './schemas.js';
import { SummaryBuilder, type Summary } from './summary.js';
import type { AttemptStats } from './attempt-stats.js';
import { ensureLength } from '../typed-array.js';
import { TaskRows, type TaskRowMode } from './task-rows.js';
import { TenantRecorder } from './tenants.js';

/** Writes tasks.arrow and timeseries.arrow as the run goes, machines.arrow at the end. */
export class RunRecorder implements RunObserver {
  private readonly tasks: TaskRows;
  private readonly series: ArrowTableWriter;
  private readonly events: ArrowTableWriter;
  private readonly groupCol: number;
  private readonly summary: SummaryBuilder;
  private readonly tenants: TenantRecorder;
  private readonly dims: number;
  private readonly allocatedCol: number;
  private readonly powerCol: number;
  /**
   * Per simulation slot: 1 while the attempt started there runs, its row's first part sent (see
   * {@link taskStarted}); its end then needs nothing of the task's record, which is no longer in
   * the cache by then (see RunObserver.taskFinished).
   */
  private started = new Uint8Array(1024);

  /**
   * @param groups the run's machine groups (see `runGroups`), one machine-count column each.
   * @param power power columns and figures; without it (or without power models) power figures are null.
   * @param sampleMemoryLimit values each summary sample list keeps in memory before it spills to a
   *   hidden scratch file in `dir` (deleted by `finish` and `abort`); see {@link AttemptStats}.
   * @param taskRows where tasks.arrow is written (see {@link TaskRowMode}): by default a helper
   *   thread takes it over once a run has enough rows to gain from it.
   */
  constructor(
    private readonly dir: string,
    private readonly resources: ResourceSpace,
    private readonly groups: readonly string[],
    private readonly power: PowerOutputs | null = null,
    sampleMemoryLimit?: number,
    taskRows: TaskRowMode = 'auto',
  ) {
    this.dims = resources.names.length;
    this.summary = new SummaryBuilder(dir, sampleMemoryLimit);
    this.tasks = new TaskRows(join(dir, 'tasks.arrow'), taskColumns(resources), this.dims, taskRows, undefined, undefined, sampleMemoryLimit);
    this.series = new ArrowTableWriter(join(dir, 'timeseries.arrow'), timeseriesColumns(resources, groups, power?.seriesColumns() ?? []), 4096);
    this.events = new ArrowTableWriter(join(dir, 'events.arrow'), eventColumns(), 4096);
    this.tenants = new TenantRecorder(dir, resources);
    this.allocatedCol = this.series.column(`allocated_${resources.names[0]}`);
    this.groupCol = this.allocatedCol + 2 * this.dims;
    this.powerCol = this.groupCol + groups.length;
  }

  event(event: EventRecord, sim: Simulation): void {
    this.summary.event(event);
    this.power?.event(event.kind, event.machine ?? -1, event.value ?? NaN, sim.now);
    const w = this.events;
    w.float(0, microsToSeconds(sim.now));
    w.string(1, event.kind);
    const m = event.machine ?? -1;
    if (m >= 0) w.string(2, sim.cluster.ids[m] as string);
    else w.null(2);
    if (event.task !== undefined) {
      w.string(3, event.task.id);
      w.int(4, event.task.attempt);
    } else {
      w.null(3);
      w.null(4);
    }
    if (event.detail !== undefined) w.string(5, event.detail);
    else w.null(5);
    w.floatOrNull(6, event.value ?? null);
    w.endRow();
  }

  taskStarted(task: Task, slot: number, sim: Simulation): void {
    if (slot >= this.started.length) this.started = ensureLength(this.started, slot + 1);
    this.started[slot] = 1;
    this.tasks.started(task, slot, sim.cluster.ids);
  }

  taskFinished(slot: number, sim: Simulation): void {
    this.started[slot] = 0;
    this.tasks.ended(slot, 'finished', sim.now);
  }

  taskEnded(task: Task, sim: Simulation, slot: number): void {
    if (slot >= 0 && slot < this.started.length && this.started[slot] === 1) {
      this.started[slot] = 0;
      this.tasks.ended(slot, task.state, task.end);
    } else {
      this.tasks.write(task, sim.cluster.ids);
    }
  }

  sample(time: Micros, sim: Simulation): void {
    const w = this.series;
    const c = sim.cluster;
    w.float(0, microsToSeconds(time));
    w.int(1, c.machinesUp);
    w.int(2, sim.running);
    w.int(3, sim.pending);
    for (let d = 0; d < this.dims; d++) {
      const allocated = c.allocated[d] as number;
      const total = c.totalCapacity[d] as number;
      w.int(this.allocatedCol + d, allocated);
      w.floatOrNull(this.allocatedCol + this.dims + d, total > 0 ? allocated / total : null);
    }
    for (let g = 0; g < this.groups.length; g++) w.int(this.groupCol + g, c.upPerGroup[g] as number);
    const meter = sim.ledger.meter;
    if (this.power !== null && this.power.metered && meter !== null) {
      const { total, perClass } = this.power.sample(meter);
      w.float(this.powerCol, total);
      for (let k = 0; k < perClass.length; k++) w.float(this.powerCol + 1 + k, perClass[k] as number);
    }
    w.endRow();
    this.tenants.sample(time, sim.ledger);
  }

  /** Writes machines.arrow, closes every file and returns the summary. */
  finish(sim: Simulation): Summary {
    // every row is in: a helper thread finishes tasks.arrow and the attempts' figures meanwhile
    this.tasks.end();
    this.series.close();
    this.events.close();
    const c = sim.cluster;
    const ledger = sim.ledger;
    const w = new ArrowTableWriter(join(this.dir, 'machines.arrow'), machineColumns(this.resources));
    const capCol = 3;
    const utilCol = capCol + this.dims + 5;
    for (let m = 0; m < c.size; m++) {
      w.string(0, c.ids[m] as string);
      w.string(1, c.groupNames[c.groupOf[m] as number] as string);
      w.float(2, c.speed[m] as number);
      const up = ledger.upTime(m);
      for (let d = 0; d < this.dims; d++) {
        const cap = c.capacity[m * this.dims + d] as number;
        w.int(capCol + d, cap);
        w.floatOrNull(utilCol + d, cap > 0 && up > 0 ? ledger.allocated(m, d) / (cap * up) : null);
      }
      const removed = sim.removedAt[m] as number;
      w.float(capCol + this.dims, microsToSeconds(sim.addedAt[m] as number));
      w.floatOrNull(capCol + this.dims + 1, removed >= 0 ? microsToSeconds(removed) : null);
      w.float(capCol + this.dims + 2, microsToSeconds(up));
      w.float(capCol + this.dims + 3, microsToSeconds(ledger.busy(m)));
      w.int(capCol + this.dims + 4, ledger.started(m));
      const meter = ledger.meter;
      const metered = meter !== null && meter.has(m);
      w.floatOrNull(utilCol + this.dims, metered ? (meter.energy[m] as number) : null);
      w.floatOrNull(utilCol + this.dims + 1, metered ? (meter.idleEnergy[m] as number) : null);
      w.floatOrNull(utilCol + this.dims + 2, metered && this.power !== null ? this.power.cappedSeconds(m, sim.end) : null);
      w.floatOrNull(utilCol + this.dims + 3, metered ? microsToSeconds(meter.throttled[m] as number) : null);
      w.endRow();
    }
    w.close();
    // after the rest, so that a helper thread writing tasks.arrow finishes while they are written here
    const attempts = this.tasks.close();
    this.tenants.finish(ledger, sim.end, attempts.tenants);
    const summary = this.summary.build(this.resources.names, ledger, sim.firstSubmit, sim.end, sim.events, attempts);
    this.summary.dispose();
    return this.power === null ? summary : { ...summary, ...this.power.summary(ledger.meter, c, sim.firstSubmit, sim.end) };
  }

  /** Closes the open files after a failure; the caller removes the directory. */
  abort(): void {
    this.tasks.abort();
    this.series.abort();
    this.events.abort();
    this.tenants.abort();
    this.summary.dispose();
  }
}
