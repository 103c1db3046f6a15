import { describe, expect, it } from 'vitest';
import { BoolSyntaxError, parseGoBool, queryBool } from './bools.js';

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (v) => expect(parseGoBool(v)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (v) => expect(parseGoBool(v)).toBe(false));
  it.each(['', 'yes', 'tRuE', ' true', '2'])('%j is a syntax error', (v) => {
    expect(() => parseGoBool(v)).toThrow(BoolSyntaxError);
    expect(() => parseGoBool(v)).toThrow(`strconv.ParseBool: parsing "${v}": invalid syntax`);
  });
});

describe('queryBool (apimachinery query conversion)', () => {
  const q = (s: string) => new URLSearchParams(s);
  it.each(['watch=true', 'watch=True', 'watch=1', 'watch=', 'watch', 'watch=yes', 'watch=TRUE', 'watch=f', 'watch=no'])('%s is a watch', (s) => expect(queryBool(q(s), 'watch')).toBe(true));
  it.each(['', 'watch=false', 'watch=False', 'watch=0', 'watch=FALSE'])('%j is not', (s) => expect(queryBool(q(s), 'watch')).toBe(false));
});
