import { z } from 'zod';

// Building blocks shared by every kind. Kubernetes' JSON is decoded by Go into typed structs;
// zod plays that role here. Structs are `looseObject` so fields we do not model survive a
// read-modify-write round trip instead of being silently dropped.

/** RFC 3339 timestamp as Kubernetes writes it (`2024-01-02T03:04:05Z`; MicroTime has fractions). */
export const TimeSchema = z.string();

/** intstr.IntOrString: `targetPort: 8080` or `targetPort: http`, `maxSurge: 25%`. */
export const IntOrStringSchema = z.union([z.number().int(), z.string()]);
export type IntOrString = z.infer<typeof IntOrStringSchema>;

/**
 * resource.Quantity. JSON clients may send a bare number (`cpu: 1` in YAML); Kubernetes accepts
 * that and always writes a string back, so numbers are normalised to strings here.
 * Syntax is checked by validateObject (with parseQuantity), not here, so stored objects always parse.
 */
export const QuantitySchema = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v));

export const StringMapSchema = z.record(z.string(), z.string());
export const ResourceListSchema = z.record(z.string(), QuantitySchema);
export type ResourceList = z.infer<typeof ResourceListSchema>;

export const ConditionStatusSchema = z.enum(['True', 'False', 'Unknown']);

export const LabelSelectorRequirementSchema = z.looseObject({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
}).describe('One condition on a label: its key, an operator, and the values the operator compares with.');
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirementSchema>;

/** metav1.LabelSelector (the object form used by Deployments, ReplicaSets, affinity terms). */
export const LabelSelectorSchema = z.looseObject({
  matchLabels: StringMapSchema.optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
}).describe('Selects objects by their labels. All conditions must hold; an empty selector matches everything.');
/** Named `LabelSelectorSpec` so it cannot clash with the parsed selector type of labels.ts. */
export type LabelSelectorSpec = z.infer<typeof LabelSelectorSchema>;

/** metav1.Condition-like shape shared by the workload kinds' status conditions. */
export const WorkloadConditionSchema = z.looseObject({
  type: z.string(),
  status: ConditionStatusSchema,
  lastUpdateTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type WorkloadCondition = z.infer<typeof WorkloadConditionSchema>;

/** core/v1 ObjectReference (Event.involvedObject, Endpoints targetRef, Binding.target). */
export const ObjectReferenceSchema = z.looseObject({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
}).describe('Identifies another object by kind, namespace and name (and optionally uid and a field inside it).');
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

export const LocalObjectReferenceSchema = z.looseObject({ name: z.string().optional() }).describe('Names another object in the same namespace.');
