import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/model/cluster.js';
import { loadClusterSpec } from '../../src/model/cluster-spec.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('spec');

function write(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** Loads `text` as a spec file and returns the error it throws (failing if it loads). */
function loadError(name: string, text: string): { file: string; error: Error } {
  const file = write(name, text);
  try {
    loadClusterSpec(file);
  } catch (error) {
    return { file, error: error as Error };
  }
  throw new Error(`${name} loaded without error`);
}

const GOOD = `# a small heterogeneous cluster
resources:
  cpu: { unit: millicore }
  mem: { unit: MiB }
  gpu:
groups:
  - name: web
    count: 3
    capacity: { cpu: 4000, mem: 8192 }
    attributes: { zone: a, rack: 7, ssd: true }
  - id: big.box_1
    capacity: { cpu: 64000, mem: 262144, gpu: 8000 }
    speed: 1.5
  - name: spare
    count: 0
    capacity: { cpu: 1 }
`;

describe('loadClusterSpec: a valid spec', () => {
  it('loads resources, ids, capacities, speeds and attributes', () => {
    const file = write('good.yaml', GOOD);
    const spec = loadClusterSpec(file);
    expect(spec.file).toBe(file);
    expect(spec.resources).toEqual({ names: ['cpu', 'mem', 'gpu'], units: ['millicore', 'MiB', 'unit'] });
    expect(spec.groups.map((g) => g.name)).toEqual(['web', 'big.box_1', 'spare']);
    const [web, big, spare] = spec.groups;
    expect(web?.ids).toEqual(['web-0', 'web-1', 'web-2']);
    expect([...(web?.capacity ?? [])]).toEqual([4000, 8192, 0]);
    expect(web?.speed).toBe(1);
    // attribute values become strings, keys in sorted order
    expect(web?.attributes).toEqual({ rack: '7', ssd: 'true', zone: 'a' });
    expect(Object.keys(web?.attributes ?? {})).toEqual(['rack', 'ssd', 'zone']);
    expect(big?.ids).toEqual(['big.box_1']);
    expect([...(big?.capacity ?? [])]).toEqual([64000, 262144, 8000]);
    expect(big?.speed).toBe(1.5);
    expect(big?.attributes).toEqual({});
    expect(spare?.ids).toEqual([]);
    expect(web?.power).toBeUndefined();
  });

  it('loads the same spec written as JSON', () => {
    const json = {
      resources: { cpu: { unit: 'millicore' }, mem: { unit: 'MiB' }, gpu: null },
      groups: [
        { name: 'web', count: 3, capacity: { cpu: 4000, mem: 8192 }, attributes: { zone: 'a', rack: 7, ssd: true } },
        { id: 'big.box_1', capacity: { cpu: 64000, mem: 262144, gpu: 8000 }, speed: 1.5 },
        { name: 'spare', count: 0, capacity: { cpu: 1 } },
      ],
    };
    const fromJson = loadClusterSpec(write('good.json', JSON.stringify(json)));
    const fromYaml = loadClusterSpec(write('good.yaml', GOOD));
    expect({ ...fromJson, file: '' }).toEqual({ ...fromYaml, file: '' });
  });

  it('builds a cluster with machines in spec order (groups in file order, then index)', () => {
    const cluster = new Cluster(loadClusterSpec(write('good.yaml', GOOD)));
    expect(cluster.ids).toEqual(['web-0', 'web-1', 'web-2', 'big.box_1']);
    expect(cluster.size).toBe(4);
    expect(cluster.machinesUp).toBe(4);
    expect([...cluster.capacity.subarray(9, 12)]).toEqual([64000, 262144, 8000]);
    expect([...cluster.speed.subarray(0, 4)]).toEqual([1, 1, 1, 1.5]);
    expect([...cluster.totalCapacity]).toEqual([3 * 4000 + 64000, 3 * 8192 + 262144, 8000]);
  });

  it('reads the power model (details in test/power/spec.test.ts)', () => {
    const spec = loadClusterSpec(
      write('power.yaml', 'resources:\n  cpu: { unit: m }\ngroups:\n  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n    power: { model: linear, idle_w: 50, max_w: 200 }\n'),
    );
    expect(spec.groups[0]?.power?.model.power(0.5)).toBe(125);
  });
});

const HEAD = 'resources:\n  cpu: { unit: millicore }\n  mem: { unit: MiB }\ngroups:\n';
//             line 1        line 2                      line 3                line 4; groups start on line 5

describe('loadClusterSpec: bad specs name the file, line and offending field or value', () => {
  const cases: { name: string; body: string; kind: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor | SyntaxErrorConstructor; line: number; mentions: string[] }[] = [
    {
      name: 'unknown group field',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n  - name: b\n    count: 2\n    colour: blue\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 10,
      mentions: ['groups[1].colour', 'unknown field'],
    },
    {
      name: 'unknown top-level field',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1 }\nmachines: 4\n',
      kind: RangeError,
      line: 8,
      mentions: ['"machines"', 'unknown field'],
    },
    {
      name: 'negative capacity',
      body: '  - name: a\n    count: 1\n    capacity:\n      cpu: 1000\n      mem: -4\n',
      kind: RangeError,
      line: 9,
      mentions: ['groups[0].capacity.mem', '-4'],
    },
    {
      name: 'non-integer capacity',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1, mem: 1 }\n  - name: b\n    count: 1\n    capacity: { cpu: 2.5, mem: 1 }\n',
      kind: RangeError,
      line: 10,
      mentions: ['groups[1].capacity.cpu', '2.5', 'integer'],
    },
    {
      name: 'string capacity',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: "4 cores" }\n',
      kind: TypeError,
      line: 7,
      mentions: ['groups[0].capacity.cpu', '"4 cores"'],
    },
    {
      name: 'missing count',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n  - name: b\n    capacity: { cpu: 1 }\n',
      kind: TypeError,
      line: 8,
      mentions: ['groups[1].count', 'missing required field'],
    },
    {
      name: 'fractional count',
      body: '  - name: a\n    count: 1.5\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 6,
      mentions: ['groups[0].count', '1.5'],
    },
    {
      name: 'count on a single machine',
      body: '  - id: solo\n    count: 2\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 6,
      mentions: ['groups[0].count', '"id"'],
    },
    {
      name: 'duplicate group',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n  - name: b\n    count: 1\n    capacity: { cpu: 1 }\n  - name: a\n    count: 2\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 11,
      mentions: ['groups[2].name', 'duplicate group name "a"'],
    },
    {
      name: 'machine id made twice',
      body: '  - name: a\n    count: 2\n    capacity: { cpu: 1 }\n  - id: a-1\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 8,
      mentions: ['"a-1"', 'group "a"'],
    },
    {
      name: 'unknown resource in capacity',
      body: '  - name: a\n    count: 1\n    capacity:\n      cpu: 1\n      disk: 100\n',
      kind: RangeError,
      line: 9,
      mentions: ['groups[0].capacity.disk', 'cpu, mem'],
    },
    {
      name: 'zero speed',
      body: '  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n    speed: 0\n',
      kind: RangeError,
      line: 8,
      mentions: ['groups[0].speed', 'got 0'],
    },
    {
      name: 'bad machine name',
      body: '  - name: a b\n    count: 1\n    capacity: { cpu: 1 }\n',
      kind: RangeError,
      line: 5,
      mentions: ['groups[0].name', '"a b"'],
    },
    {
      name: 'YAML bad indentation',
      body: '  - name: a\n    count: 1\n   capacity: { cpu: 1 }\n',
      kind: SyntaxError,
      line: 7,
      mentions: ['Cannot parse'],
    },
    {
      name: 'YAML duplicate key',
      body: '  - name: a\n    count: 1\n    count: 2\n    capacity: { cpu: 1 }\n',
      kind: SyntaxError,
      line: 7,
      mentions: ['unique'],
    },
    {
      name: 'YAML tab indentation',
      body: '  - name: a\n\tcount: 1\n',
      kind: SyntaxError,
      line: 6,
      mentions: ['Tabs'],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { file, error } = loadError(`${c.name.replace(/\W+/g, '-')}.yaml`, HEAD + c.body);
      expect(error).toBeInstanceOf(c.kind);
      expect(error.message.startsWith(`${file}:${c.line}:`), error.message).toBe(true);
      for (const text of c.mentions) expect(error.message).toContain(text);
    });
  }

  it('a spec with no machines at all', () => {
    const { file, error } = loadError('empty.yaml', HEAD + '  - name: a\n    count: 0\n    capacity: { cpu: 1 }\n');
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain(`${file}:5:`);
    expect(error.message).toContain('no machines');
  });

  it('a missing file', () => {
    const file = join(tempDir(), 'nope.yaml');
    expect(() => loadClusterSpec(file)).toThrow(`Cannot read ${file}: file not found`);
  });

  it('a bad value in a JSON spec names its line', () => {
    const text = '{\n  "resources": { "cpu": { "unit": "m" } },\n  "groups": [\n    { "name": "a", "count": 1, "capacity": { "cpu": -1 } }\n  ]\n}\n';
    const { file, error } = loadError('bad.json', text);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message.startsWith(`${file}:4:`), error.message).toBe(true);
    expect(error.message).toContain('groups[0].capacity.cpu');
    expect(error.message).toContain('got -1');
  });
});
