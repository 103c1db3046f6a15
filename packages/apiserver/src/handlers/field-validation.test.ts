import { describe, expect, it } from 'vitest';
import { isApiError } from '@tinykube/api';
import type { RequestContext } from '../http.js';
import { checkFields } from './field-validation.js';

function fakeCtx(query: string): { ctx: RequestContext; headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  const ctx = { query: new URLSearchParams(query), res: { setHeader: (k: string, v: unknown) => { headers[k] = v; } } };
  return { ctx: ctx as unknown as RequestContext, headers };
}

const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: {} };

describe('checkFields', () => {
  it('Strict refuses unknown fields with Kubernetes\' message', () => {
    const { ctx } = fakeCtx('fieldValidation=Strict');
    try {
      checkFields(ctx, 'v1', 'ConfigMap', bad);
      expect.unreachable();
    } catch (err) {
      expect(isApiError(err) && err.code).toBe(400);
      expect((err as Error).message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
    }
  });

  it('Warn (and no parameter) answers Warning headers; Ignore checks nothing', () => {
    for (const q of ['fieldValidation=Warn', '']) {
      const { ctx, headers } = fakeCtx(q);
      checkFields(ctx, 'v1', 'ConfigMap', bad);
      expect(headers.Warning).toEqual(['299 - "unknown field \\"spec\\""']);
    }
    const { ctx, headers } = fakeCtx('fieldValidation=Ignore');
    checkFields(ctx, 'v1', 'ConfigMap', bad);
    expect(headers.Warning).toBeUndefined();
  });

  it('rejects an unknown directive', () => {
    expect(() => checkFields(fakeCtx('fieldValidation=Loud').ctx, 'v1', 'ConfigMap', bad)).toThrow(/Unsupported value: "Loud"/);
  });
});
