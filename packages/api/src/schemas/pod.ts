import { z } from 'zod';
import { ContainerSchema, ContainerStatusSchema } from './container.js';
import { kindSchema, listSchema, ObjectMetaSchema } from './meta.js';
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
  name: z.string().describe('The name of the volume, referred to by volumeMounts.'),
  configMap: z
    .looseObject({
      name: z.string().optional(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional().describe('Files from the keys of a ConfigMap.'),
  secret: z
    .looseObject({
      secretName: z.string().optional(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional().describe('Files from the keys of a Secret.'),
  emptyDir: z.looseObject({ medium: z.string().optional(), sizeLimit: QuantitySchema.optional() }).optional().describe('An empty directory created with the pod and deleted with it.'),
  hostPath: z.looseObject({ path: z.string(), type: z.string().optional() }).optional().describe('A file or directory of the node.'),
  downwardAPI: z
    .looseObject({
      items: z.array(DownwardAPIVolumeFileSchema).optional(),
      defaultMode: z.number().int().optional(),
    })
    .optional(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  projected: ProjectedVolumeSourceSchema.optional(),
}).describe('A named volume that containers of the pod can mount. Exactly one source (configMap, secret, emptyDir, hostPath...) is set.');
export type Volume = z.infer<typeof VolumeSchema>;

export const TaintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const TolerationSchema = z.looseObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: TaintEffectSchema.optional(),
  tolerationSeconds: z.number().int().optional(),
}).describe('Lets the pod be scheduled onto (or keep running on) nodes whose taints match.');
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
}).describe('Rules that attract the pod to nodes, or to or away from other pods.');
export type Affinity = z.infer<typeof AffinitySchema>;

export const RestartPolicySchema = z.enum(['Always', 'OnFailure', 'Never']);
export type RestartPolicy = z.infer<typeof RestartPolicySchema>;

export const PodSpecSchema = z.looseObject({
  volumes: z.array(VolumeSchema).optional().describe('Volumes the containers of this pod can mount.'),
  initContainers: z.array(ContainerSchema).optional().describe('Containers run one after another, each to completion, before the main containers start.'),
  containers: z.array(ContainerSchema).describe('The containers of the pod. There must be at least one.'),
  restartPolicy: RestartPolicySchema.optional().describe('When the kubelet restarts exited containers: Always (the default), OnFailure or Never.'),
  terminationGracePeriodSeconds: z.number().int().optional().describe('Seconds the containers get to stop after SIGTERM before they are killed (default 30).'),
  activeDeadlineSeconds: z.number().int().optional().describe('Seconds the pod may run before it is marked failed.'),
  dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).optional().describe('How DNS is set up in the pod; ClusterFirst (the default) resolves cluster names first.'),
  nodeSelector: StringMapSchema.optional().describe('Labels a node must have for the pod to be scheduled there.'),
  serviceAccountName: z.string().optional().describe('The ServiceAccount the pod runs as (default "default").'),
  serviceAccount: z.string().optional(), // deprecated alias Kubernetes still fills in
  automountServiceAccountToken: z.boolean().optional().describe('Whether the service account token is mounted into the containers.'),
  nodeName: z.string().optional().describe('The node the pod runs on. The scheduler sets it; setting it yourself skips scheduling.'),
  hostNetwork: z.boolean().optional().describe('Use the node\'s network namespace instead of one of the pod\'s own.'),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  securityContext: z.looseObject({}).optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional().describe('Secrets with registry credentials used to pull the images.'),
  hostname: z.string().optional().describe('The hostname of the pod; defaults to its name.'),
  subdomain: z.string().optional(),
  affinity: AffinitySchema.optional().describe('Rules that attract the pod to nodes or to or away from other pods.'),
  schedulerName: z.string().optional().describe('The scheduler that places the pod (default "default-scheduler").'),
  tolerations: z.array(TolerationSchema).optional().describe('Taints the pod tolerates, so it may run on nodes that carry them.'),
  priorityClassName: z.string().optional().describe('The priority class of the pod; higher priorities are scheduled first and may preempt others.'),
  priority: z.number().int().optional(),
  readinessGates: z.array(z.looseObject({ conditionType: z.string() })).optional(),
  enableServiceLinks: z.boolean().optional(),
  preemptionPolicy: z.string().optional(),
  topologySpreadConstraints: z.array(z.looseObject({})).optional(),
}).describe('The desired state of a pod: its containers, volumes, and where and how it may run.');
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
}).describe('One aspect of a pod\'s state (PodScheduled, Initialized, ContainersReady, Ready) and whether it holds.');
export type PodCondition = z.infer<typeof PodConditionSchema>;

export const PodIPSchema = z.looseObject({ ip: z.string() });

export const PodStatusSchema = z.looseObject({
  phase: PodPhaseSchema.optional().describe('Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.'),
  conditions: z.array(PodConditionSchema).optional().describe('The pod\'s conditions (PodScheduled, Initialized, ContainersReady, Ready).'),
  message: z.string().optional(),
  reason: z.string().optional(),
  nominatedNodeName: z.string().optional(),
  hostIP: z.string().optional().describe('The IP address of the node the pod runs on.'),
  hostIPs: z.array(PodIPSchema).optional(),
  podIP: z.string().optional().describe('The IP address of the pod.'),
  podIPs: z.array(PodIPSchema).optional(),
  startTime: TimeSchema.optional().describe('When the kubelet accepted the pod.'),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional().describe('One entry per container, reported by the kubelet.'),
  qosClass: z.enum(['Guaranteed', 'Burstable', 'BestEffort']).optional().describe('The quality-of-service class derived from the resources: Guaranteed, Burstable or BestEffort.'),
}).describe('The most recently observed state of a pod, written by the kubelet and the scheduler.');
export type PodStatus = z.infer<typeof PodStatusSchema>;

export const PodSchema = kindSchema({
  // prefault: a missing spec is parsed as {} so the error names spec.containers, as Kubernetes does.
  spec: PodSpecSchema.prefault(() => ({}) as z.input<typeof PodSpecSchema>).describe('The desired state of the pod.'),
  status: PodStatusSchema.optional().describe('The observed state of the pod (read-only for users).'),
}).describe('A Pod is a group of containers that share a network namespace and volumes and are scheduled together onto one node.');
export type Pod = z.infer<typeof PodSchema>;
export const PodListSchema = listSchema(PodSchema);
export type PodList = z.infer<typeof PodListSchema>;

/** The pod template inside Deployments, ReplicaSets and DaemonSets. */
export const PodTemplateSpecSchema = z.looseObject({
  metadata: ObjectMetaSchema.optional().describe('Labels and annotations of the pods created from this template; the labels must match the selector.'),
  spec: PodSpecSchema.prefault(() => ({}) as z.input<typeof PodSpecSchema>).describe('The spec of the pods created from this template.'),
}).describe('The pod a controller creates: its metadata (labels, annotations) and spec.');
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;
