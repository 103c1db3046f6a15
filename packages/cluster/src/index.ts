export { Supervised, type ComponentSpec } from './supervisor.js';
export { startCluster, type ClusterOptions, type LocalCluster } from './cluster.js';
export { clusterNodes, workerSpec, LOCAL_RANGES, CONTROL_PLANE_NAME, type NodeSpec } from './topology.js';
export { nodeManifests } from './manifests.js';
export { waitReady, waitNodesReady, readyNodes } from './ready.js';
export { runningContainers, stopContainers, type ContainerProcess } from './containers.js';
export { NAMESPACE_RANGES, nodeSpec, type NetworkMode, type NetworkRanges } from './topology.js';
export { kubeletArgs, CONTROL_PLANE_TAINT } from './kubelets.js';
export { initNode, parseNodeInitOptions, NodeInitError, NodeInitOptionsSchema, type NodeInitOptions, type NodeInitResult, type NodeInitErrorCode } from './node-setup.js';
