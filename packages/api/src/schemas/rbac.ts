import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { LabelSelectorSchema } from './primitives.js';

// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
// Go decodes an absent string or slice as its zero value and leaves the complaint to validation,
// so the fields validation words its own messages for (verbs, roleRef, subject kind/name) default
// to '' / [] here instead of failing the parse.

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const PolicyRuleSchema = z.looseObject({
  /** `*` means every verb */
  verbs: z.array(z.string()).default(() => []),
  /** '' is the core group; `*` every group */
  apiGroups: z.array(z.string()).optional(),
  // `pods`, `pods/log`, `*` or `*/scale` (every resource's scale subresource)
  resources: z.array(z.string()).optional(),
  /** an allow-list of object names; empty means all */
  resourceNames: z.array(z.string()).optional(),
  /** non-resource paths (`/healthz`, `/apis/*`); only in ClusterRoles */
  nonResourceURLs: z.array(z.string()).optional(),
}).describe('One permission: verbs allowed on resources of API groups (optionally only some names), or on non-resource URLs.');
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const SubjectSchema = z.looseObject({
  /** User, Group or ServiceAccount */
  kind: z.string().default(''),
  /** defaults to rbac.authorization.k8s.io for User and Group, '' for ServiceAccount */
  apiGroup: z.string().optional(),
  name: z.string().default(''),
  /** ServiceAccounts only; in a RoleBinding it defaults to the binding's namespace */
  namespace: z.string().optional(),
}).describe('Who a binding grants to: a User, a Group or a ServiceAccount.');
export type Subject = z.infer<typeof SubjectSchema>;

export const RoleRefSchema = z.looseObject({
  apiGroup: z.string().default(''),
  /** Role or ClusterRole */
  kind: z.string().default(''),
  name: z.string().default(''),
}).describe('The Role or ClusterRole a binding grants.');
export type RoleRef = z.infer<typeof RoleRefSchema>;

export const AggregationRuleSchema = z.looseObject({
  /** a ClusterRole matching any selector contributes its rules */
  clusterRoleSelectors: z.array(LabelSelectorSchema).optional(),
}).describe('Selects ClusterRoles whose rules are combined into this one.');
export type AggregationRule = z.infer<typeof AggregationRuleSchema>;

export const RoleSchema = kindSchema({
  rules: z.array(PolicyRuleSchema).optional(),
}).describe('A Role is a set of permissions inside one namespace.');
export type Role = z.infer<typeof RoleSchema>;
export const RoleListSchema = listSchema(RoleSchema);
export type RoleList = z.infer<typeof RoleListSchema>;

export const ClusterRoleSchema = kindSchema({
  rules: z.array(PolicyRuleSchema).optional(),
  /** when set, `rules` is controller-managed: the clusterrole-aggregation controller overwrites it */
  aggregationRule: AggregationRuleSchema.optional(),
}).describe('A ClusterRole is a set of permissions that applies cluster-wide, or in a namespace when bound by a RoleBinding.');
export type ClusterRole = z.infer<typeof ClusterRoleSchema>;
export const ClusterRoleListSchema = listSchema(ClusterRoleSchema);
export type ClusterRoleList = z.infer<typeof ClusterRoleListSchema>;

export const RoleBindingSchema = kindSchema({
  subjects: z.array(SubjectSchema).optional(),
  /** a Role in the binding's namespace or a ClusterRole; immutable */
  roleRef: RoleRefSchema.default(() => ({ apiGroup: '', kind: '', name: '' })),
}).describe('A RoleBinding grants the permissions of a Role or ClusterRole to subjects, inside one namespace.');
export type RoleBinding = z.infer<typeof RoleBindingSchema>;
export const RoleBindingListSchema = listSchema(RoleBindingSchema);
export type RoleBindingList = z.infer<typeof RoleBindingListSchema>;

export const ClusterRoleBindingSchema = kindSchema({
  subjects: z.array(SubjectSchema).optional(),
  /** a ClusterRole; immutable */
  roleRef: RoleRefSchema.default(() => ({ apiGroup: '', kind: '', name: '' })),
}).describe('A ClusterRoleBinding grants the permissions of a ClusterRole to subjects in every namespace.');
export type ClusterRoleBinding = z.infer<typeof ClusterRoleBindingSchema>;
export const ClusterRoleBindingListSchema = listSchema(ClusterRoleBindingSchema);
export type ClusterRoleBindingList = z.infer<typeof ClusterRoleBindingListSchema>;
