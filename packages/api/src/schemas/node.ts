import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { ConditionStatusSchema, ResourceListSchema, TimeSchema } from './primitives.js';
import { TaintEffectSchema } from './pod.js';

// core/v1 Node and Namespace (the cluster-scoped core kinds).

export const TaintSchema = z.looseObject({
  key: z.string(),
  value: z.string().optional(),
  effect: TaintEffectSchema,
  timeAdded: TimeSchema.optional(),
}).describe('Keeps pods that do not tolerate it off the node (NoSchedule, PreferNoSchedule) or evicts them (NoExecute).');
export type Taint = z.infer<typeof TaintSchema>;

export const NodeSpecSchema = z.looseObject({
  podCIDR: z.string().optional().describe('The IP range pods on this node get their addresses from.'),
  podCIDRs: z.array(z.string()).optional(),
  providerID: z.string().optional(),
  unschedulable: z.boolean().optional().describe('When true (kubectl cordon), no new pods are scheduled onto the node.'),
  taints: z.array(TaintSchema).optional().describe('Taints that keep pods without a matching toleration off the node.'),
}).describe('How a node is configured: its pod network ranges, taints, and whether new pods may be scheduled on it.');

export const NodeConditionSchema = z.looseObject({
  type: z.string(), // Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable
  status: ConditionStatusSchema,
  lastHeartbeatTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
}).describe('One aspect of a node\'s health (Ready, MemoryPressure, DiskPressure...) and whether it holds.');
export type NodeCondition = z.infer<typeof NodeConditionSchema>;

export const NodeAddressSchema = z.looseObject({
  type: z.string(), // Hostname, InternalIP, ExternalIP, InternalDNS, ExternalDNS
  address: z.string(),
}).describe('One address of a node and its kind (InternalIP, ExternalIP, Hostname).');

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
}).describe('Identifiers and versions of the node\'s machine, OS, container runtime and kubelet.');

export const NodeStatusSchema = z.looseObject({
  capacity: ResourceListSchema.optional().describe('The total resources of the node.'),
  allocatable: ResourceListSchema.optional().describe('The resources available to pods (capacity minus what the system reserves).'),
  phase: z.string().optional(),
  conditions: z.array(NodeConditionSchema).optional().describe('The node\'s conditions, such as Ready, MemoryPressure and DiskPressure.'),
  addresses: z.array(NodeAddressSchema).optional().describe('The addresses the node is reachable at (InternalIP, Hostname...).'),
  daemonEndpoints: z.looseObject({ kubeletEndpoint: z.looseObject({ Port: z.number().int() }).optional() }).optional(),
  nodeInfo: NodeSystemInfoSchema.optional().describe('Versions and ids of the node\'s operating system, kernel, container runtime and kubelet.'),
  images: z.array(z.looseObject({ names: z.array(z.string()).optional(), sizeBytes: z.number().optional() })).optional(),
}).describe('The most recently observed state of a node: its capacity, conditions, addresses and system information.');
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const NodeSchema = kindSchema({
  spec: NodeSpecSchema.default(() => ({})),
  status: NodeStatusSchema.optional(),
}).describe('A Node is a machine that runs pods. Its kubelet registers it and reports its status.');
export type Node = z.infer<typeof NodeSchema>;
export const NodeListSchema = listSchema(NodeSchema);
export type NodeList = z.infer<typeof NodeListSchema>;

export const NamespaceSchema = kindSchema({
  spec: z.looseObject({ finalizers: z.array(z.string()).optional() }).default(() => ({})).describe('The finalizers that must run before the namespace is removed.'),
  status: z
    .looseObject({
      phase: z.enum(['Active', 'Terminating']).optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: ConditionStatusSchema })).optional(),
    })
    .optional().describe('The phase of the namespace: Active, or Terminating while its objects are deleted.'),
}).describe('A Namespace is a scope for names: most objects live in one, and deleting it deletes them.');
export type Namespace = z.infer<typeof NamespaceSchema>;
export const NamespaceListSchema = listSchema(NamespaceSchema);
export type NamespaceList = z.infer<typeof NamespaceListSchema>;
