/**
 * The JWT claims of a ServiceAccount token: the registered ones (RFC 7519) and kube's private
 * `kubernetes.io` claim. Parsing is lenient where go-jose is (`aud` may be one string) and keeps unknown claims.
 */
import { z } from 'zod';

const RefSchema = z.looseObject({ name: z.string().optional(), uid: z.string().optional() });

export const PrivateClaimsSchema = z.looseObject({
  namespace: z.string().optional(),
  serviceaccount: RefSchema.optional(),
  pod: RefSchema.optional(),
  secret: RefSchema.optional(),
  node: RefSchema.optional(),
  /** NumericDate: past it the token still works, but is reported as stale */
  warnafter: z.number().optional(),
});
export type PrivateClaims = z.infer<typeof PrivateClaimsSchema>;

const NumericDate = z.number().transform(Math.trunc);

export const ServiceAccountClaimsSchema = z.looseObject({
  iss: z.string().optional(),
  sub: z.string().optional(),
  aud: z.union([z.string().transform((s) => [s]), z.array(z.string())]).optional(),
  exp: NumericDate.optional(),
  nbf: NumericDate.optional(),
  iat: NumericDate.optional(),
  jti: z.string().optional(),
  'kubernetes.io': PrivateClaimsSchema.optional(),
});
export type ServiceAccountClaims = z.infer<typeof ServiceAccountClaimsSchema>;
