// Runs the CLI in-process with stdout, stderr and console output captured.
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process, capturing stdout and stderr (and console output, which yargs uses for help). */
export async function cli(...argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
  vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
