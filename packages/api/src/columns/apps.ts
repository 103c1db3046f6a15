import type { TableColumn } from '../registry-types.js';
import type { DaemonSet, Deployment, ReplicaSet } from '../schemas/apps.js';
import { ageColumn, column, containerCells, formatLabels, nameColumn, selectorString } from './common.js';

// kubectl's columns for apps/v1 workloads. Counts are integers in the Table, as Kubernetes sends them.

type Workload = Deployment | ReplicaSet | DaemonSet;

const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';
const SELECTOR_DESCRIPTION = 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.';

/** The CONTAINERS, IMAGES and SELECTOR wide columns every workload kind ends with. */
function templateColumns(): TableColumn[] {
  return [
    column<Workload>('Containers', 'string', CONTAINERS_DESCRIPTION, (w) => containerCells(w.spec.template.spec.containers).names, 1),
    column<Workload>('Images', 'string', IMAGES_DESCRIPTION, (w) => containerCells(w.spec.template.spec.containers).images, 1),
    column<Workload>('Selector', 'string', SELECTOR_DESCRIPTION, (w) => selectorString(w.spec.selector), 1),
  ];
}

export const deploymentColumns: TableColumn[] = [
  nameColumn,
  column<Deployment>('Ready', 'string', 'Number of the pod with ready state', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`),
  column<Deployment>('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (d) => d.status?.updatedReplicas ?? 0),
  column<Deployment>('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (d) => d.status?.availableReplicas ?? 0),
  ageColumn,
  ...templateColumns(),
];

export const replicaSetColumns: TableColumn[] = [
  nameColumn,
  column<ReplicaSet>('Desired', 'integer', 'Replicas is the number of desired replicas.', (r) => r.spec.replicas ?? 1),
  column<ReplicaSet>('Current', 'integer', 'Replicas is the most recently observed number of replicas.', (r) => r.status?.replicas ?? 0),
  column<ReplicaSet>('Ready', 'integer', 'The number of ready replicas for this replica set.', (r) => r.status?.readyReplicas ?? 0),
  ageColumn,
  ...templateColumns(),
];

export const daemonSetColumns: TableColumn[] = [
  nameColumn,
  column<DaemonSet>('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', (d) => d.status?.desiredNumberScheduled ?? 0),
  column<DaemonSet>('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', (d) => d.status?.currentNumberScheduled ?? 0),
  column<DaemonSet>('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', (d) => d.status?.numberReady ?? 0),
  column<DaemonSet>('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod', (d) => d.status?.updatedNumberScheduled ?? 0),
  column<DaemonSet>('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', (d) => d.status?.numberAvailable ?? 0),
  column<DaemonSet>('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.', (d) => formatLabels(d.spec.template.spec.nodeSelector)),
  ageColumn,
  ...templateColumns(),
];
