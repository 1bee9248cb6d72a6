// Options every trace format takes: lenient reading, a submit-time window and a task cap, applied as the trace streams.
import { secondsToMicros } from '../engine/time.js';
import type { OptionSpec, Options } from '../policy.js';
import type { TaskSpec } from '../model/task.js';
import { CHUNK_SIZE, type TraceSource } from './source.js';

export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  lenient: { type: 'boolean', default: false, description: 'Skip malformed rows instead of failing; the count and the first few are reported (stderr, manifest)' },
  max_tasks: { type: 'integer', default: 0, min: 0, description: 'Stop after this many tasks (0 = all)' },
  from_s: { type: 'number', default: 0, min: 0, description: 'Keep tasks submitted at or after this trace time, in seconds' },
  until_s: { type: 'number', default: 0, min: 0, description: 'Keep tasks submitted before this trace time, in seconds, and stop reading there (0 = no end)' },
};

/**
 * Applies the window and task cap of `options` to `source`, re-chunked to CHUNK_SIZE. Reading stops
 * at the first task past the window or the cap, so a part of a big trace costs only that part.
 */
export function limitSource(source: TraceSource, options: Options): TraceSource {
  const maxTasks = (options['max_tasks'] as number) || Infinity;
  const from = secondsToMicros(options['from_s'] as number);
  const until = (options['until_s'] as number) > 0 ? secondsToMicros(options['until_s'] as number) : Infinity;
  if (maxTasks === Infinity && from === 0 && until === Infinity) return source;
  const limited: TraceSource = {
    name: source.name,
    progress: () => source.progress(),
    async *chunks() {
      let taken = 0;
      let out: TaskSpec[] = [];
      for await (const chunk of source.chunks()) {
        for (const spec of chunk) {
          if (spec.submit >= until || taken >= maxTasks) {
            if (out.length > 0) yield out;
            return;
          }
          if (spec.submit < from) continue;
          out.push(spec);
          taken++;
          if (out.length === CHUNK_SIZE) {
            yield out;
            out = [];
          }
        }
      }
      if (out.length > 0) yield out;
    },
  };
  const events = source.machineEvents?.bind(source);
  const report = source.report?.bind(source);
  return {
    ...limited,
    ...(events === undefined ? {} : { machineEvents: () => untilTime(events(), until) }),
    ...(report === undefined ? {} : { report }),
  };
}

async function* untilTime<T extends { readonly time: number }>(chunks: AsyncIterable<readonly T[]>, until: number): AsyncGenerator<readonly T[]> {
  for await (const chunk of chunks) {
    const keep = chunk.filter((e) => e.time < until);
    if (keep.length > 0) yield keep;
    if (keep.length < chunk.length) return;
  }
}
