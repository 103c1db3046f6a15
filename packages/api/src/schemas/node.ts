import { z } from 'zod';
import { ObjectMetaFieldSchema, listSchema } from './meta.js';
import { ConditionStatusSchema, ResourceListSchema, TimeSchema } from './primitives.js';
import { TaintEffectSchema } from './pod.js';

// core/v1 Node and Namespace (the cluster-scoped core kinds).

export const TaintSchema = z.looseObject({
  key: z.string(),
  value: z.string().optional(),
  effect: TaintEffectSchema,
  timeAdded: TimeSchema.optional(),
});
export type Taint = z.infer<typeof TaintSchema>;

export const NodeSpecSchema = z.looseObject({
  podCIDR: z.string().optional(),
  podCIDRs: z.array(z.string()).optional(),
  providerID: z.string().optional(),
  unschedulable: z.boolean().optional(),
  taints: z.array(TaintSchema).optional(),
});

export const NodeConditionSchema = z.looseObject({
  type: z.string(), // Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable
  status: ConditionStatusSchema,
  lastHeartbeatTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NodeCondition = z.infer<typeof NodeConditionSchema>;

export const NodeAddressSchema = z.looseObject({
  type: z.string(), // Hostname, InternalIP, ExternalIP, InternalDNS, ExternalDNS
  address: z.string(),
});

export const NodeSystemInfoSchema = z.looseObject({
  machineID: z.string().optional(),
  systemUUID: z.string().optional(),
  bootID: z.string().optional(),
  kernelVersion: z.string().optional(),
  osImage: z.string().optional(),
  containerRuntimeVersion: z.string().optional(),
  kubeletVersion: z.string().optional(),
  kubeProxyVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  architecture: z.string().optional(),
});

export const NodeStatusSchema = z.looseObject({
  capacity: ResourceListSchema.optional(),
  allocatable: ResourceListSchema.optional(),
  phase: z.string().optional(),
  conditions: z.array(NodeConditionSchema).optional(),
  addresses: z.array(NodeAddressSchema).optional(),
  daemonEndpoints: z.looseObject({ kubeletEndpoint: z.looseObject({ Port: z.number().int() }).optional() }).optional(),
  nodeInfo: NodeSystemInfoSchema.optional(),
  images: z.array(z.looseObject({ names: z.array(z.string()).optional(), sizeBytes: z.number().optional() })).optional(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const NodeSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: NodeSpecSchema.default(() => ({})),
  status: NodeStatusSchema.optional(),
});
export type Node = z.infer<typeof NodeSchema>;
export const NodeListSchema = listSchema(NodeSchema);
export type NodeList = z.infer<typeof NodeListSchema>;

export const NamespaceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: z.looseObject({ finalizers: z.array(z.string()).optional() }).default(() => ({})),
  status: z
    .looseObject({
      phase: z.enum(['Active', 'Terminating']).optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: ConditionStatusSchema })).optional(),
    })
    .optional(),
});
export type Namespace = z.infer<typeof NamespaceSchema>;
export const NamespaceListSchema = listSchema(NamespaceSchema);
export type NamespaceList = z.infer<typeof NamespaceListSchema>;
