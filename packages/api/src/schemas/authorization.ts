import { z } from 'zod';
import { ObjectMetaFieldSchema } from './meta.js';

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
});
export type ResourceAttributes = z.infer<typeof ResourceAttributesSchema>;

export const NonResourceAttributesSchema = z.looseObject({
  path: z.string().optional(),
  verb: z.string().optional(),
});

export const SubjectAccessReviewStatusSchema = z.looseObject({
  allowed: z.boolean(),
  denied: z.boolean().optional(),
  reason: z.string().optional(),
  evaluationError: z.string().optional(),
});

export const SubjectAccessReviewSpecSchema = z.looseObject({
  resourceAttributes: ResourceAttributesSchema.optional(),
  nonResourceAttributes: NonResourceAttributesSchema.optional(),
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
  uid: z.string().optional(),
});

const review = <S extends z.ZodType>(spec: S) => z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec,
  status: SubjectAccessReviewStatusSchema.optional(),
});

export const SubjectAccessReviewSchema = review(SubjectAccessReviewSpecSchema);
export type SubjectAccessReview = z.infer<typeof SubjectAccessReviewSchema>;
export const LocalSubjectAccessReviewSchema = review(SubjectAccessReviewSpecSchema);

export const SelfSubjectAccessReviewSpecSchema = z.looseObject({
  resourceAttributes: ResourceAttributesSchema.optional(),
  nonResourceAttributes: NonResourceAttributesSchema.optional(),
});
export const SelfSubjectAccessReviewSchema = review(SelfSubjectAccessReviewSpecSchema);
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

export const SelfSubjectRulesReviewSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: z.looseObject({ namespace: z.string().optional() }).default(() => ({})),
  status: z.looseObject({
    resourceRules: z.array(ResourceRuleSchema),
    nonResourceRules: z.array(NonResourceRuleSchema),
    incomplete: z.boolean(),
    evaluationError: z.string().optional(),
  }).optional(),
});
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema>;
