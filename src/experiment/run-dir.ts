// Run directories appear only when complete: write under a temporary name, then rename.
import { existsSync, mkdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A run directory being written; `commit` makes it visible, `discard` removes every trace of it. */
export class PendingDir {
  readonly path: string;
  /** The first parent folder this run had to create, removed again on discard if still empty. */
  private readonly createdParent: string | undefined;

  constructor(readonly target: string) {
    this.createdParent = mkdirSync(dirname(target), { recursive: true });
    this.path = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(this.path);
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(join(this.path, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Replaces any previous directory at the target with this one. */
  commit(): void {
    const old = `${this.path}.old`;
    const replacing = existsSync(this.target);
    if (replacing) renameSync(this.target, old);
    renameSync(this.path, this.target);
    if (replacing) rmSync(old, { recursive: true, force: true });
  }

  discard(): void {
    rmSync(this.path, { recursive: true, force: true });
    if (this.createdParent === undefined) return;
    for (let dir = dirname(this.target); dir.length >= this.createdParent.length; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty: an earlier run of the experiment completed there
      }
    }
  }
}
