// The extended constraints grammar: simulation-enforced clauses and placement rules, hard and soft.
import { describe, expect, it } from 'vitest';
import { HOSTNAME, NO_TASK_CONSTRAINTS, attributeValue, parseTaskConstraints } from '../../src/model/constraints.js';

describe('parseTaskConstraints', () => {
  it('keeps hard attribute clauses as simulation constraints and turns the rest into rules', () => {
    expect(parseTaskConstraints('zone=a|b; ~rack=r1 ;HOSTNAME=h1|h2;unique(zone);unique;balanced( zone : 3 );exclusive;~exclusive;class!=x')).toEqual({
      constraints: [
        { attribute: 'zone', op: 'eq', values: ['a', 'b'] },
        { attribute: 'class', op: 'ne', values: ['x'] },
      ],
      rules: [
        { kind: 'value', attribute: 'rack', op: 'eq', values: ['r1'], soft: true },
        { kind: 'value', attribute: HOSTNAME, op: 'eq', values: ['h1', 'h2'], soft: false },
        { kind: 'unique', attribute: 'zone', soft: false },
        { kind: 'unique', attribute: HOSTNAME, soft: false },
        { kind: 'balanced', attribute: 'zone', expected: 3, soft: false },
        { kind: 'exclusive', soft: false },
        { kind: 'exclusive', soft: true },
      ],
    });
  });

  it('reads blank text as nothing', () => {
    expect(parseTaskConstraints('  ')).toBe(NO_TASK_CONSTRAINTS);
  });

  const cases: [string, typeof SyntaxError | typeof RangeError, string][] = [
    ['spread(zone)', RangeError, 'Unknown constraint "spread"'],
    ['exclusiv', RangeError, 'Unknown constraint "exclusiv"'],
    ['balanced(zone)', SyntaxError, 'Malformed constraint "balanced(zone)"'],
    ['balanced(zone:0)', SyntaxError, 'Malformed constraint "balanced(zone:0)"'],
    ['unique(1zone)', SyntaxError, 'Malformed constraint "unique(1zone)"'],
    ['exclusive(x)', SyntaxError, 'Malformed constraint "exclusive(x)"'],
    ['~zone=', SyntaxError, 'Malformed constraint "zone="'],
    ['unique(zone', SyntaxError, 'Malformed constraint "unique(zone"'],
  ];
  for (const [text, Kind, message] of cases) {
    it(`rejects ${JSON.stringify(text)} naming the clause and the line`, () => {
      const parse = () => parseTaskConstraints(text, { file: 'trace.csv', line: 7, field: 'constraints' });
      expect(parse).toThrow(Kind);
      expect(parse).toThrow(`trace.csv:7: field "constraints": ${message}`);
    });
  }

  it('reads HOSTNAME as the machine id', () => {
    expect(attributeValue({ zone: 'a' }, 'm1', HOSTNAME)).toBe('m1');
    expect(attributeValue({ zone: 'a' }, 'm1', 'zone')).toBe('a');
  });
});
