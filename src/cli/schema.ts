// `clustersim schema`: prints (or writes) the JSON Schema of experiment files.
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { experimentJsonSchema } from '../experiment/json-schema.js';

export function schemaOptions(y: Argv) {
  return y.option('out', { type: 'string', describe: 'Write to this file instead of stdout (the repository keeps experiments/experiment.schema.json)' });
}

export function schemaCommand(args: { out?: string | undefined }): number {
  const text = `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
  if (args.out === undefined) process.stdout.write(text);
  else writeFileSync(args.out, text);
  return 0;
}
