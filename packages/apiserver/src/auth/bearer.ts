import type { AuthnRequest } from './types.js';

/** The token of `Authorization: Bearer <token>`, or undefined. An empty bearer token counts as none (as kube). */
export function bearerToken(req: AuthnRequest): string | undefined {
  const h = req.headers.authorization;
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(v.trim());
  return m && m[1].trim() !== '' ? m[1].trim() : undefined;
}
