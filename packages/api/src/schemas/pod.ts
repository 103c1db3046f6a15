import { z } from 'zod';
import { ContainerSchema, ContainerStatusSchema } from './container.js';
import { ObjectMetaFieldSchema, ObjectMetaSchema, listSchema } from './meta.js';
import {
  ConditionStatusSchema,
  LabelSelectorSchema,
  LocalObjectReferenceSchema,
  QuantitySchema,
  StringMapSchema,
  TimeSchema,
} from './primitives.js';

// core/v1 Pod, PodSpec, PodStatus, PodTemplateSpec, volumes and scheduling constraints.

const KeyToPath = z.looseObject({ key: z.string(), path: z.string(), mode: z.number().int().optional() });

export const DownwardAPIVolumeFileSchema = z.looseObject({
  path: z.string(),
  fieldRef: z.looseObject({ apiVersion: z.string().optional(), fieldPath: z.string() }).optional(),
  resourceFieldRef: z.looseObject({ containerName: z.string().optional(), resource: z.string(), divisor: QuantitySchema.optional() }).optional(),
  mode: z.number().int().optional(),
});
export type DownwardAPIVolumeFile = z.infer<typeof DownwardAPIVolumeFileSchema>;

/** One source of a projected volume: exactly one of its fields is set (validation says so). */
export const VolumeProjectionSchema = z.looseObject({
  secret: z.looseObject({ name: z.string().optional(), items: z.array(KeyToPath).optional(), optional: z.boolean().optional() }).optional(),
  configMap: z.looseObject({ name: z.string().optional(), items: z.array(KeyToPath).optional(), optional: z.boolean().optional() }).optional(),
  downwardAPI: z.looseObject({ items: z.array(DownwardAPIVolumeFileSchema).optional() }).optional(),
  serviceAccountToken: z
    .looseObject({
      /** empty: the apiserver's own audiences */
      audience: z.string().optional(),
      /** defaults to 3600; at least 600 */
      expirationSeconds: z.number().int().optional(),
      path: z.string(),
    })
    .optional(),
  clusterTrustBundle: z.looseObject({}).optional(),
});
export type VolumeProjection = z.infer<typeof VolumeProjectionSchema>;

export const ProjectedVolumeSourceSchema = z.looseObject({
  sources: z.array(VolumeProjectionSchema).optional(),
  defaultMode: z.number().int().optional(),
});
export type ProjectedVolumeSource = z.infer<typeof ProjectedVolumeSourceSchema>;

export const VolumeSchema = z.looseObject({
  name: z.string(),
  configMap: z
    .looseObject({
      name: z.string().optional(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  secret: z
    .looseObject({
      secretName: z.string().optional(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  emptyDir: z.looseObject({ medium: z.string().optional(), sizeLimit: QuantitySchema.optional() }).optional(),
  hostPath: z.looseObject({ path: z.string(), type: z.string().optional() }).optional(),
  downwardAPI: z
    .looseObject({
      items: z.array(DownwardAPIVolumeFileSchema).optional(),
      defaultMode: z.number().int().optional(),
    })
    .optional(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  projected: ProjectedVolumeSourceSchema.optional(),
});
export type Volume = z.infer<typeof VolumeSchema>;

export const TaintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const TolerationSchema = z.looseObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: TaintEffectSchema.optional(),
  tolerationSeconds: z.number().int().optional(),
});
export type Toleration = z.infer<typeof TolerationSchema>;

export const NodeSelectorRequirementSchema = z.looseObject({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).optional(),
});
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirementSchema>;
export const NodeSelectorTermSchema = z.looseObject({
  matchExpressions: z.array(NodeSelectorRequirementSchema).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema).optional(),
});
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;

export const NodeAffinitySchema = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: z
    .looseObject({ nodeSelectorTerms: z.array(NodeSelectorTermSchema) })
    .optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.looseObject({ weight: z.number().int(), preference: NodeSelectorTermSchema }))
    .optional(),
});
export type NodeAffinity = z.infer<typeof NodeAffinitySchema>;

const PodAffinityTerm = z.looseObject({
  labelSelector: LabelSelectorSchema.optional(),
  namespaces: z.array(z.string()).optional(),
  topologyKey: z.string(),
});
const PodAffinityRules = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.looseObject({ weight: z.number().int(), podAffinityTerm: PodAffinityTerm }))
    .optional(),
});

export const AffinitySchema = z.looseObject({
  nodeAffinity: NodeAffinitySchema.optional(),
  podAffinity: PodAffinityRules.optional(),
  podAntiAffinity: PodAffinityRules.optional(),
});
export type Affinity = z.infer<typeof AffinitySchema>;

export const RestartPolicySchema = z.enum(['Always', 'OnFailure', 'Never']);
export type RestartPolicy = z.infer<typeof RestartPolicySchema>;

export const PodSpecSchema = z.looseObject({
  volumes: z.array(VolumeSchema).optional(),
  initContainers: z.array(ContainerSchema).optional(),
  containers: z.array(ContainerSchema),
  restartPolicy: RestartPolicySchema.optional(),
  terminationGracePeriodSeconds: z.number().int().optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).optional(),
  nodeSelector: StringMapSchema.optional(),
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(), // deprecated alias Kubernetes still fills in
  automountServiceAccountToken: z.boolean().optional(),
  nodeName: z.string().optional(),
  hostNetwork: z.boolean().optional(),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  securityContext: z.looseObject({}).optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
  affinity: AffinitySchema.optional(),
  schedulerName: z.string().optional(),
  tolerations: z.array(TolerationSchema).optional(),
  priorityClassName: z.string().optional(),
  priority: z.number().int().optional(),
  readinessGates: z.array(z.looseObject({ conditionType: z.string() })).optional(),
  enableServiceLinks: z.boolean().optional(),
  preemptionPolicy: z.string().optional(),
  topologySpreadConstraints: z.array(z.looseObject({})).optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

export const PodPhaseSchema = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
export type PodPhase = z.infer<typeof PodPhaseSchema>;

export const PodConditionSchema = z.looseObject({
  type: z.string(), // PodScheduled, Initialized, ContainersReady, Ready, or a readiness gate
  status: ConditionStatusSchema,
  lastProbeTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

export const PodIPSchema = z.looseObject({ ip: z.string() });

export const PodStatusSchema = z.looseObject({
  phase: PodPhaseSchema.optional(),
  conditions: z.array(PodConditionSchema).optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  nominatedNodeName: z.string().optional(),
  hostIP: z.string().optional(),
  hostIPs: z.array(PodIPSchema).optional(),
  podIP: z.string().optional(),
  podIPs: z.array(PodIPSchema).optional(),
  startTime: TimeSchema.optional(),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  qosClass: z.enum(['Guaranteed', 'Burstable', 'BestEffort']).optional(),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;

export const PodSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  // prefault: a missing spec is parsed as {} so the error names spec.containers, as Kubernetes does.
  spec: PodSpecSchema.prefault(() => ({}) as z.input<typeof PodSpecSchema>),
  status: PodStatusSchema.optional(),
});
export type Pod = z.infer<typeof PodSchema>;
export const PodListSchema = listSchema(PodSchema);
export type PodList = z.infer<typeof PodListSchema>;

/** The pod template inside Deployments, ReplicaSets and DaemonSets. */
export const PodTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema.prefault(() => ({}) as z.input<typeof PodSpecSchema>),
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;
