// Alibaba readers (2017, 2018, GPU 2023): counts on the real extracts, hand-checked rows, DAG names, malformed input.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskName } from '../../src/traces/alibaba-2018.js';
import { gpuDefaultCluster } from '../../src/traces/alibaba-gpu-2023.js';
import { readArrowRows } from '../helpers/arrow.js';
import { cli } from '../helpers/cli.js';
import { openTrace, traceFile } from '../../src/traces/index.js';
import { clusterFor, readError, readTrace, writeTruncatedGzip } from '../helpers/trace-read.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const A2017 = 'test/fixtures/traces/alibaba-2017';
const A2018 = 'test/fixtures/traces/alibaba-2018';
const GPU = 'test/fixtures/traces/alibaba-gpu-2023';
const tempDir = useTempDirs('alibaba');
const demandOf = (t: { demand: Float64Array } | undefined) => [...(t?.demand ?? [])];

describe('Alibaba 2017', () => {
  it('reads 20,000 batch_task rows (gzip, header line skipped): 17,714 tasks with requests and an end', async () => {
    const { tasks, report, machines } = await readTrace('alibaba-2017', A2017, { instances: 'task' });
    expect(tasks).toHaveLength(20000 - 2267 - 19);
    expect(report?.dropped).toEqual({ 'softerror events (machine_errors: ignore)': 39, 'tasks without an end time': 19, 'tasks without requests (Waiting/Ready)': 2267 });
    expect(tasks.every((t, i) => i === 0 || t.submit >= (tasks[i - 1]?.submit ?? 0))).toBe(true);
    // line 2: "6459,6524,3,4,15740,Terminated,50,0.007956928": half a core, 0.007956928 of the largest memory
    const first = tasks.find((t) => t.id === '3/4');
    expect(first).toMatchObject({ job: '3', submit: 6459e6, duration: 65e6, kind: 'batch' });
    expect(demandOf(first)).toEqual([500, 7957, 0]);
    expect(machines).toHaveLength(1313);
    expect(machines[0]).toMatchObject({ time: 0, kind: 'add', id: '1148' });
    expect(demandOf({ demand: machines[0]?.capacity ?? new Float64Array() })).toEqual([64000, 690006, 1e6]);
  });

  it('expands every task into its instances by default', async () => {
    // counted as the chunks stream by: 2.7 M tasks are not worth holding in a test
    let tasks = 0;
    let ofTask34 = 0;
    for await (const chunk of openTrace(traceFile(A2017, 'alibaba-2017'), clusterFor('alibaba-2017', A2017), 1).chunks()) {
      tasks += chunk.length;
      for (const t of chunk) if (t.id.startsWith('3/4/')) ofTask34++;
    }
    expect(tasks).toBe(2675630);
    expect(ofTask34).toBe(15740);
  });

  it('removes machines on soft errors with machine_errors: remove', async () => {
    const dir = tempDir();
    copyFileSync(join(A2017, 'server_event.csv'), join(dir, 'server_event.csv'));
    writeFileSync(join(dir, 'batch_task.csv'), '0,10,1,1,1,Terminated,100,0.5\n');
    const { machines, report } = await readTrace('alibaba-2017', dir, { machine_errors: 'remove' });
    expect(machines.filter((e) => e.kind === 'remove')).toHaveLength(REMOVED_2017);
    expect(report?.dropped).toEqual({ 'softerror events of machines not in use': 39 - REMOVED_2017 });
  });

  it('rejects rows further out of order than the reorder window', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'batch_task.csv'), '100,110,1,1,1,Terminated,100,0.5\n5000,5010,1,2,1,Terminated,100,0.5\n10,20,1,3,1,Terminated,100,0.5\n');
    expect(await readError('alibaba-2017', dir, { reorder_window_s: 1000 })).toBe(`${join(dir, 'batch_task.csv')}:3: field "create_time": time 10 s is out of order: a task at 100 s was already released, and the reorder window is 1000 s`);
    const { tasks } = await readTrace('alibaba-2017', dir);
    expect(tasks.map((t) => t.id)).toEqual(['1/3/0', '1/1/0', '1/2/0']);
  });

  it('names file, line and value for bad columns and numbers, and counts them in lenient mode', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'batch_task.csv'), '0,10,1,1,1,Terminated,100,0.5\n0,10,1,2,one,Terminated,100,0.5\n0,10,1\n');
    expect(await readError('alibaba-2017', dir)).toBe(`${join(dir, 'batch_task.csv')}:2: field "instances": expected an integer ≥ 0, got "one"`);
    const { tasks, report } = await readTrace('alibaba-2017', dir, { lenient: true });
    expect(tasks).toHaveLength(1);
    expect(report?.skipped).toBe(2);
    expect(report?.firstSkipped[1]).toMatch(/batch_task\.csv:3: expected 8 comma-separated columns for batch_task .* got 3: "0,10,1"$/);
  });
});

