import { describe, expect, it } from 'vitest';
import { parseChanges } from './label.js';

describe('parseChanges', () => {
  it('separates resources, key=value and key-', () => {
    expect(parseChanges(['pods', 'web', 'app=web', 'tier-', 'x='])).toEqual({ resources: ['pods', 'web'], set: { app: 'web', x: '' }, remove: ['tier'] });
    expect(parseChanges(['deploy/web', 'a=b'])).toEqual({ resources: ['deploy/web'], set: { a: 'b' }, remove: [] });
  });

  it('refuses to set and remove the same key', () => {
    expect(() => parseChanges(['po', 'p', 'a=b', 'a-'])).toThrow(/both modify and remove/);
  });
});
