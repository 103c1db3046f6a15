import { defaultCustomResourceDefinition } from './crd/defaults-crd.js';
import { compareQuantities } from './quantity.js';
import type { CustomResourceDefinition } from './schemas/apiextensions.js';
import type { ResourceInfo } from './registry-types.js';
import type { DaemonSet, Deployment, ReplicaSet } from './schemas/apps.js';
import type { Secret } from './schemas/config.js';
import type { Container, Probe } from './schemas/container.js';
import type { KubeObject } from './schemas/meta.js';
import type { Namespace, Node } from './schemas/node.js';
import type { Pod, PodSpec, Volume } from './schemas/pod.js';
import type { Endpoints, Service } from './schemas/service.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './tolerations.js';

// Kubernetes' defaulting (SetDefaults_* in k8s.io/kubernetes/pkg/apis/*/v1) plus the admission
// plugins that always run (Priority, DefaultTolerationSeconds) and the
// create-time status of Pods and Namespaces. Idempotent: defaulting a defaulted object is a no-op,
// so the apiserver may call it on every create and update.
//
// Defaulting may run before validation on a raw request body, so every step checks the shape it
// touches and leaves anything malformed for validateObject to report: it never throws.

export const DEFAULT_TOLERATION_SECONDS = 300;

type Defaulter = (obj: KubeObject) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object items of a list that may be absent or malformed. */
function records<T>(list: T[] | undefined): T[] {
  // Typed as the schema says, but a raw body may hold anything here.
  const raw: unknown = list;
  return Array.isArray(raw) ? (raw.filter(isRecord) as T[]) : [];
}

const defaulters: Record<string, Defaulter> = {
  'v1/Pod': (o) => defaultPod(o as Pod),
  'v1/Service': (o) => defaultService(o as Service),
  'v1/Endpoints': (o) => defaultEndpoints(o as Endpoints),
  'v1/Secret': (o) => defaultSecret(o as Secret),
  'v1/Namespace': (o) => defaultNamespace(o as Namespace),
  'v1/Node': (o) => defaultNode(o as Node),
  'apps/v1/Deployment': (o) => defaultDeployment(o as Deployment),
  'apps/v1/ReplicaSet': (o) => defaultReplicaSet(o as ReplicaSet),
  'apps/v1/DaemonSet': (o) => defaultDaemonSet(o as DaemonSet),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': (o) => defaultCustomResourceDefinition(o as CustomResourceDefinition),
};

/** Mutates a freshly parsed object in place, filling what Kubernetes fills (custom kinds: prune and default from the schema). */
export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  if (info.normalize) info.normalize(obj);
  else defaulters[`${info.apiVersion}/${info.kind}`]?.(obj);
}

/** Always for `:latest` or an untagged image, IfNotPresent for any other tag or a digest. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (typeof image !== 'string' || image === '') return 'Always';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!isRecord(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isRecord(p.httpGet)) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of records(c.ports)) p.protocol ??= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Volume): void {
  if (isRecord(v.configMap)) v.configMap.defaultMode ??= 0o644;
  if (isRecord(v.secret)) v.secret.defaultMode ??= 0o644;
  if (isRecord(v.downwardAPI)) v.downwardAPI.defaultMode ??= 0o644;
  if (isRecord(v.hostPath)) v.hostPath.type ??= '';
  if (isRecord(v.projected)) {
    v.projected.defaultMode ??= 0o644;
    for (const src of records(v.projected.sources)) {
      if (isRecord(src.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
}

/** Defaults shared by Pods and the pod templates of workloads. */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!isRecord(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of records(spec.containers)) defaultContainer(c);
  for (const c of records(spec.initContainers)) defaultContainer(c);
  for (const v of records(spec.volumes)) defaultVolume(v);
}

/** Kubernetes copies limits into unset requests of Pods (not templates) so QoS can be computed. */
function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!isRecord(c.resources) || !isRecord(limits) || Object.keys(limits).length === 0) return;
  const requests = (c.resources.requests ??= {});
  if (!isRecord(requests)) return;
  for (const [name, value] of Object.entries(limits)) requests[name] ??= value;
}

