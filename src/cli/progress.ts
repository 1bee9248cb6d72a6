// Progress on stderr: a bar with the ETA on a terminal, one plain line per finished run otherwise.
import type { SweepEvent } from '../experiment/execute.js';

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The bar line: done/total, percent, elapsed and the ETA from the mean pace so far. */
export function barLine(finished: number, toRun: number, elapsedSeconds: number, width = 24): string {
  const fraction = toRun === 0 ? 1 : finished / toRun;
  const filled = Math.round(fraction * width);
  const eta = finished === toRun ? duration(0) : finished === 0 ? '?' : duration((elapsedSeconds / finished) * (toRun - finished));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${finished}/${toRun} runs ${(100 * fraction).toFixed(0)}%  elapsed ${duration(elapsedSeconds)}  ETA ${eta}`;
}

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): ((event: SweepEvent) => void) & { end(): void } {
  const tty = stream.isTTY === true;
  const start = now();
  let drawn = false;
  let finished = 0;
  let toRun = 0;
  let lastDraw = -Infinity;
  const draw = (suffix = '') => {
    if (!tty) return;
    lastDraw = now();
    stream.write(`\r\x1b[K${barLine(finished, toRun, (now() - start) / 1000)}${suffix}`);
    drawn = true;
  };
  const printer = (event: SweepEvent) => {
    if (event.kind === 'start') {
      toRun = event.toRun;
      const skipped = event.skipped > 0 ? `, ${event.skipped} already finished (resumed)` : '';
      stream.write(`${event.total} runs${skipped}; ${event.toRun} to run\n`);
      draw();
    } else if (event.kind === 'reading') {
      if (tty && now() - lastDraw >= 100) draw(event.fraction === null ? '' : `  ${event.id} ${(100 * event.fraction).toFixed(0)}% of trace`);
    } else {
      finished = event.finished;
      if (tty) draw();
      else stream.write(`[${event.finished}/${event.toRun}] ${event.id} done in ${event.wallSeconds.toFixed(1)} s (${duration((now() - start) / 1000)} elapsed)\n`);
    }
  };
  return Object.assign(printer, {
    end: () => {
      if (drawn) stream.write('\n');
    },
  });
}
