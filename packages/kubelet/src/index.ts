// @tinykube/kubelet: the only public door of this package.
export { Kubelet, type KubeletOptions } from './kubelet.js';
export { ProcessRuntime, type ProcessRuntimeOptions } from './runtime/process-runtime.js';
export { FakeRuntime } from './runtime/fake-runtime.js';
export type { ContainerRecord, ExecResult, Runtime, StartSpec } from './runtime/types.js';
export { resolveImage, parseImage, ImagePullError, LocalImageSchema, type ResolvedImage, type LocalImage } from './images/catalogue.js';
export { computePodStatus, podPhase, containerStatus, type ContainerFacts, type PodFacts } from './status.js';
export { staticPodFromManifest, readManifestDir, ANNOTATION_HASH, ANNOTATION_MIRROR, ANNOTATION_SOURCE, type StaticPod } from './static-pods.js';
export { buildNode, parseTaints, parseLabels, KUBELET_VERSION, type NodeIdentity } from './node-status.js';
export { NODE_LEASE_NAMESPACE, NODE_LEASE_DURATION_SECONDS } from './heartbeat.js';
export { PodIpam, parseCidr } from './ipam.js';
export { startHollowNodes, type HollowNodesOptions } from './hollow.js';
export { loadAllCheckpoints, type PodCheckpoint } from './checkpoint.js';
export { isAlive } from './runtime/proc.js';
export { loadServingTls, TlsFileError, type ServingTls } from './serving-tls.js';
export { kubeletSecurity, SecurityConfigError, type KubeletSecurity, type SecurityFlags } from './auth/setup.js';
export { KubeletAuth, type Refusal } from './auth/filter.js';