function hasResources(c: Container, which: 'requests' | 'limits'): boolean {
  const list = c.resources?.[which];
  return isRecord(list) && Object.keys(list).length > 0;
}

/** status.qosClass: Guaranteed when every container's cpu and memory requests equal limits. */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...records<Container>(spec.initContainers), ...records<Container>(spec.containers)];
  if (all.every((c) => !hasResources(c, 'requests') && !hasResources(c, 'limits'))) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every((r) => {
      const limit = c.resources?.limits?.[r];
      const request = c.resources?.requests?.[r] ?? limit;
      const quantity = (q: unknown): q is string | number => typeof q === 'string' || typeof q === 'number';
      return quantity(limit) && quantity(request) && compareQuantities(request, limit) === 0;
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 5 minutes. */
function addDefaultTolerations(spec: PodSpec): void {
  const tolerations = (spec.tolerations ??= []);
  if (!Array.isArray(tolerations)) return;
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    const covered = records(tolerations).some(
      (t) =>
        (t.effect === undefined || t.effect === 'NoExecute') &&
        (t.key === key || ((t.key === undefined || t.key === '') && t.operator === 'Exists')),
    );
    if (!covered) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
}

function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  if (!isRecord(spec)) return;
  defaultPodSpec(spec);
  for (const c of [...records<Container>(spec.containers), ...records<Container>(spec.initContainers)]) defaultRequestsFromLimits(c);
  spec.enableServiceLinks ??= true;
  // `serviceAccount` is the deprecated alias Kubernetes' conversion keeps in sync. The name itself is not
  // defaulted here: the ServiceAccount admission plugin sets `default` (never on mirror pods, which may not
  // name one), as in Kubernetes.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  // Priority admission (no PriorityClasses yet: everything is priority 0).
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  addDefaultTolerations(spec);
  const status = (pod.status ??= {});
  if (!isRecord(status)) return;
  status.phase ??= 'Pending';
  status.qosClass ??= qosClass(spec);
}

function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (!isRecord(spec)) return;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  for (const p of records(spec.ports)) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  svc.status ??= { loadBalancer: {} };
}

function defaultEndpoints(ep: Endpoints): void {
  for (const ss of records(ep.subsets)) for (const p of records(ss.ports)) p.protocol ??= 'TCP';
}

function defaultSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
  // stringData is write-only: Kubernetes folds it into data (base64) and never stores it.
  if (isRecord(secret.stringData)) {
    const data = (secret.data ??= {});
    if (!isRecord(data)) return;
    for (const [k, v] of Object.entries(secret.stringData)) {
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    delete secret.stringData;
  }
}

function defaultNamespace(ns: Namespace): void {
  const spec = (ns.spec ??= {});
  if (isRecord(spec)) spec.finalizers ??= ['kubernetes'];
  const status = (ns.status ??= {});
  if (isRecord(status)) status.phase ??= 'Active';
}

function defaultNode(node: Node): void {
  // Kubernetes always serves a Node with a spec (possibly empty); readers such as the Table columns rely on it.
  if (!isRecord(node.spec)) (node as { spec: unknown }).spec = {};
  const status = node.status;
  if (isRecord(status) && isRecord(status.capacity) && !status.allocatable) status.allocatable = { ...status.capacity };
}

function defaultTemplate(spec: { template?: unknown }): void {
  if (isRecord(spec.template)) defaultPodSpec(spec.template.spec as PodSpec | undefined);
}

function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!isRecord(spec)) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  if (isRecord(strategy)) {
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      if (isRecord(ru)) {
        ru.maxUnavailable ??= '25%';
        ru.maxSurge ??= '25%';
      }
    }
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec);
}

function defaultReplicaSet(rs: ReplicaSet): void {
  if (!isRecord(rs.spec)) return;
  rs.spec.replicas ??= 1;
  defaultTemplate(rs.spec);
}

function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!isRecord(spec)) return;
  const strategy = (spec.updateStrategy ??= {});
  if (isRecord(strategy)) {
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate ??= {});
      if (isRecord(ru)) {
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
    }
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec);
}
