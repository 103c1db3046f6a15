import { z } from 'zod';

/**
 * The parts of Pod and Node the scheduler reads, as zod schemas. Objects arrive from the
 * informers (already validated by the apiserver); we parse them once per event into these
 * narrow views and then into precomputed PodInfo/NodeInfo, so the hot path never touches
 * raw JSON. Unknown fields are dropped: the scheduler never writes these objects back.
 */

const str = z.string().nullish();
const Quantity = z.union([z.string(), z.number()]);
const ResourceList = z.record(z.string(), Quantity).nullish();
const StringMap = z.record(z.string(), z.string()).nullish();

const ContainerPort = z.object({
  containerPort: z.number().nullish(),
  hostPort: z.number().nullish(),
  protocol: str,
  hostIP: str,
});

const Container = z.object({
  name: str,
  ports: z.array(ContainerPort).nullish(),
  resources: z.object({ requests: ResourceList, limits: ResourceList }).nullish(),
  restartPolicy: str,
});

export const TolerationSchema = z.object({
  key: str,
  operator: str,
  value: str,
  effect: str,
  tolerationSeconds: z.number().nullish(),
});

const NodeSelectorRequirement = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).nullish(),
});

export const NodeSelectorTermSchema = z.object({
  matchExpressions: z.array(NodeSelectorRequirement).nullish(),
  matchFields: z.array(NodeSelectorRequirement).nullish(),
});

const NodeAffinity = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: z
    .object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema).nullish() })
    .nullish(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.object({ weight: z.number(), preference: NodeSelectorTermSchema }))
    .nullish(),
});

const OwnerReference = z.object({
  apiVersion: str,
  kind: str,
  name: str,
  uid: z.string(),
  controller: z.boolean().nullish(),
});

const ObjectMeta = z.object({
  name: z.string(),
  namespace: str,
  uid: str,
  resourceVersion: str,
  labels: StringMap,
  deletionTimestamp: str,
  creationTimestamp: str,
  ownerReferences: z.array(OwnerReference).nullish(),
});

const Condition = z.object({
  type: z.string(),
  status: z.string(),
  reason: str,
  message: str,
});

export const PodSchema = z.object({
  metadata: ObjectMeta,
  spec: z.object({
    nodeName: str,
    schedulerName: str,
    priority: z.number().nullish(),
    preemptionPolicy: str,
    nodeSelector: StringMap,
    affinity: z.object({ nodeAffinity: NodeAffinity.nullish() }).nullish(),
    tolerations: z.array(TolerationSchema).nullish(),
    containers: z.array(Container).nullish(),
    initContainers: z.array(Container).nullish(),
    overhead: ResourceList,
  }),
  status: z.object({ phase: str, conditions: z.array(Condition).nullish() }).nullish(),
});

export const TaintSchema = z.object({ key: z.string(), value: str, effect: z.string() });

export const NodeSchema = z.object({
  metadata: ObjectMeta,
  spec: z.object({ unschedulable: z.boolean().nullish(), taints: z.array(TaintSchema).nullish() }).nullish(),
  status: z
    .object({ allocatable: ResourceList, capacity: ResourceList, conditions: z.array(Condition).nullish() })
    .nullish(),
});

export type Pod = z.infer<typeof PodSchema>;
export type Node = z.infer<typeof NodeSchema>;
export type Toleration = z.infer<typeof TolerationSchema>;
export type Taint = z.infer<typeof TaintSchema>;
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;
export type ResourceMap = Record<string, string | number>;

/** Parses an informer object as a Pod view; undefined when it is not shaped like one. */
export function parsePod(obj: unknown): Pod | undefined {
  const r = PodSchema.safeParse(obj);
  return r.success ? r.data : undefined;
}

/** Parses an informer object as a Node view; undefined when it is not shaped like one. */
export function parseNode(obj: unknown): Node | undefined {
  const r = NodeSchema.safeParse(obj);
  return r.success ? r.data : undefined;
}