describe('Alibaba 2018', () => {
  it('parses DAG task names; task_<hash> and other names are independent', () => {
    expect(parseTaskName('M5_3_4')).toEqual({ task: '5', parents: ['3', '4'] });
    expect(parseTaskName('R2_1')).toEqual({ task: '2', parents: ['1'] });
    expect(parseTaskName('M1')).toEqual({ task: '1', parents: [] });
    expect(parseTaskName('task_LTg0MTUwNTA5Mjg4MDkwNjIzMA==')).toBeNull();
  });

  it('orders machine_meta (sorted by machine id) by time: 4,033 of its 4,034 machines join', async () => {
    const dir = tempDir();
    copyFileSync(join(A2018, 'machine_meta.csv.gz'), join(dir, 'machine_meta.csv.gz'));
    // the quoted real row, then a hand-made dependent task (no raw 2018 batch_task is public)
    writeFileSync(join(dir, 'batch_task.csv'), 'M1,12846.0,j_3,1,Terminated,157213,157295,100.0,0.3\nR2_1,2,j_3,1,Terminated,157300,157310,50,1\n');
    const { tasks, machines, report } = await readTrace('alibaba-2018', dir);
    expect(tasks).toHaveLength(12846 + 2);
    expect(tasks[0]).toMatchObject({ id: 'j_3/M1/0', job: 'j_3', submit: 157213e6, duration: 82e6 });
    expect(demandOf(tasks[0])).toEqual([1000, 3000]);
    expect(tasks.at(-1)).toMatchObject({ id: 'j_3/R2_1/1', submit: 157300e6 });
    // one machine is only ever IMPORT_INSTALLING, so 4,033 machines join
    expect(new Set(machines.filter((e) => e.kind === 'add').map((e) => e.id)).size).toBe(4033);
    expect(machines).toHaveLength(MACHINE_META_EVENTS);
    expect(machines.every((e, i) => i === 0 || e.time >= (machines[i - 1]?.time ?? 0))).toBe(true);
    expect(demandOf({ demand: machines[0]?.capacity ?? new Float64Array() })).toEqual([96000, 1e6]);
    expect(report?.dropped).toEqual(MACHINE_META_DROPPED);
  });
});

