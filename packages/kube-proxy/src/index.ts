// @tinykube/kube-proxy — a userspace kube-proxy. This file is the package's only public door.

export {
  computeServicePlan,
  backendsFor,
  affinityOf,
  clusterIPOf,
  nodeIPOf,
  servicePortName,
  DEFAULT_AFFINITY_TIMEOUT_SECONDS,
  type Affinity,
  type Backend,
  type ServicePlan,
  type ServicePortPlan,
} from './endpoints.js';
export { Balancer, backendKey, type BalancerOptions } from './balancer.js';
export { ServiceListener, type ServiceListenerOptions, type ListenResult, type ListenerState } from './listener.js';
export { Proxier, type ProxierOptions, type ObjectCache, type SyncResult, type ListenerInfo } from './proxier.js';
export { KubeProxy, servicesResource, endpointsResource, nodesResource, type KubeProxyOptions } from './run.js';
export {
  ClusterIPAddresses,
  DummyInterface,
  IpCommandError,
  loopbackHost,
  execRunner,
  DEFAULT_DUMMY_INTERFACE,
  type ClusterIPHost,
  type CommandRunner,
  type CommandResult,
} from './ip.js';
export { ProxyMetrics, noCounters, type ConnectionErrorReason, type ServiceCounters } from './metrics.js';
export { startMetricsServer, parseHostPort, type MetricsServerOptions } from './server.js';
