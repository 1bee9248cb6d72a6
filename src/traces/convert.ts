// Writing any trace in the native CSV format (`clustersim trace convert`), streamed, atomically.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { ClusterSpec } from '../model/cluster-spec.js';
import { formatConstraints } from '../model/constraints.js';
import type { TraceSource } from './source.js';

/** Quotes a CSV field when it holds a comma, quote or line break. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Streams `source` into `out` as native CSV (seconds for times, base units of `cluster` for
 * demands); the file appears only when complete. Resolves to the number of tasks written.
 */
export async function convertToNative(source: TraceSource, cluster: ClusterSpec, out: string): Promise<number> {
  const temp = `${out}.partial`;
  const stream = createWriteStream(temp);
  let written = 0;
  try {
    const header = ['task_id', 'job_id', 'tenant', 'priority', 'kind', 'submit', 'duration', ...cluster.resources.names, 'constraints'];
    stream.write(`${header.join(',')}\n`);
    for await (const chunk of source.chunks()) {
      let text = '';
      for (const t of chunk) {
        text += `${field(t.id)},${field(t.job)},${field(t.tenant)},${t.priority},${t.kind},${t.submit / 1e6},${t.duration === null ? '' : t.duration / 1e6},${Array.from(t.demand).join(',')},${field(formatConstraints(t.constraints))}\n`;
      }
      written += chunk.length;
      if (!stream.write(text)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'close');
    renameSync(temp, out);
    return written;
  } catch (error) {
    // the partial file is discarded: a write still in flight fails as the stream goes, and that is no news
    stream.on('error', () => {});
    if (!stream.closed) {
      // not events.once: it rejects on that 'error', which would replace the error that matters
      const closed = new Promise<void>((done) => stream.once('close', () => done()));
      stream.destroy();
      await closed;
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A cluster spec as YAML the cluster loader reads back (for default clusters made from a trace). */
export function clusterYaml(cluster: ClusterSpec): string {
  const lines = [`# Default cluster of ${cluster.file}, written by clustersim trace convert`, 'resources:'];
  cluster.resources.names.forEach((name, d) => lines.push(`  ${name}: { unit: ${JSON.stringify(cluster.resources.units[d])} }`));
  lines.push('groups:');
  for (const g of cluster.groups) {
    const capacity = cluster.resources.names.map((name, d) => `${name}: ${g.capacity[d]}`).join(', ');
    const attributes = Object.entries(g.attributes).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
    const ids = g.ids.length === 1 && g.ids[0] === g.name ? [] : g.ids;
    if (ids.length === 0) lines.push(`  - id: ${JSON.stringify(g.name)}`);
    else lines.push(`  - name: ${JSON.stringify(g.name)}`, `    count: ${ids.length}`);
    lines.push(`    capacity: { ${capacity} }`, `    speed: ${g.speed}`, `    attributes: { ${attributes} }`);
  }
  return `${lines.join('\n')}\n`;
}