describe('Alibaba GPU 2023', () => {
  it('reads 8,152 pods: 7,255 scheduled ones become tasks', async () => {
    const { tasks, report } = await readTrace('alibaba-gpu-2023', GPU);
    expect(tasks).toHaveLength(7255);
    expect(report?.dropped).toEqual({ 'pods never scheduled': 897 });
    // line 3: "openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061": 0.46 of one GPU
    expect(tasks[1]).toMatchObject({ id: 'openb-pod-0001', tenant: 'ls', priority: 3, submit: 427061e6, duration: (12902960 - 427061) * 1e6 });
    expect(demandOf(tasks[1])).toEqual([6000, 12288, 460]);
  });

  it('builds the default cluster from the node list: 1,523 machines in 27 shapes, GPU model as attribute', () => {
    const cluster = gpuDefaultCluster(GPU, {});
    expect(cluster.resources).toEqual({ names: ['cpu', 'mem', 'gpu'], units: ['millicore', 'MiB', 'milliGPU'] });
    expect(cluster.groups.reduce((n, g) => n + g.ids.length, 0)).toBe(1523);
    expect(cluster.groups).toHaveLength(27);
    expect(cluster.groups[0]).toMatchObject({ name: 'none-0gpu-32000m-262144Mi', attributes: { gpu_model: 'none' } });
    expect(cluster.groups[0]?.ids[0]).toBe('openb-node-0000');
  });

  it('turns gpu_spec into a gpu_model constraint and a missing deletion into a service (hand-made rows)', async () => {
    const dir = tempDir();
    const header = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
    writeFileSync(join(dir, 'openb_pod_list_x.csv'), `${header}\np1,1000,1024,2,1000,V100M16|V100M32,BE,Running,5,,7\n`);
    const cluster = { file: 'c', resources: { names: ['cpu', 'gpu'], units: ['millicore', 'milliGPU'] }, groups: [] };
    const { tasks } = await readTrace('alibaba-gpu-2023', dir, {}, cluster);
    expect(tasks[0]).toMatchObject({ id: 'p1', tenant: 'be', priority: 0, kind: 'service', duration: null, submit: 5e6 });
    expect(tasks[0]?.constraints).toEqual([{ attribute: 'gpu_model', op: 'eq', values: ['V100M16', 'V100M32'] }]);
    expect(demandOf(tasks[0])).toEqual([1000, 2000]);
  });

  it('checks the header, creation order and gzip integrity', async () => {
    const dir = tempDir();
    const header = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
    const file = join(dir, 'openb_pod_list_x.csv');
    writeFileSync(file, 'name,cpu\n');
    expect(await readError('alibaba-gpu-2023', dir, {}, { file: 'c', resources: { names: ['cpu'], units: ['m'] }, groups: [] })).toBe(`${file}:1: expected the header ${header}, got "name,cpu"`);
    writeFileSync(file, `${header}\np1,1,1,0,0,,BE,Running,9,10,9\np2,1,1,0,0,,BE,Running,8,10,9\n`);
    expect(await readError('alibaba-gpu-2023', dir, {}, { file: 'c', resources: { names: ['cpu'], units: ['m'] }, groups: [] })).toBe(`${file}:3: field "creation_time": time 8 s is out of order: line 2 is at 9 s`);
    const gz = join(tempDir(), 'openb_pod_list_y.csv.gz');
    writeTruncatedGzip(gz, `${header}\n${Array.from({ length: 3000 }, (_, i) => `p${i},1,1,0,0,,BE,Running,${i},${i + 1},${i}\n`).join('')}`);
    expect(await readError('alibaba-gpu-2023', gz, {}, { file: 'c', resources: { names: ['cpu'], units: ['m'] }, groups: [] })).toMatch(/openb_pod_list_y\.csv\.gz:\d+: Truncated or corrupt gzip data/);
  });
});

const REMOVED_2017 = 7;
const MACHINE_META_EVENTS = 17587;
const MACHINE_META_DROPPED = { 'machine_meta rows of machines not in use yet': 5 };

