// Task power profiles: the watts a task is expected to draw (Elektron's MMPU), overall and per power class.
import type { TaskView } from '../model/task.js';
import type { OptionValue } from '../policy.js';

/** What a task is expected to draw: `watts` overall, and per machine power class where measured. */
export interface TaskWatts {
  readonly watts: number;
  readonly classWatts: Readonly<Record<string, number>> | null;
}

const SELECTORS = ['job:', 'tenant:', 'kind:'] as const;

/**
 * Checks a `task_watts` option: a map from `job:<id>`, `tenant:<path>`, `kind:<batch|service>` or
 * `*` to watts (a number ≥ 0) or `{ watts, class_watts: { <class>: watts } }`.
 */
export function checkTaskWatts(value: OptionValue): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected a map, got ${JSON.stringify(value)}`;
  for (const [key, entry] of Object.entries(value as Record<string, OptionValue>)) {
    if (key !== '*' && !SELECTORS.some((s) => key.startsWith(s) && key.length > s.length)) return `entry ${JSON.stringify(key)} must be "*" or start with job:, tenant: or kind:`;
    if (typeof entry === 'number') {
      if (!(entry >= 0) || !Number.isFinite(entry)) return `entry ${JSON.stringify(key)} must be watts ≥ 0, got ${entry}`;
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `entry ${JSON.stringify(key)} must be watts or { watts, class_watts }, got ${JSON.stringify(entry)}`;
    const fields = entry as Record<string, OptionValue>;
    for (const f of Object.keys(fields)) if (f !== 'watts' && f !== 'class_watts') return `entry ${JSON.stringify(key)} has unknown field ${JSON.stringify(f)}; expected watts, class_watts`;
    const watts = fields['watts'];
    if (typeof watts !== 'number' || !(watts >= 0) || !Number.isFinite(watts)) return `entry ${JSON.stringify(key)} needs watts ≥ 0, got ${JSON.stringify(watts)}`;
    const classes = fields['class_watts'];
    if (classes === undefined) continue;
    if (typeof classes !== 'object' || classes === null || Array.isArray(classes)) return `entry ${JSON.stringify(key)}: class_watts must be a map of class to watts, got ${JSON.stringify(classes)}`;
    for (const [c, w] of Object.entries(classes as Record<string, OptionValue>)) {
      if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) return `entry ${JSON.stringify(key)}: class_watts.${c} must be watts ≥ 0, got ${JSON.stringify(w)}`;
    }
  }
  return undefined;
}

/** Looks up task profiles: the `job:` entry, else `tenant:`, else `kind:`, else `*`, else `fallbackW` watts. */
export class TaskPowerProfiles {
  private readonly byKey = new Map<string, TaskWatts>();
  private readonly fallback: TaskWatts;
  /** Which selector kinds occur, so a lookup builds only the keys that can match. */
  private readonly byJob: boolean;
  private readonly byTenant: boolean;
  private readonly byKind: boolean;
  /** Lookups by tenant and by kind, memoised: building the key string per task cost more than the rest (few values). */
  private readonly tenantMemo = new Map<string, TaskWatts | null>();
  private readonly kindMemo = new Map<string, TaskWatts | null>();

  constructor(option: OptionValue, fallbackW: number) {
    for (const [key, entry] of Object.entries(option as Record<string, OptionValue>)) {
      if (typeof entry === 'number') {
        this.byKey.set(key, { watts: entry, classWatts: null });
      } else {
        const fields = entry as Record<string, OptionValue>;
        const classes = fields['class_watts'] as Record<string, number> | undefined;
        this.byKey.set(key, { watts: fields['watts'] as number, classWatts: classes === undefined ? null : Object.freeze({ ...classes }) });
      }
    }
    this.fallback = this.byKey.get('*') ?? { watts: fallbackW, classWatts: null };
    const keys = [...this.byKey.keys()];
    this.byJob = keys.some((k) => k.startsWith('job:'));
    this.byTenant = keys.some((k) => k.startsWith('tenant:'));
    this.byKind = keys.some((k) => k.startsWith('kind:'));
  }

  of(task: TaskView): TaskWatts {
    return (
      (this.byJob ? this.byKey.get(`job:${task.job}`) : undefined) ??
      (this.byTenant ? this.memoised(this.tenantMemo, 'tenant:', task.tenant) : null) ??
      (this.byKind ? this.memoised(this.kindMemo, 'kind:', task.kind) : null) ??
      this.fallback
    );
  }

  private memoised(memo: Map<string, TaskWatts | null>, prefix: string, value: string): TaskWatts | null {
    let profile = memo.get(value);
    if (profile === undefined) memo.set(value, (profile = this.byKey.get(prefix + value) ?? null));
    return profile;
  }

  /** Every power class some profile names, sorted. */
  classes(): string[] {
    const out = new Set<string>();
    for (const p of this.byKey.values()) if (p.classWatts !== null) for (const c of Object.keys(p.classWatts)) out.add(c);
    return [...out].sort();
  }
}
