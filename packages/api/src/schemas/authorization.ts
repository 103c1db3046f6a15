import { z } from 'zod';
import { kindSchema } from './meta.js';

// authorization.k8s.io/v1: SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and
// SelfSubjectRulesReview. None is stored: each is a question answered with its status filled in.

export const ResourceAttributesSchema = z.looseObject({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
}).describe('A request on a resource: verb, group, resource, subresource, namespace and name.');
export type ResourceAttributes = z.infer<typeof ResourceAttributesSchema>;

export const NonResourceAttributesSchema = z.looseObject({
  path: z.string().optional(),
  verb: z.string().optional(),
}).describe('A request on a URL path that is not a resource, such as /healthz.');

export const SubjectAccessReviewStatusSchema = z.looseObject({
  allowed: z.boolean(),
  denied: z.boolean().optional(),
  reason: z.string().optional(),
  evaluationError: z.string().optional(),
}).describe('Whether the request is allowed, and why.');

export const SubjectAccessReviewSpecSchema = z.looseObject({
  resourceAttributes: ResourceAttributesSchema.optional(),
  nonResourceAttributes: NonResourceAttributesSchema.optional(),
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
  uid: z.string().optional(),
}).describe('The user and the request to check: a resource request or a non-resource URL.');

const review = <S extends z.ZodType>(spec: S) => kindSchema({
  spec,
  status: SubjectAccessReviewStatusSchema.optional(),
});

export const SubjectAccessReviewSchema = review(SubjectAccessReviewSpecSchema).describe('A SubjectAccessReview asks whether a given user may perform a request. It is answered, never stored.');
export type SubjectAccessReview = z.infer<typeof SubjectAccessReviewSchema>;
export const LocalSubjectAccessReviewSchema = review(SubjectAccessReviewSpecSchema).describe('A LocalSubjectAccessReview asks whether a given user may perform a request in this namespace.');

export const SelfSubjectAccessReviewSpecSchema = z.looseObject({
  resourceAttributes: ResourceAttributesSchema.optional(),
  nonResourceAttributes: NonResourceAttributesSchema.optional(),
});
export const SelfSubjectAccessReviewSchema = review(SelfSubjectAccessReviewSpecSchema).describe('A SelfSubjectAccessReview asks whether the caller may perform a request (kubectl auth can-i).');
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema>;

export const ResourceRuleSchema = z.looseObject({
  verbs: z.array(z.string()),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
});
export const NonResourceRuleSchema = z.looseObject({
  verbs: z.array(z.string()),
  nonResourceURLs: z.array(z.string()).optional(),
});

export const SelfSubjectRulesReviewSchema = kindSchema({
  spec: z.looseObject({ namespace: z.string().optional() }).default(() => ({})),
  status: z.looseObject({
    resourceRules: z.array(ResourceRuleSchema),
    nonResourceRules: z.array(NonResourceRuleSchema),
    incomplete: z.boolean(),
    evaluationError: z.string().optional(),
  }).optional(),
}).describe('A SelfSubjectRulesReview lists what the caller may do in a namespace (kubectl auth can-i --list).');
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema>;
