// The CLI in-process: bad input exits 2 with one located line and no results; help, policies and a good run.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli, type Result } from '../helpers/cli.js';

const CLUSTER = `resources:
  cpu: { unit: millicore }
  mem: { unit: MiB }
groups:
  - name: small
    count: 2
    capacity: { cpu: 4000, mem: 8192 }
`;

const TRACE = `task_id,submit,duration,cpu,mem
t1,0,10,1000,1024
t2,1,5,2000,2048
t3,2,,500,512
`;

/** An experiment file; line 6 is the second policy entry, line 7 the seeds. */
function experiment(policies = '  - fifo+first-fit\n  - priority+best-fit', tail = 'seeds: [1]'): string {
  return `name: bad\ncluster: cluster.yaml\ntrace: trace.csv\npolicies:\n${policies}\n${tail}\n`;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clustersim-cli-'));
  writeFileSync(join(dir, 'cluster.yaml'), CLUSTER);
  writeFileSync(join(dir, 'trace.csv'), TRACE);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function write(files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** Every path under `root`, hidden ones included. */
function walk(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const path = join(root, e.name);
    return e.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

/** Exit 2, one line on stderr naming the file (and line) and the value, nothing on stdout. */
function expectBadInput(result: Result, expected: { file?: string; line?: number; value: string | RegExp }): void {
  expect(result.stderr).not.toContain('internal error');
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^clustersim: [^\n]+\n$/);
  if (expected.file !== undefined) {
    const path = join(dir, expected.file);
    expect(result.stderr).toContain(expected.line === undefined ? path : `${path}:${expected.line}:`);
  }
  if (typeof expected.value === 'string') expect(result.stderr).toContain(expected.value);
  else expect(result.stderr).toMatch(expected.value);
  expect(result.stdout).toBe('');
}

/** Nothing named like a results or partial directory was left anywhere in the temp dir. */
function expectNoResults(...targets: string[]): void {
  for (const target of targets) expect(existsSync(target), `${target} exists`).toBe(false);
  expect(walk(dir).filter((p) => p.includes('.partial'))).toEqual([]);
}

describe('clustersim simulate: bad input', () => {
  const out = () => join(dir, 'results', 'run1');
  const simulate = (...extra: string[]) => {
    const args: Record<string, string> = { '--cluster': join(dir, 'cluster.yaml'), '--trace': join(dir, 'trace.csv'), '--policy': 'fifo+first-fit', '--out': out() };
    for (let i = 0; i < extra.length; i += 2) args[extra[i] as string] = extra[i + 1] as string;
    return cli('simulate', ...Object.entries(args).flat());
  };

  const traceCases: { title: string; trace: string; line: number; value: string | RegExp }[] = [
    { title: 'an unterminated quote', trace: 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,5,"2000,2048\n', line: 3, value: /quote/i },
    { title: 'a row with the wrong column count', trace: 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,5,2000\n', line: 3, value: /expect 5, got 4/ },
    { title: 'a negative duration', trace: 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,-5,2000,2048\n', line: 3, value: '"-5"' },
    { title: 'a non-integer resource quantity', trace: 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,5,1.5,2048\n', line: 3, value: '"1.5"' },
    { title: 'an unknown resource column', trace: 'task_id,submit,duration,cpu,mem,disk\nt1,0,10,1000,1024,5\n', line: 1, value: '"disk"' },
    { title: 'rows out of submit order', trace: 'task_id,submit,duration,cpu,mem\nt1,5,10,1000,1024\nt2,3,5,2000,2048\n', line: 3, value: '"3"' },
    { title: 'a bad constraint', trace: 'task_id,submit,duration,cpu,mem,constraints\nt1,0,10,1000,1024,zone~a\n', line: 2, value: '"zone~a"' },
    { title: 'an unknown constraint name', trace: 'task_id,submit,duration,cpu,mem,constraints\nt1,0,10,1000,1024,\nt2,0,10,1000,1024,spread(zone)\n', line: 3, value: '"spread"' },
    { title: 'a malformed balanced constraint', trace: 'task_id,submit,duration,cpu,mem,constraints\nt1,0,10,1000,1024,~balanced(zone)\n', line: 2, value: '"~balanced(zone)"' },
  ];

  it.each(traceCases)('a trace with $title', async ({ trace, line, value }) => {
    write({ 'bad.csv': trace });
    expectBadInput(await simulate('--trace', join(dir, 'bad.csv')), { file: 'bad.csv', line, value });
    expectNoResults(out());
  });

  it('a missing cluster file', async () => {
    expectBadInput(await simulate('--cluster', join(dir, 'nope.yaml')), { file: 'nope.yaml', value: /not found/ });
    expectNoResults(out());
  });

  it('a missing trace file', async () => {
    expectBadInput(await simulate('--trace', join(dir, 'nope.csv')), { file: 'nope.csv', value: /not found/ });
    expectNoResults(out());
  });

  it('a bad cluster spec field', async () => {
    write({ 'c.yaml': CLUSTER.replace('    count: 2\n', '    count: 2\n    colour: red\n') });
    expectBadInput(await simulate('--cluster', join(dir, 'c.yaml')), { file: 'c.yaml', line: 7, value: 'colour' });
    expectNoResults(out());
  });

  it('an unknown policy name lists the valid parts', async () => {
    const result = await simulate('--policy', 'fifo+nope');
    expectBadInput(result, { value: '"fifo+nope"' });
    expect(result.stderr).toContain('first-fit');
    expectNoResults(out());
  });

  it('an unknown policy name is blamed on --policy, not on --policy-options', async () => {
    const result = await simulate('--policy', 'nope');
    expectBadInput(result, { value: '"nope"' });
    expect(result.stderr).not.toContain('--policy-options');
  });

  it('an unknown policy option lists the valid options', async () => {
    const result = await simulate('--policy', 'fifo+best-fit', '--policy-options', '{"colour":1}');
    expectBadInput(result, { value: '"colour"' });
    expect(result.stderr).toContain('dimension');
    expectNoResults(out());
  });

  it('a policy option of the wrong type', async () => {
    expectBadInput(await simulate('--policy', 'fifo+random', '--policy-options', '{"tries":"many"}'), { value: '"many"' });
    expectNoResults(out());
  });

  it('--policy-options that are not a JSON object', async () => {
    expectBadInput(await simulate('--policy-options', '{colour'), { value: '"{colour"' });
    expectBadInput(await simulate('--policy-options', '[1]'), { value: '"[1]"' });
    expectNoResults(out());
  });

  it('a best-fit dimension naming no resource of the cluster', async () => {
    expectBadInput(await simulate('--policy', 'fifo+best-fit', '--policy-options', '{"dimension":"gpu"}'), { value: '"gpu"' });
    expectNoResults(out());
  });

  it('a bad --seed', async () => {
    expectBadInput(await simulate('--seed', '1.5'), { value: '1.5' });
    expectNoResults(out());
  });

  it('a missing required option', async () => {
    const result = await cli('simulate', '--cluster', join(dir, 'cluster.yaml'), '--trace', join(dir, 'trace.csv'), '--out', out());
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('policy');
    expectNoResults(out());
  });
});

describe('clustersim run: bad input', () => {
  const results = () => join(dir, 'results');
  const run = (text: string) => {
    write({ 'exp.yaml': text });
    return cli('run', join(dir, 'exp.yaml'), '--out', results(), '--quiet');
  };
  const expectNoRun = () => expectNoResults(join(results(), 'bad'));

  it('an unknown policy name names the experiment file and line', async () => {
    const result = await run(experiment('  - fifo+first-fit\n  - fifo+nope'));
    expectBadInput(result, { file: 'exp.yaml', line: 6, value: '"fifo+nope"' });
    expect(result.stderr).toContain('first-fit');
    expectNoRun();
  });

  it('an unknown policy option', async () => {
    const result = await run(experiment('  - fifo+first-fit\n  - name: fifo+best-fit\n    options: { colour: red }', 'seeds: [1]'));
    expectBadInput(result, { file: 'exp.yaml', line: 7, value: '"colour"' });
    expect(result.stderr).toContain('dimension');
    expectNoRun();
  });

  it('a policy option of the wrong type', async () => {
    expectBadInput(await run(experiment('  - name: fifo+best-fit\n    options: { dimension: 5 }')), { file: 'exp.yaml', line: 6, value: 'got 5' });
    expectNoRun();
  });

  it('a seed that is not a number', async () => {
    expectBadInput(await run(experiment(undefined, 'seeds: [1, "x"]')), { file: 'exp.yaml', line: 7, value: '"x"' });
    expectNoRun();
  });

  it('an unknown top-level field', async () => {
    expectBadInput(await run(experiment(undefined, 'seeds: [1]\ncolour: blue')), { file: 'exp.yaml', line: 8, value: 'colour' });
    expectNoRun();
  });

  it('a negative sample_interval', async () => {
    expectBadInput(await run(experiment(undefined, 'seeds: [1]\nsample_interval: -5')), { file: 'exp.yaml', line: 8, value: '-5' });
    expectNoRun();
  });

  it('a YAML syntax error', async () => {
    expectBadInput(await run(experiment('  - [fifo+first-fit', 'seeds: [1]')), { file: 'exp.yaml', line: 6, value: /Cannot parse/ });
    expectNoRun();
  });

  it('a bad cluster spec field', async () => {
    write({ 'cluster.yaml': CLUSTER.replace('count: 2', 'count: -1') });
    expectBadInput(await run(experiment()), { file: 'cluster.yaml', line: 6, value: '-1' });
    expectNoRun();
  });

  it('a missing cluster file', async () => {
    rmSync(join(dir, 'cluster.yaml'));
    expectBadInput(await run(experiment()), { file: 'cluster.yaml', value: /not found/ });
    expectNoRun();
  });

  it('a missing experiment file', async () => {
    expectBadInput(await cli('run', join(dir, 'nope.yaml'), '--out', results()), { file: 'nope.yaml', value: /not found/ });
    expectNoResults(results());
  });

  it('a bad trace row found while running leaves no results/<name> directory', async () => {
    write({ 'trace.csv': 'task_id,submit,duration,cpu,mem\nt1,0,10,1000,1024\nt2,1,-5,2000,2048\n' });
    expectBadInput(await run(experiment()), { file: 'trace.csv', line: 3, value: '"-5"' });
    expectNoRun();
  });
});

describe('clustersim commands', () => {
  it.each([
    [[], /run/],
    [['run'], /--out/],
    [['simulate'], /--policy-options/],
    [['policies'], /--json/],
  ])('%j --help exits 0 and prints usage', async (command, mentions) => {
    const result = await cli(...command, '--help');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('clustersim');
    expect(result.stdout).toMatch(mentions);
  });

  it('an unknown command exits 2 naming it', async () => {
    const result = await cli('bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bogus');
    expect(result.stderr).not.toContain('internal error');
  });

  it('no command exits 2 and says what to do', async () => {
    const result = await cli();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Name a command: run, merge, compare, baseline, report, schema, simulate, trace or policies/);
  });

  it('policies --json lists every part as JSON', async () => {
    const result = await cli('policies', '--json');
    expect(result.code).toBe(0);
    const parts = JSON.parse(result.stdout) as { kind: string; name: string; options: Record<string, unknown> }[];
    const names = parts.map((p) => `${p.kind}:${p.name}`);
    for (const expected of ['queue order:fifo', 'queue order:priority', 'placement:first-fit', 'placement:best-fit', 'placement:worst-fit', 'placement:random']) {
      expect(names).toContain(expected);
    }
    expect(Object.keys(parts.find((p) => p.name === 'best-fit')?.options ?? {})).toEqual(['dimension']);
  });

  it('policies lists the parts as text', async () => {
    const result = await cli('policies');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/placement first-fit: /);
    expect(result.stdout).toMatch(/option tries \(integer, default 32\)/);
  });

  const RUN_FILES = ['events.arrow', 'machines.arrow', 'manifest.json', 'summary.json', 'tasks.arrow', 'tenant_summary.arrow', 'tenants.arrow', 'timeseries.arrow'];

  it('simulate with good input exits 0 and creates the run folder with its five files', async () => {
    const out = join(dir, 'results', 'run1');
    const argv = ['simulate', '--cluster', join(dir, 'cluster.yaml'), '--trace', join(dir, 'trace.csv'), '--policy', 'priority+best-fit', '--policy-options', '{"dimension":"mem"}', '--seed', '4', '--out', out];
    const result = await cli(...argv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`results in ${out}`);
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
    const again = await cli(...argv);
    expect(again.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
    expect(readdirSync(join(dir, 'results'))).toEqual(['run1']);
  });

  it('run with a good experiment exits 0 and creates one folder per policy and seed, the index and the run list', async () => {
    write({ 'exp.yaml': experiment('  - fifo+first-fit\n  - priority+best-fit', 'seeds: [1, 2]') });
    const result = await cli('run', join(dir, 'exp.yaml'), '--out', join(dir, 'results'), '--quiet');
    expect(result.code).toBe(0);
    const entries = readdirSync(join(dir, 'results', 'bad')).sort();
    expect(entries).toEqual(['experiment.json', 'fifo+first-fit-seed1', 'fifo+first-fit-seed2', 'index.arrow', 'priority+best-fit-seed1', 'priority+best-fit-seed2']);
    const runs = entries.filter((e) => e.includes('seed'));
    for (const run of runs) expect(readdirSync(join(dir, 'results', 'bad', run)).sort()).toEqual(RUN_FILES);
  });
});
