import { z } from 'zod';
import { kindSchema } from './meta.js';
import { TimeSchema } from './primitives.js';

// authentication.k8s.io/v1: TokenRequest (the serviceaccounts/token subresource), TokenReview and
// SelfSubjectReview. None is stored: each is a request answered with its status filled in.

/** user.Info as the authentication API carries it; extra values are lists, as in Kubernetes. */
export const AuthnUserInfoSchema = z.looseObject({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
}).describe('An authenticated user: name, uid, groups and extra attributes.');
export type AuthnUserInfo = z.infer<typeof AuthnUserInfoSchema>;

/** Who a request is once authenticated (kube's user.Info), as the apiserver's and the kubelet's security stages carry it. */
export const UserInfoSchema = z.object({
  username: z.string(),
  uid: z.string().optional(),
  groups: z.array(z.string()),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});
export type UserInfo = z.infer<typeof UserInfoSchema>;

/** The object a token is bound to: a Pod, Secret or Node (its uid, when given, must match). */
export const BoundObjectReferenceSchema = z.looseObject({
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
});
export type BoundObjectReference = z.infer<typeof BoundObjectReferenceSchema>;

export const TokenRequestSpecSchema = z.looseObject({
  /** defaults to the apiserver's audiences (--api-audiences) */
  audiences: z.array(z.string()).optional(),
  /** defaults to 3600; at least 600 */
  expirationSeconds: z.number().int().optional(),
  boundObjectRef: BoundObjectReferenceSchema.optional(),
});

export const TokenRequestStatusSchema = z.looseObject({
  token: z.string(),
  expirationTimestamp: TimeSchema,
});

export const TokenRequestSchema = kindSchema({
  spec: TokenRequestSpecSchema.default(() => ({})),
  status: TokenRequestStatusSchema.optional(),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const TokenReviewSpecSchema = z.looseObject({
  token: z.string().optional(),
  audiences: z.array(z.string()).optional(),
}).describe('The token to check and the audiences it must be valid for.');

export const TokenReviewStatusSchema = z.looseObject({
  authenticated: z.boolean().optional(),
  user: AuthnUserInfoSchema.optional(),
  audiences: z.array(z.string()).optional(),
  error: z.string().optional(),
}).describe('Whether the token is valid, and if so the user it authenticates.');

export const TokenReviewSchema = kindSchema({
  spec: TokenReviewSpecSchema.default(() => ({})),
  status: TokenReviewStatusSchema.optional(),
}).describe('A TokenReview asks the API server whether a bearer token is valid and who it belongs to. It is answered, never stored.');
export type TokenReview = z.infer<typeof TokenReviewSchema>;

export const SelfSubjectReviewSchema = kindSchema({
  status: z.looseObject({ userInfo: AuthnUserInfoSchema.optional() }).optional(),
}).describe('A SelfSubjectReview returns who the API server thinks the caller is (kubectl auth whoami).');
export type SelfSubjectReview = z.infer<typeof SelfSubjectReviewSchema>;
