import { describe, expect, it } from 'vitest';
import { ageString, humanDuration } from './age.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [0, '0s'],
    [-1500, '0s'],
    [-5 * S, '<invalid>'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [5 * M + 10 * S, '5m10s'],
    [5 * M, '5m'],
    [15 * M + 30 * S, '15m'],
    [179 * M, '179m'],
    [3 * H + 2 * M, '3h2m'],
    [3 * H, '3h'],
    [10 * H + 5 * M, '10h'],
    [47 * H, '47h'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D, '7d'],
    [400 * D, '400d'],
    [3 * 365 * D + 20 * D, '3y20d'],
    [9 * 365 * D + 20 * D, '9y'],
  ])('%i ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('ageString', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it('accepts RFC 3339 strings and Dates', () => {
    expect(ageString('2024-05-01T11:55:00Z', now)).toBe('5m');
    expect(ageString(new Date('2024-04-29T09:00:00Z'), now)).toBe('2d3h');
    expect(ageString('2024-05-01T11:59:15.000Z', now)).toBe('45s');
  });
  it('says <unknown> for an absent or broken timestamp', () => {
    expect(ageString(undefined, now)).toBe('<unknown>');
    expect(ageString('not a date', now)).toBe('<unknown>');
  });
});
