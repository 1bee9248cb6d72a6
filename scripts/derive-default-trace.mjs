#!/usr/bin/env node
// derive-default-trace.mjs: builds clustersim's bundled default workload and cluster from the
// Alibaba cluster-trace-gpu-v2023 CSVs (openb_pod_list_default.csv, openb_node_list_all_node.csv).
// It writes <out>/pods.csv in the native trace format and <out>/cluster.yaml. Selection, mapping
// and sizing rules are documented in traces/default/README.md. No dependencies, and the output is
// deterministic: the same input gives byte-identical files.
// Usage: node scripts/derive-default-trace.mjs ../shared/traces/alibaba-gpu-2023 traces/default
//        [--censored-as-services]   (optional variant, see README; the bundled files do not use it)

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const POD_FILE = 'openb_pod_list_default.csv';
const NODE_FILE = 'openb_node_list_all_node.csv';
const POD_HEADER = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
const NODE_HEADER = 'sn,cpu_milli,memory_mib,gpu,model';
const OUT_HEADER = 'task_id,job_id,tenant,priority,kind,submit,duration,cpu,mem,gpu,constraints';

// Window: every pod created in the last WINDOW_DAYS days of the pod list, i.e. with
// creation_time >= (latest creation_time in the file) - WINDOW_DAYS * 86400.
const WINDOW_DAYS = 14;

// qos -> tenant (a one-segment path) and priority (higher = more important).
const QOS = {
  LS: { tenant: 'ls', priority: 3 },
  Guaranteed: { tenant: 'guaranteed', priority: 2 },
  Burstable: { tenant: 'burstable', priority: 1 },
  BE: { tenant: 'be', priority: 0 },
};

// Cluster groups. Each group is one real node shape (GPU model, #GPUs, cpu_milli, memory_mib) from
// the node list; the script checks that the shape exists there. The counts are a sizing choice: the
// sampled pod list keeps only a few dozen pods running at once, so the cluster is far smaller than
// the real one, small enough that GPU demand peaks queue. speed, zone and class are modelling
// assumptions, not trace data.
const GROUPS = [
  { name: 'cpu', model: '', gpus: 0, cpu: 32000, mem: 262144, count: 6, speed: 1.0, zone: 'a', cls: 'cpu' },
  { name: 't4', model: 'T4', gpus: 2, cpu: 104000, mem: 524288, count: 1, speed: 1.0, zone: 'a', cls: 'gpu-small' },
  { name: 'p100', model: 'P100', gpus: 2, cpu: 16000, mem: 122880, count: 2, speed: 0.8, zone: 'b', cls: 'gpu-small' },
  { name: 'a10', model: 'A10', gpus: 1, cpu: 128000, mem: 1048576, count: 1, speed: 1.3, zone: 'b', cls: 'gpu-small' },
  { name: 'v100m16', model: 'V100M16', gpus: 4, cpu: 32000, mem: 131072, count: 1, speed: 1.2, zone: 'b', cls: 'gpu-medium' },
  { name: 'v100m32', model: 'V100M32', gpus: 4, cpu: 48000, mem: 376832, count: 1, speed: 1.2, zone: 'a', cls: 'gpu-medium' },
  { name: 'g2', model: 'G2', gpus: 8, cpu: 96000, mem: 393216, count: 1, speed: 1.0, zone: 'b', cls: 'gpu-large' },
  { name: 'g3', model: 'G3', gpus: 8, cpu: 128000, mem: 786432, count: 1, speed: 1.0, zone: 'a', cls: 'gpu-large' },
];

function die(msg) {
  process.stderr.write(`derive-default-trace: ${msg}\n`);
  process.exit(1);
}

// Minimal CSV reader for these files: one header line, comma-separated, no quoting at all.
function readCsv(path, expectedHeader) {
  const text = readFileSync(path, 'utf8');
  if (text.includes('"')) die(`${path}: contains a quote character; this reader does not handle quoting`);
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== expectedHeader) die(`${path}: unexpected header ${JSON.stringify(lines[0])}`);
  const cols = expectedHeader.split(',');
  return lines.slice(1).map((line, i) => {
    const f = line.split(',');
    if (f.length !== cols.length) die(`${path}:${i + 2}: ${f.length} fields, expected ${cols.length}`);
    return Object.fromEntries(cols.map((c, j) => [c, f[j]]));
  });
}

