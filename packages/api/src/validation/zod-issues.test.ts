import { describe, expect, it } from 'vitest';
import { stripNulls } from '../strip-nulls.js';
import { fieldPath } from './zod-issues.js';

describe('fieldPath', () => {
  it('writes Kubernetes field paths', () => {
    expect(fieldPath(['spec', 'containers', 0, 'image'])).toBe('spec.containers[0].image');
    expect(fieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels[app.kubernetes.io/name]');
    expect(fieldPath([])).toBe('');
  });
});

describe('stripNulls', () => {
  it('drops null properties at any depth and keeps everything else', () => {
    expect(stripNulls({ a: null, b: { c: null, d: 0, e: [{ f: null, g: '' }] }, h: false })).toEqual({ b: { d: 0, e: [{ g: '' }] }, h: false });
    expect(stripNulls([null, 1])).toEqual([null, 1]);
  });
});
