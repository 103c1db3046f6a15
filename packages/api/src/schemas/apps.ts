import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { IntOrStringSchema, LabelSelectorSchema, WorkloadConditionSchema } from './primitives.js';
import { PodTemplateSpecSchema } from './pod.js';

// apps/v1 Deployment, ReplicaSet, DaemonSet.

export const RollingUpdateDeploymentSchema = z.looseObject({
  maxUnavailable: IntOrStringSchema.optional().describe('How many pods (a number, or a percentage of replicas) may be unavailable during the update (default 25%).'),
  maxSurge: IntOrStringSchema.optional().describe('How many pods (a number, or a percentage of replicas) may exist above replicas during the update (default 25%).'),
}).describe('Bounds on a rolling update: how many pods may be missing or extra while it runs.');

export const DeploymentStrategySchema = z.looseObject({
  type: z.enum(['RollingUpdate', 'Recreate']).optional(),
  rollingUpdate: RollingUpdateDeploymentSchema.optional(),
}).describe('How a Deployment replaces old pods with new ones.');

export const DeploymentSpecSchema = z.looseObject({
  replicas: z.number().int().optional().describe('How many pods to run (default 1).'),
  selector: LabelSelectorSchema.optional().describe('Selects the pods the Deployment owns; must match the template\'s labels. Required.'), // required: validateObject says so in Kubernetes' words
  template: PodTemplateSpecSchema.prefault({}).describe('The pods to create.'),
  strategy: DeploymentStrategySchema.optional().describe('How old pods are replaced: RollingUpdate (the default) or Recreate.'),
  minReadySeconds: z.number().int().optional().describe('Seconds a new pod must stay ready before it counts as available.'),
  revisionHistoryLimit: z.number().int().optional().describe('How many old ReplicaSets to keep for rollbacks (default 10).'),
  paused: z.boolean().optional().describe('While true, changes to the template are not rolled out.'),
  progressDeadlineSeconds: z.number().int().optional().describe('Seconds a rollout may make no progress before it is reported as failed (default 600).'),
}).describe('The desired state of a Deployment: how many replicas, which pods it owns, the pod template and the rollout strategy.');
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const DeploymentStatusSchema = z.looseObject({
  observedGeneration: z.number().int().optional().describe('The generation of the spec the controller last acted on.'),
  replicas: z.number().int().optional().describe('Pods owned by the Deployment.'),
  updatedReplicas: z.number().int().optional().describe('Pods created from the current template.'),
  readyReplicas: z.number().int().optional().describe('Pods that are ready.'),
  availableReplicas: z.number().int().optional().describe('Pods that have been ready for at least minReadySeconds.'),
  unavailableReplicas: z.number().int().optional(),
  conditions: z.array(WorkloadConditionSchema).optional(),
  collisionCount: z.number().int().optional(),
}).describe('The most recently observed state of a Deployment, written by its controller.');
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

export const DeploymentSchema = kindSchema({
  spec: DeploymentSpecSchema.prefault({}),
  status: DeploymentStatusSchema.optional(),
}).describe('A Deployment keeps a number of identical pods running and rolls out changes to them through ReplicaSets.');
export type Deployment = z.infer<typeof DeploymentSchema>;
export const DeploymentListSchema = listSchema(DeploymentSchema);
export type DeploymentList = z.infer<typeof DeploymentListSchema>;

export const ReplicaSetSpecSchema = z.looseObject({
  replicas: z.number().int().optional().describe('How many pods to run (default 1).'),
  minReadySeconds: z.number().int().optional(),
  selector: LabelSelectorSchema.optional().describe('Selects the pods the ReplicaSet owns; must match the template\'s labels.'),
  template: PodTemplateSpecSchema.prefault({}).describe('The pods to create when there are too few.'),
}).describe('The desired state of a ReplicaSet: how many replicas, which pods it owns and the template for new ones.');

export const ReplicaSetStatusSchema = z.looseObject({
  replicas: z.number().int().optional(),
  fullyLabeledReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(WorkloadConditionSchema).optional(),
}).describe('The most recently observed state of a ReplicaSet, written by its controller.');
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatusSchema>;

export const ReplicaSetSchema = kindSchema({
  spec: ReplicaSetSpecSchema.prefault({}),
  status: ReplicaSetStatusSchema.optional(),
}).describe('A ReplicaSet keeps a given number of pods matching its selector running. Deployments manage them.');
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;
export const ReplicaSetListSchema = listSchema(ReplicaSetSchema);
export type ReplicaSetList = z.infer<typeof ReplicaSetListSchema>;

export const DaemonSetUpdateStrategySchema = z.looseObject({
  type: z.enum(['RollingUpdate', 'OnDelete']).optional(),
  rollingUpdate: z
    .looseObject({ maxUnavailable: IntOrStringSchema.optional(), maxSurge: IntOrStringSchema.optional() })
    .optional(),
}).describe('How a DaemonSet replaces its pods when the template changes.');

export const DaemonSetSpecSchema = z.looseObject({
  selector: LabelSelectorSchema.optional().describe('Selects the pods the DaemonSet owns; must match the template\'s labels.'),
  template: PodTemplateSpecSchema.prefault({}).describe('The pod to run on each node.'),
  updateStrategy: DaemonSetUpdateStrategySchema.optional().describe('How pods are replaced when the template changes: RollingUpdate (the default) or OnDelete.'),
  minReadySeconds: z.number().int().optional(),
  revisionHistoryLimit: z.number().int().optional(),
}).describe('The desired state of a DaemonSet: which pods it owns, the pod template and how updates roll out.');

export const DaemonSetStatusSchema = z.looseObject({
  currentNumberScheduled: z.number().int().optional(),
  numberMisscheduled: z.number().int().optional(),
  desiredNumberScheduled: z.number().int().optional(),
  numberReady: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  updatedNumberScheduled: z.number().int().optional(),
  numberAvailable: z.number().int().optional(),
  numberUnavailable: z.number().int().optional(),
  collisionCount: z.number().int().optional(),
  conditions: z.array(WorkloadConditionSchema).optional(),
}).describe('The most recently observed state of a DaemonSet: how many nodes run its pod and how many are up to date.');
export type DaemonSetStatus = z.infer<typeof DaemonSetStatusSchema>;

export const DaemonSetSchema = kindSchema({
  spec: DaemonSetSpecSchema.prefault({}),
  status: DaemonSetStatusSchema.optional(),
}).describe('A DaemonSet runs one copy of a pod on every node (or on every node its template selects).');
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
export const DaemonSetListSchema = listSchema(DaemonSetSchema);
export type DaemonSetList = z.infer<typeof DaemonSetListSchema>;