describe('Alibaba 2018 DAG in a run', () => {
  it('submits a task when every instance of its parents has finished, not at its recorded time', async () => {
    const dir = tempDir();
    // hand-made: M1 has 2 instances of 10 s; R2_1 (recorded at 5 s) needs them; J3_1_2 needs both; task_x is independent
    writeFileSync(join(dir, 'batch_task.csv'), 'M1,2,j_1,1,Terminated,1,11,100,10\nR2_1,1,j_1,1,Terminated,5,8,100,10\ntask_x,1,j_1,1,Terminated,6,9,100,10\nJ3_1_2,1,j_1,1,Terminated,7,9,100,10\n');
    writeFileSync(join(dir, 'cluster.yaml'), 'resources:\n  cpu: { unit: millicore }\n  mem: { unit: part }\ngroups:\n  - name: m\n    count: 1\n    capacity: { cpu: 1000, mem: 1000000 }\n');
    const out = join(dir, 'run');
    const result = await cli('simulate', '--cluster', join(dir, 'cluster.yaml'), '--trace', dir, '--trace-format', 'alibaba-2018', '--policy', 'fifo+first-fit', '--out', out);
    expect(result.code).toBe(0);
    const rows = readArrowRows(join(out, 'tasks.arrow')).map((r) => [r['task_id'], r['submit_s'], r['start_s'], r['end_s']]);
    expect(rows).toEqual([
      ['j_1/M1/0', 1, 1, 11],
      ['j_1/M1/1', 1, 11, 21],
      ['j_1/task_x/0', 6, 21, 24],
      ['j_1/R2_1/0', 21, 24, 27],
      ['j_1/J3_1_2/0', 27, 27, 29],
    ]);
  });

  it('reports tasks whose parents never ran as still waiting', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'batch_task.csv'), 'R2_1,1,j_1,1,Terminated,5,8,100,10\n');
    writeFileSync(join(dir, 'cluster.yaml'), 'resources:\n  cpu: { unit: millicore }\ngroups:\n  - name: m\n    count: 1\n    capacity: { cpu: 1000 }\n');
    const out = join(dir, 'run');
    expect((await cli('simulate', '--cluster', join(dir, 'cluster.yaml'), '--trace', dir, '--trace-format', 'alibaba-2018', '--policy', 'fifo+first-fit', '--out', out)).code).toBe(0);
    expect(readArrowRows(join(out, 'tasks.arrow')).map((r) => [r['task_id'], r['state']])).toEqual([['j_1/R2_1/0', 'waiting']]);
  });
});

describe('Alibaba 2018 batch_instance', () => {
  it('replays each instance row with its own start and run time, its task giving demand and DAG', async () => {
    const dir = tempDir();
    // hand-made (no raw 2018 batch_task or batch_instance extract is public)
    writeFileSync(join(dir, 'batch_task.csv'), 'M1,2,j_1,1,Terminated,1,40,100,10\nR2_1,1,j_1,1,Terminated,5,50,100,10\n');
    writeFileSync(
      join(dir, 'batch_instance.csv'),
      [
        'ins_a,M1,j_1,1,Failed,1,3,m_1,1,2,90,100,5,6',
        'ins_a,M1,j_1,1,Terminated,4,14,m_1,2,2,90,100,5,6',
        'ins_b,M1,j_1,1,Terminated,2,7,m_2,1,1,90,100,5,6',
        'ins_c,R2_1,j_1,1,Terminated,15,18,m_2,1,1,90,100,5,6',
        'ins_d,X9,j_1,1,Terminated,15,18,m_2,1,1,90,100,5,6',
        'ins_e,M1,j_1,1,Running,20,0,m_2,1,1,90,100,5,6',
      ].join('\n') + '\n',
    );
    const { tasks, report } = await readTrace('alibaba-2018', dir);
    expect(tasks.map((t) => [t.id, t.submit / 1e6, (t.duration ?? 0) / 1e6, t.completes?.key ?? null, t.after ?? null])).toEqual([
      ['j_1/M1/ins_a', 1, 2, null, null],
      ['j_1/M1/ins_b', 2, 5, 'j_1/1', null],
      ['j_1/M1/ins_a', 4, 10, 'j_1/1', null],
      ['j_1/R2_1/ins_c', 15, 3, 'j_1/2', ['j_1/1']],
    ]);
    expect(demandOf(tasks[0])).toEqual([1000, 100000]);
    expect(report?.dropped).toEqual({ 'instances of tasks not in batch_task': 1, 'instances without a start and end time': 1 });
  });
});
