// Progress on stderr: a live line on a terminal, one plain line per finished run otherwise.
import type { ExperimentProgress } from '../experiment/runner.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ExperimentProgress & { end(): void } {
  const tty = stream.isTTY === true;
  const start = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const printer = (event: Parameters<ExperimentProgress>[0]) => {
    const elapsed = ((Date.now() - start) / 1000).toFixed(1);
    const head = `[${event.index + 1}/${event.total}] ${event.id}`;
    if (event.done) {
      if (tty) stream.write(`\r\x1b[K`);
      stream.write(`${head} done (${elapsed} s elapsed)\n`);
      drawn = false;
      return;
    }
    if (!tty || Date.now() - lastDraw < 100) return;
    lastDraw = Date.now();
    const pct = event.fraction === null ? '' : ` ${(100 * event.fraction).toFixed(0)}% of trace read`;
    stream.write(`\r\x1b[K${head}${pct}`);
    drawn = true;
  };
  return Object.assign(printer, {
    end: () => {
      if (drawn) stream.write('\n');
    },
  });
}
