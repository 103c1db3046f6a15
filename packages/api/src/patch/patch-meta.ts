// Strategic-merge-patch metadata for the kinds tinykube serves: which list fields merge
// (and by which key) instead of being replaced. Transcribed from the `patchStrategy` /
// `patchMergeKey` struct tags of k8s.io/api (core/v1, apps/v1, batch/v1) and
// k8s.io/apimachinery metav1.ObjectMeta. A field that is not listed behaves like an
// untagged Go field: objects merge recursively, lists are replaced as a whole
// (tolerations, node taints, envFrom, Endpoints subsets, command/args...).

export interface PatchFieldMeta {
  /** patchStrategy "merge" on a list: merge by `mergeKey` (lists of objects) or as a set (primitives). */
  readonly merge?: boolean;
  readonly mergeKey?: string;
  /** patchStrategy "replace" on an object field: the patch value replaces it instead of merging. */
  readonly replace?: boolean;
  /** Metadata for the struct below this field (for a list: of its elements). */
  readonly fields?: PatchMeta;
}

export interface PatchMeta {
  readonly [field: string]: PatchFieldMeta;
}

const mergeList = (mergeKey: string, fields?: PatchMeta): PatchFieldMeta => ({ merge: true, mergeKey, fields });
const mergeSet = (): PatchFieldMeta => ({ merge: true });
const struct = (fields: PatchMeta): PatchFieldMeta => ({ fields });

const objectMeta: PatchMeta = {
  ownerReferences: mergeList('uid'),
  finalizers: mergeSet(),
};

const container: PatchMeta = {
  ports: mergeList('containerPort'),
  env: mergeList('name'),
  volumeMounts: mergeList('mountPath'),
  volumeDevices: mergeList('devicePath'),
};

const podSpec: PatchMeta = {
  volumes: mergeList('name'), // "merge,retainKeys": retainKeys only shapes how clients build patches
  initContainers: mergeList('name', container),
  containers: mergeList('name', container),
  ephemeralContainers: mergeList('name', container),
  imagePullSecrets: mergeList('name'),
  hostAliases: mergeList('ip'),
  topologySpreadConstraints: mergeList('topologyKey'),
  schedulingGates: mergeList('name'),
  resourceClaims: mergeList('name'),
};

const containerStatus: PatchMeta = {
  volumeMounts: mergeList('mountPath'),
  allocatedResourcesStatus: mergeList('name'),
};

const podStatus: PatchMeta = {
  conditions: mergeList('type'),
  hostIPs: mergeList('ip'),
  podIPs: mergeList('ip'),
  resourceClaimStatuses: mergeList('name'),
  // containerStatuses themselves have no patch strategy (replaced); their inner lists do.
  containerStatuses: struct(containerStatus),
  initContainerStatuses: struct(containerStatus),
  ephemeralContainerStatuses: struct(containerStatus),
};

const podTemplateSpec: PatchMeta = { metadata: struct(objectMeta), spec: struct(podSpec) };
const conditionsByType: PatchMeta = { conditions: mergeList('type') };

/** A workload whose spec.template is a PodTemplateSpec and whose status has typed conditions. */
const workload: PatchMeta = {
  metadata: struct(objectMeta),
  spec: struct({ template: struct(podTemplateSpec) }),
  status: struct(conditionsByType),
};

const metadataOnly: PatchMeta = { metadata: struct(objectMeta) };

const KINDS: Readonly<Record<string, PatchMeta>> = {
  Pod: { metadata: struct(objectMeta), spec: struct(podSpec), status: struct(podStatus) },
  PodTemplate: { metadata: struct(objectMeta), template: struct(podTemplateSpec) },
  Deployment: workload,
  ReplicaSet: workload,
  DaemonSet: workload,
  StatefulSet: workload,
  ReplicationController: workload,
  Job: workload,
  CronJob: {
    metadata: struct(objectMeta),
    spec: struct({ jobTemplate: struct({ metadata: struct(objectMeta), spec: struct({ template: struct(podTemplateSpec) }) }) }),
  },
  Service: {
    metadata: struct(objectMeta),
    spec: struct({ ports: mergeList('port') }),
    status: struct(conditionsByType),
  },
  Node: {
    metadata: struct(objectMeta),
    // spec.taints has no patch strategy: `kubectl taint` sends the whole list.
    spec: struct({ podCIDRs: mergeSet() }),
    status: struct({ conditions: mergeList('type'), addresses: mergeList('type') }),
  },
  Namespace: { metadata: struct(objectMeta), status: struct(conditionsByType) },
  ServiceAccount: { metadata: struct(objectMeta), secrets: mergeList('name') },
  ConfigMap: metadataOnly,
  Secret: metadataOnly,
  Endpoints: metadataOnly, // subsets: no patch strategy
  Event: metadataOnly,
  Lease: metadataOnly,
  Binding: metadataOnly,
  Eviction: metadataOnly,
  Scale: metadataOnly,
};

/** The kinds with a strategic-merge-patch table. */
export const STRATEGIC_PATCH_KINDS: readonly string[] = Object.keys(KINDS);

/** The table for `kind`, or undefined for a kind without one. */
export function patchMetaForKind(kind: string): PatchMeta | undefined {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
}

/** The table for `kind`; kinds without one get ObjectMeta's rules only. */
export function patchMetaOrDefault(kind: string): PatchMeta {
  return patchMetaForKind(kind) ?? metadataOnly;
}
