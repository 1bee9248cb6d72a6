// The progress display: the bar's counts, percent and ETA on a terminal; plain lines otherwise.
import { describe, expect, it } from 'vitest';
import { barLine, duration, progressPrinter } from '../../src/cli/progress.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  it('ETA is the mean time per finished run times the runs left', () => {
    // 3 of 12 runs in 30 s: 10 s each, 9 left → 90 s.
    expect(barLine(3, 12, 30, 8)).toBe('[##------] 3/12 runs 25%  elapsed 30s  ETA 1m30s');
    expect(barLine(0, 4, 2, 4)).toBe('[----] 0/4 runs 0%  elapsed 2s  ETA ?');
    expect(barLine(0, 0, 0, 4)).toBe('[####] 0/0 runs 100%  elapsed 0s  ETA 0s');
    expect([duration(59.4), duration(61), duration(3725)]).toEqual(['59s', '1m01s', '1h02m']);
  });

  it('draws a bar on a terminal and one line per finished run otherwise', () => {
    let clock = 0;
    const tty = stream(true);
    const plain = stream(false);
    for (const s of [tty, plain]) {
      clock = 0;
      const p = progressPrinter(s, () => clock);
      p({ kind: 'start', total: 4, skipped: 2, toRun: 2 });
      clock = 5000;
      p({ kind: 'done', id: 'a-seed1', finished: 1, toRun: 2, wallSeconds: 4.96 });
      p.end();
    }
    expect(tty.text).toBe('4 runs, 2 already finished (resumed); 2 to run\n\r\x1b[K[------------------------] 0/2 runs 0%  elapsed 0s  ETA ?\r\x1b[K[############------------] 1/2 runs 50%  elapsed 5s  ETA 5s\n');
    expect(plain.text).toBe('4 runs, 2 already finished (resumed); 2 to run\n[1/2] a-seed1 done in 5.0 s (5s elapsed)\n');
  });
});
