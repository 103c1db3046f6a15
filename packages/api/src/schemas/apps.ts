import { z } from 'zod';
import { ObjectMetaFieldSchema, listSchema } from './meta.js';
import { IntOrStringSchema, LabelSelectorSchema, WorkloadConditionSchema } from './primitives.js';
import { PodTemplateSpecSchema } from './pod.js';

// apps/v1 Deployment, ReplicaSet, DaemonSet.

export const RollingUpdateDeploymentSchema = z.looseObject({
  maxUnavailable: IntOrStringSchema.optional(),
  maxSurge: IntOrStringSchema.optional(),
});

export const DeploymentStrategySchema = z.looseObject({
  type: z.enum(['RollingUpdate', 'Recreate']).optional(),
  rollingUpdate: RollingUpdateDeploymentSchema.optional(),
});

export const DeploymentSpecSchema = z.looseObject({
  replicas: z.number().int().optional(),
  selector: LabelSelectorSchema.optional(), // required: validateObject says so in Kubernetes' words
  template: PodTemplateSpecSchema.prefault({}),
  strategy: DeploymentStrategySchema.optional(),
  minReadySeconds: z.number().int().optional(),
  revisionHistoryLimit: z.number().int().optional(),
  paused: z.boolean().optional(),
  progressDeadlineSeconds: z.number().int().optional(),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const DeploymentStatusSchema = z.looseObject({
  observedGeneration: z.number().int().optional(),
  replicas: z.number().int().optional(),
  updatedReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  unavailableReplicas: z.number().int().optional(),
  conditions: z.array(WorkloadConditionSchema).optional(),
  collisionCount: z.number().int().optional(),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

export const DeploymentSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: DeploymentSpecSchema.prefault({}),
  status: DeploymentStatusSchema.optional(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;
export const DeploymentListSchema = listSchema(DeploymentSchema);
export type DeploymentList = z.infer<typeof DeploymentListSchema>;

export const ReplicaSetSpecSchema = z.looseObject({
  replicas: z.number().int().optional(),
  minReadySeconds: z.number().int().optional(),
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.prefault({}),
});

export const ReplicaSetStatusSchema = z.looseObject({
  replicas: z.number().int().optional(),
  fullyLabeledReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(WorkloadConditionSchema).optional(),
});
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatusSchema>;

export const ReplicaSetSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: ReplicaSetSpecSchema.prefault({}),
  status: ReplicaSetStatusSchema.optional(),
});
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;
export const ReplicaSetListSchema = listSchema(ReplicaSetSchema);
export type ReplicaSetList = z.infer<typeof ReplicaSetListSchema>;

export const DaemonSetUpdateStrategySchema = z.looseObject({
  type: z.enum(['RollingUpdate', 'OnDelete']).optional(),
  rollingUpdate: z
    .looseObject({ maxUnavailable: IntOrStringSchema.optional(), maxSurge: IntOrStringSchema.optional() })
    .optional(),
});

export const DaemonSetSpecSchema = z.looseObject({
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.prefault({}),
  updateStrategy: DaemonSetUpdateStrategySchema.optional(),
  minReadySeconds: z.number().int().optional(),
  revisionHistoryLimit: z.number().int().optional(),
});

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
});
export type DaemonSetStatus = z.infer<typeof DaemonSetStatusSchema>;

export const DaemonSetSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: DaemonSetSpecSchema.prefault({}),
  status: DaemonSetStatusSchema.optional(),
});
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
export const DaemonSetListSchema = listSchema(DaemonSetSchema);
export type DaemonSetList = z.infer<typeof DaemonSetListSchema>;
