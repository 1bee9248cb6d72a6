// The cluster spec's power field: catalogue names, curves, tables, and errors naming file, line and field.
import { describe, expect, it } from 'vitest';
import { ConfigDocument } from '../../src/document.js';
import { isInputError } from '../../src/errors.js';
import { readClusterSpec } from '../../src/model/cluster-spec.js';
import { SERVER_CATALOGUE } from '../../src/power/catalogue.js';
import { DOMINANT } from '../../src/power/spec.js';

function spec(power: string, extra = '') {
  const text = `${extra}resources: { cpu: { unit: millicore }, mem: { unit: MiB } }
groups:
  - name: g
    count: 1
    capacity: { cpu: 1000, mem: 1000 }
    power: ${power}
`;
  return readClusterSpec(ConfigDocument.parse(text, 'cluster.yaml').reader());
}

function failure(power: string): string {
  try {
    spec(power);
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an input error');
}

describe('power field', () => {
  it('reads every catalogue server by name, with the CPU share driving it', () => {
    for (const [name, server] of Object.entries(SERVER_CATALOGUE)) {
      const gp = spec(name).groups[0]?.power;
      expect(server.tableW).toHaveLength(11);
      expect(gp?.model.idleW).toBe(server.tableW[0]);
      expect(gp?.model.peakW).toBe(server.tableW[10]);
      expect(gp?.utilisation).toBe(0);
    }
  });

  it('reads curves, tables and settings', () => {
    const linear = spec('{ model: square, max_w: 200, static_pct: 0.3, utilisation: dominant, off_w: 4, wake_up_j: 9, dvfs_exponent: 2 }').groups[0]?.power;
    expect(linear?.model.power(0.5)).toBeCloseTo(95, 12);
    expect(linear?.utilisation).toBe(DOMINANT);
    expect([linear?.offW, linear?.wakeUpJ, linear?.powerDownJ, linear?.dvfsExponent]).toEqual([4, 9, 0, 2]);
    expect(spec('{ model: spec, table_w: [10, 20, 40] }').groups[0]?.power?.model.power(0.75)).toBe(30);
    expect(spec('{ server: ibm-x3250-xeon-x3470, utilisation: mem }').groups[0]?.power?.utilisation).toBe(1);
    expect(spec('hp-ml110-g3-pentium-d930', 'pue: 1.2\n').pue).toBe(1.2);
  });

  it('rejects malformed tables and unknown names with file, line and field', () => {
    expect(failure('{ model: spec, table_w: [86, 89.4, "x"] }')).toBe('cluster.yaml:6:47: field "groups[0].power.table_w[2]": expected a number, got "x"');
    expect(failure('{ model: spec, table_w: [86] }')).toContain('field "groups[0].power.table_w": a power table needs at least 2 points');
    expect(failure('{ model: spec, table_w: [86, 80] }')).toContain('must not fall as load rises: 80 W after 86 W');
    expect(failure('hp-dl380')).toMatch(/^cluster\.yaml:6:12: field "groups\[0\]\.power": unknown server "hp-dl380"; the catalogue has hp-ml110-g3/);
    expect(failure('{ model: cubic, max_w: 100 }')).toContain('give exactly one of "idle_w"');
    expect(failure('{ model: linear, max_w: 100, idle_w: 120 }')).toContain('field "groups[0].power.idle_w": expected a number at least 0 and at most 100, got 120');
    expect(failure('{ model: wavy, max_w: 100, idle_w: 1 }')).toContain('unknown power model "wavy"');
    expect(failure('{ model: linear, server: x }')).toContain('give exactly one of "model"');
    expect(failure('{ model: linear, max_w: 100, idle_w: 1, utilisation: gpu }')).toContain('unknown utilisation "gpu"; expected dominant or a resource (cpu, mem)');
  });
});