function int(v, what) {
  if (!/^-?\d+$/.test(v)) die(`not an integer ${what}: ${JSON.stringify(v)}`);
  return Number(v);
}

function csvField(v) {
  const s = String(v);
  return s.includes(',') ? `"${s.replaceAll('"', '""')}"` : s;
}

function fmtSpeed(x) {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

// Constraint clause from gpu_spec ("V100M16|V100M32" -> "gpu_model=V100M16|V100M32").
function constraintOf(spec) {
  if (spec === '' || spec.toLowerCase() === 'nan') return { text: '', models: null };
  const models = spec.split('|').map((s) => s.trim()).filter(Boolean);
  return { text: models.length ? `gpu_model=${models.join('|')}` : '', models: models.length ? models : null };
}

function main() {
  const args = process.argv.slice(2);
  const censoredAsServices = args.includes('--censored-as-services');
  const [srcDir, outDir, ...rest] = args.filter((a) => a !== '--censored-as-services');
  if (!srcDir || !outDir || rest.length) {
    die('usage: node scripts/derive-default-trace.mjs <alibaba-gpu-2023 dir> <out dir> [--censored-as-services]');
  }

  // ---- cluster -------------------------------------------------------------------------------
  const nodes = readCsv(join(srcDir, NODE_FILE), NODE_HEADER);
  const shapeCount = new Map();
  const modelCount = new Map();
  for (const n of nodes) {
    const key = [n.model, int(n.gpu, 'gpu'), int(n.cpu_milli, 'cpu_milli'), int(n.memory_mib, 'memory_mib')].join('/');
    shapeCount.set(key, (shapeCount.get(key) ?? 0) + 1);
    modelCount.set(n.model, (modelCount.get(n.model) ?? 0) + 1);
  }
  for (const g of GROUPS) {
    const real = shapeCount.get([g.model, g.gpus, g.cpu, g.mem].join('/'));
    if (!real) die(`group ${g.name}: node shape not found in ${NODE_FILE}`);
    g.realNodes = real;
    g.realModelNodes = modelCount.get(g.model);
    g.cap = { cpu: g.cpu, mem: g.mem, gpu: g.gpus * 1000 };
  }

  // ---- pods ----------------------------------------------------------------------------------
  const pods = readCsv(join(srcDir, POD_FILE), POD_HEADER);
  let lastCreation = -Infinity;
  let traceEnd = -Infinity; // latest deletion_time = end of the observation period
  for (const p of pods) {
    lastCreation = Math.max(lastCreation, int(p.creation_time, 'creation_time'));
    if (p.deletion_time !== '') traceEnd = Math.max(traceEnd, int(p.deletion_time, 'deletion_time'));
  }
  const windowStart = lastCreation - WINDOW_DAYS * 86400;

  const dropped = { beforeWindow: 0, notScheduled: 0, deletedBeforeScheduled: 0, fitsNoMachine: 0 };
  let censored = 0; // kept pods whose deletion_time equals the end of the observation period
  const notScheduledPhases = {};
  const kept = [];
  for (const p of pods) {
    const created = int(p.creation_time, 'creation_time');
    if (created < windowStart) { dropped.beforeWindow++; continue; }
    if (p.scheduled_time === '') {
      dropped.notScheduled++;
      notScheduledPhases[p.pod_phase] = (notScheduledPhases[p.pod_phase] ?? 0) + 1;
      continue;
    }
    const scheduled = int(p.scheduled_time, 'scheduled_time');
    let duration = null; // null = no deletion time (still running when the trace ends) -> service
    if (p.deletion_time !== '') {
      const deleted = int(p.deletion_time, 'deletion_time');
      if (deleted < scheduled) { dropped.deletedBeforeScheduled++; continue; }
      duration = deleted - scheduled;
      // A deletion_time equal to the end of the observation period most likely means "still
      // running when the trace was cut". By default such pods keep the observed (lower-bound)
      // duration; the optional flag turns them into services instead.
      if (deleted === traceEnd) {
        censored++;
        if (censoredAsServices) duration = null;
      }
    }
    const numGpu = int(p.num_gpu, 'num_gpu');
    const q = QOS[p.qos];
    if (!q) die(`${p.name}: unknown qos ${p.qos}`);
    const con = constraintOf(p.gpu_spec);
    const t = {
      name: p.name,
      created,
      duration,
      cpu: int(p.cpu_milli, 'cpu_milli'),
      mem: int(p.memory_mib, 'memory_mib'),
      gpu: numGpu > 0 ? numGpu * int(p.gpu_milli, 'gpu_milli') : 0,
      tenant: q.tenant,
      priority: q.priority,
      constraints: con.text,
      models: con.models,
    };
    const fits = GROUPS.some((g) => t.cpu <= g.cap.cpu && t.mem <= g.cap.mem && t.gpu <= g.cap.gpu
      && (t.models === null || t.models.includes(g.model || 'none')));
    if (!fits) { dropped.fitsNoMachine++; continue; }
    kept.push(t);
  }
  if (kept.length === 0) die('no pods selected');

  const t0 = Math.min(...kept.map((t) => t.created));
  kept.sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const lines = [OUT_HEADER];
  for (const t of kept) {
    lines.push([
      t.name, t.name, t.tenant, t.priority, t.duration === null ? 'service' : 'batch',
      t.created - t0, t.duration === null ? '' : t.duration, t.cpu, t.mem, t.gpu, t.constraints,
    ].map(csvField).join(','));
  }

  // ---- cluster.yaml --------------------------------------------------------------------------
  const models = [...modelCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([m, c]) => `${m || 'none'} ${c}`).join(', ');
  const y = [
    `# Default clustersim cluster, derived from ${NODE_FILE} of Alibaba cluster-trace-gpu-v2023`,
    `# (${nodes.length} nodes; nodes per GPU model: ${models}).`,
    '# One group per GPU model (A10, G2, G3, P100, T4, V100M16, V100M32) plus CPU-only nodes. Each group',
    '# uses a node shape (cpu_milli, memory_mib, #GPUs) that exists in the node list; "real" below says',
    '# how many real nodes have exactly that shape. Counts are scaled far down to fit pods.csv (a',
    '# sampled pod list with only a few dozen pods running at once), so GPU demand peaks queue but',
    '# the backlog drains.',
    '# GPUs are a scalar milliGPU pool per machine (no per-card fragmentation).',
    '# speed, zone and class are modelling assumptions, not in the trace. Speeds are relative factors',
    '# per GPU generation (P100 0.8, T4 1.0, V100 1.2, A10 1.3); CPU-only nodes and the undisclosed',
    '# internal models G2 and G3 are neutral (1.0).',
    '# Regenerate: node scripts/derive-default-trace.mjs ../shared/traces/alibaba-gpu-2023 traces/default',
    '# Provenance, mapping and sizing notes: traces/default/README.md',
    'resources:',
    '  cpu: { unit: millicore }',
    '  mem: { unit: MiB }',
    '  gpu: { unit: milliGPU }',
    'groups:',
  ];
  for (const g of GROUPS) {
    y.push(
      `  - name: ${g.name}   # real: ${g.realNodes} of ${g.realModelNodes} ${g.model || 'CPU-only'} nodes`,
      `    count: ${g.count}`,
      `    capacity: { cpu: ${g.cap.cpu}, mem: ${g.cap.mem}, gpu: ${g.cap.gpu} }`,
      `    speed: ${fmtSpeed(g.speed)}`,
      `    attributes: { gpu_model: ${g.model || 'none'}, zone: ${g.zone}, class: ${g.cls} }`,
    );
  }

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'pods.csv'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 'cluster.yaml'), y.join('\n') + '\n');

  // ---- summary (stdout, not part of the output files) ----------------------------------------
  const services = kept.filter((t) => t.duration === null).length;
  const span = kept[kept.length - 1].created - t0;
  const machines = GROUPS.reduce((s, g) => s + g.count, 0);
  const summary = {
    podsInFile: pods.length,
    lastCreation, traceEnd, windowStart, windowDays: WINDOW_DAYS,
    inWindow: pods.length - dropped.beforeWindow,
    dropped, notScheduledPhases,
    written: kept.length, batch: kept.length - services, services,
    censoredAtTraceEnd: censored, censoredAsServices,
    withConstraints: kept.filter((t) => t.constraints !== '').length,
    submitSpanSeconds: span,
    machines,
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

main();
