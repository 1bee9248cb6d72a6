import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NONE, formatConstraints, parseConstraints, satisfies, type Constraint } from '../../src/model/constraints.js';

describe('parseConstraints', () => {
  it('parses equality with alternatives and inequality, trimming blanks', () => {
    expect(parseConstraints(' zone = a | b ;class!=gpu-large;rack.id=7/2 ')).toEqual([
      { attribute: 'zone', op: 'eq', values: ['a', 'b'] },
      { attribute: 'class', op: 'ne', values: ['gpu-large'] },
      { attribute: 'rack.id', op: 'eq', values: ['7/2'] },
    ]);
  });

  it('reads an empty or blank string as no constraints, and skips empty clauses', () => {
    expect(parseConstraints('')).toBe(NONE);
    expect(parseConstraints('   ')).toBe(NONE);
    expect(parseConstraints(';zone=a;;')).toEqual([{ attribute: 'zone', op: 'eq', values: ['a'] }]);
  });

  const malformed = ['zone', 'zone=', 'zone!=', '=a', '1zone=a', 'zone=a||b', 'zone=a|', 'zone<a', 'zone=a;class', 'zo ne=a'];
  for (const text of malformed) {
    it(`rejects ${JSON.stringify(text)} with a SyntaxError quoting the clause`, () => {
      expect(() => parseConstraints(text)).toThrow(SyntaxError);
      expect(() => parseConstraints(text)).toThrow(/Malformed constraint "/);
    });
  }

  it('names the file, line and field of a malformed constraint', () => {
    expect(() => parseConstraints('zone=a;gpu', { file: 'trace.csv', line: 12, field: 'constraints' })).toThrow(
      'trace.csv:12: field "constraints": Malformed constraint "gpu"',
    );
  });
});

const name = fc.stringMatching(/^[A-Za-z_][\w.\-/]{0,6}$/);
const value = fc.stringMatching(/^[\w.\-/]{1,5}$/);
const constraint: fc.Arbitrary<Constraint> = fc.record({
  attribute: name,
  op: fc.constantFrom('eq' as const, 'ne' as const),
  values: fc.array(value, { minLength: 1, maxLength: 3 }),
});

describe('formatConstraints', () => {
  it('renders the text form', () => {
    expect(formatConstraints([
      { attribute: 'zone', op: 'eq', values: ['a', 'b'] },
      { attribute: 'class', op: 'ne', values: ['cpu'] },
    ])).toBe('zone=a|b;class!=cpu');
    expect(formatConstraints(NONE)).toBe('');
  });

  it('is the inverse of parseConstraints', () => {
    fc.assert(
      fc.property(fc.array(constraint, { minLength: 1, maxLength: 4 }), (cs) => {
        const text = formatConstraints(cs);
        expect(parseConstraints(text)).toEqual(cs);
        expect(formatConstraints(parseConstraints(text))).toBe(text);
      }),
    );
  });
});

describe('satisfies', () => {
  const attrs = { zone: 'a', class: 'gpu' };

  it('eq holds when the attribute equals one of the values, and never for an absent attribute', () => {
    expect(satisfies(attrs, parseConstraints('zone=a'))).toBe(true);
    expect(satisfies(attrs, parseConstraints('zone=b|a'))).toBe(true);
    expect(satisfies(attrs, parseConstraints('zone=b'))).toBe(false);
    expect(satisfies(attrs, parseConstraints('rack=a'))).toBe(false);
  });

  it('ne holds when the attribute equals none of the values, including when it is absent', () => {
    expect(satisfies(attrs, parseConstraints('zone!=b'))).toBe(true);
    expect(satisfies(attrs, parseConstraints('zone!=b|a'))).toBe(false);
    expect(satisfies(attrs, parseConstraints('rack!=a'))).toBe(true);
  });

  it('requires every clause and accepts no constraints', () => {
    expect(satisfies(attrs, parseConstraints('zone=a;class=gpu'))).toBe(true);
    expect(satisfies(attrs, parseConstraints('zone=a;class!=gpu'))).toBe(false);
    expect(satisfies({}, NONE)).toBe(true);
  });

  it('matches a clause-by-clause reading on random attributes', () => {
    const attributes = fc.dictionary(fc.constantFrom('zone', 'class', 'rack'), fc.constantFrom('a', 'b', 'c'));
    const clause = fc.record({
      attribute: fc.constantFrom('zone', 'class', 'rack'),
      op: fc.constantFrom('eq' as const, 'ne' as const),
      values: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(attributes, fc.array(clause, { maxLength: 4 }), (a, cs) => {
        const expected = cs.every((c) => {
          const v = Object.prototype.hasOwnProperty.call(a, c.attribute) ? a[c.attribute] : undefined;
          return c.op === 'eq' ? v !== undefined && c.values.includes(v) : v === undefined || !c.values.includes(v);
        });
        expect(satisfies(a, cs)).toBe(expected);
      }),
    );
  });
});
