import { describe, expect, it } from 'vitest';
import { ApiError, isAlreadyExists, isConflict, isExpired, isGone, isInvalid, isNotFound, isTooManyRequests } from './index.js';

describe('ApiError', () => {
  it('is rebuilt from a Status with code, reason, message and details', () => {
    const e = ApiError.fromResponse(422, {
      kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, message: 'Pod "x" is invalid',
      details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueRequired', field: 'spec.containers[0].image', message: 'Required value' }] },
    });
    expect(e).toMatchObject({ code: 422, reason: 'Invalid', message: 'Pod "x" is invalid' });
    expect(e.details?.causes?.[0].field).toBe('spec.containers[0].image');
    expect(isInvalid(e)).toBe(true);
    expect(isNotFound(e)).toBe(false);
  });

  it('derives a reason from the code when the body is not a Status', () => {
    const e = ApiError.fromResponse(404, undefined, '404 page not found');
    expect(e).toMatchObject({ code: 404, reason: 'NotFound', message: '404 page not found' });
    expect(isNotFound(e)).toBe(true);
  });

  it('classifies by reason, not message', () => {
    const mk = (code: number, reason: string) => new ApiError({ kind: 'Status', code, reason, message: 'x' });
    expect(isConflict(mk(409, 'Conflict'))).toBe(true);
    expect(isConflict(mk(409, 'AlreadyExists'))).toBe(false);
    expect(isAlreadyExists(mk(409, 'AlreadyExists'))).toBe(true);
    expect(isGone(mk(410, 'Expired'))).toBe(true);
    expect(isExpired(mk(410, 'Gone'))).toBe(true);
    expect(isTooManyRequests(mk(429, 'TooManyRequests'))).toBe(true);
    expect(isNotFound(new Error('NotFound'))).toBe(false);
  });
});
