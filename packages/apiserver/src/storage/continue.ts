/**
 * List continue tokens in Kubernetes' format: base64url(JSON {v, rv, start}), where `start` is the next key
 * to read relative to the resource's key prefix and `rv` the revision every page is read at.
 */
import { badRequest } from '@tinykube/api';

export interface ContinueToken { rv: number; start: string }

export function encodeContinue(rv: number, startRelative: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: startRelative })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p === null || typeof p !== 'object' || p.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || p.rv <= 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || p.start.startsWith('/') || p.start.includes('..')) throw badRequest('continue key is not valid: invalid start key');
  return { rv: p.rv, start: p.start };
}

export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
