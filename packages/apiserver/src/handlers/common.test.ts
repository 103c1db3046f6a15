import { describe, expect, it } from 'vitest';
import { checkObject, deleteOptions, dryRun } from './common.js';

const expect400 = (fn: () => unknown) => expect(fn).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));

describe('checkObject', () => {
  const want = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p' };
  it('fills in what the URL implies', () => {
    expect(checkObject({ metadata: {} }, want)).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  });
  it('rejects mismatches with 400', () => {
    expect400(() => checkObject([], want));
    expect400(() => checkObject({ apiVersion: 'apps/v1' }, want));
    expect400(() => checkObject({ kind: 'Service' }, want));
    expect400(() => checkObject({ metadata: { name: 'q' } }, want));
    expect400(() => checkObject({ metadata: { namespace: 'other' } }, want));
    expect400(() => checkObject({ metadata: 'x' }, want));
  });
});

describe('deleteOptions', () => {
  it('reads body and query (query wins)', () => {
    const o = deleteOptions({ kind: 'DeleteOptions', gracePeriodSeconds: 5, propagationPolicy: 'Foreground', preconditions: { uid: 'u' } }, new URLSearchParams('gracePeriodSeconds=0'));
    expect(o).toEqual({ dryRun: false, gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u' } });
    expect(deleteOptions(undefined, new URLSearchParams('dryRun=All')).dryRun).toBe(true);
    expect(deleteOptions({ dryRun: ['All'] }, new URLSearchParams()).dryRun).toBe(true);
  });
  it('rejects invalid values', () => {
    expect400(() => deleteOptions({ propagationPolicy: 'Sometimes' }, new URLSearchParams()));
    expect400(() => deleteOptions({}, new URLSearchParams('gracePeriodSeconds=soon')));
    expect400(() => dryRun(new URLSearchParams('dryRun=Yes')));
  });
});
