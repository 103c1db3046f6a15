/**
 * The `system:controller:<name>` ClusterRoles of kube's controller_policy.go for the controllers
 * tinykube's controller-manager runs (or will), each bound to the ServiceAccount kube-system/<name>
 * the controller uses. As in kube, node-lifecycle, node-ipam and taint-eviction share the
 * node-controller identity, so they have no role of their own.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '@tinykube/api';
import { clusterRole, clusterRoleBinding, eventsRule, r, serviceAccounts, users } from './policy-builders.js';

export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

const core = '';
const apps = 'apps';
const batch = 'batch';
const certificates = 'certificates.k8s.io';
const extensions = 'extensions';

const CONTROLLER_RULES: Record<string, PolicyRule[]> = {
  'certificate-controller': [
    r(['get', 'list', 'watch', 'delete'], [certificates], ['certificatesigningrequests']),
    r(['update'], [certificates], ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
    r(['approve'], [certificates], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    r(['sign'], [certificates], ['signers'], [
      'kubernetes.io/legacy-unknown', 'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving',
    ]),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    eventsRule(),
  ],
  // full power over clusterroles, so it may write any aggregated rule (`escalate`)
  'clusterrole-aggregation-controller': [
    r(['escalate', 'get', 'list', 'watch', 'update', 'patch'], ['rbac.authorization.k8s.io'], ['clusterroles']),
  ],
  'cronjob-controller': [
    r(['get', 'list', 'watch', 'update'], [batch], ['cronjobs']),
    r(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], [batch], ['jobs']),
    r(['update'], [batch], ['cronjobs/status']),
    r(['update'], [batch], ['cronjobs/finalizers']),
    r(['list', 'watch', 'delete'], [core], ['pods']),
    eventsRule(),
  ],
  'daemon-set-controller': [
    r(['get', 'list', 'watch'], [extensions, apps], ['daemonsets']),
    r(['update'], [extensions, apps], ['daemonsets/status']),
    r(['update'], [extensions, apps], ['daemonsets/finalizers']),
    r(['list', 'watch'], [core], ['nodes']),
    r(['list', 'watch', 'create', 'delete', 'patch'], [core], ['pods']),
    r(['create'], [core], ['pods/binding']),
    r(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], [apps], ['controllerrevisions']),
    eventsRule(),
  ],
  'deployment-controller': [
    r(['get', 'list', 'watch', 'update'], [extensions, apps], ['deployments']),
    r(['update'], [extensions, apps], ['deployments/status']),
    r(['update'], [extensions, apps], ['deployments/finalizers']),
    r(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], [apps, extensions], ['replicasets']),
    r(['get', 'list', 'watch', 'update'], [core], ['pods']),
    eventsRule(),
  ],
  'endpoint-controller': [
    r(['get', 'list', 'watch'], [core], ['services', 'pods']),
    r(['get', 'list', 'watch', 'create', 'update', 'delete'], [core], ['endpoints']),
    r(['create'], [core], ['endpoints/restricted']),
    eventsRule(),
  ],
  'generic-garbage-collector': [r(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), eventsRule()],
  'job-controller': [
    r(['get', 'list', 'watch', 'update', 'patch'], [batch], ['jobs']),
    r(['update'], [batch], ['jobs/status']),
    r(['update'], [batch], ['jobs/finalizers']),
    r(['list', 'watch', 'create', 'delete', 'patch'], [core], ['pods']),
    eventsRule(),
  ],
  'namespace-controller': [
    r(['get', 'list', 'watch', 'delete'], [core], ['namespaces']),
    r(['update'], [core], ['namespaces/finalize', 'namespaces/status']),
    r(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  'node-controller': [
    r(['get', 'list', 'watch', 'update', 'delete', 'patch'], [core], ['nodes']),
    r(['patch', 'update'], [core], ['nodes/status']),
    // pod deletion (eviction of pods on dead or tainted nodes)
    r(['patch', 'update'], [core], ['pods/status']),
    r(['list', 'watch', 'get', 'delete'], [core], ['pods']),
    r(['get', 'list', 'watch'], ['coordination.k8s.io'], ['leases']),
    eventsRule(),
  ],
  'pod-garbage-collector': [
    r(['list', 'watch', 'delete'], [core], ['pods']),
    r(['get', 'list', 'watch'], [core], ['nodes']),
    r(['patch'], [core], ['pods/status']),
  ],
  'replicaset-controller': [
    r(['get', 'list', 'watch', 'update'], [apps, extensions], ['replicasets']),
    r(['update'], [apps, extensions], ['replicasets/status']),
    r(['update'], [apps, extensions], ['replicasets/finalizers']),
    r(['list', 'watch', 'patch', 'create', 'delete'], [core], ['pods']),
    eventsRule(),
  ],
  'root-ca-cert-publisher': [r(['create', 'update'], [core], ['configmaps']), eventsRule()],
  'service-account-controller': [r(['create'], [core], ['serviceaccounts']), eventsRule()],
  'statefulset-controller': [
    r(['list', 'watch'], [core], ['pods']),
    r(['get', 'list', 'watch'], [apps], ['statefulsets']),
    r(['update'], [apps], ['statefulsets/status']),
    r(['update'], [apps], ['statefulsets/finalizers']),
    r(['get', 'create', 'delete', 'update', 'patch'], [core], ['pods']),
    r(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], [apps], ['controllerrevisions']),
    r(['get', 'create', 'list', 'watch'], [core], ['persistentvolumeclaims']),
    r(['update', 'delete'], [core], ['persistentvolumeclaims']),
    r(['update'], [core], ['pods/finalizers']),
    eventsRule(),
  ],
};

/** The controller names with a role, sorted. */
export const CONTROLLER_NAMES: readonly string[] = Object.keys(CONTROLLER_RULES).sort();

export function controllerClusterRoles(): ClusterRole[] {
  return CONTROLLER_NAMES.map((name) => clusterRole(CONTROLLER_ROLE_PREFIX + name, CONTROLLER_RULES[name]!));
}

export function controllerClusterRoleBindings(): ClusterRoleBinding[] {
  return CONTROLLER_NAMES.map((name) => clusterRoleBinding(CONTROLLER_ROLE_PREFIX + name, serviceAccounts('kube-system', name)));
}

/**
 * tinykube's controller-manager runs every controller with its own identity, system:kube-controller-manager (kube's
 * without --use-service-account-credentials). kube's role for that user covers only what the manager itself does,
 * so each controller's role is also bound to it: `tinykube:controller:<name>` (tinykube's own bindings).
 */
export const MANAGER_BINDING_PREFIX = 'tinykube:controller:';
export function managerClusterRoleBindings(): ClusterRoleBinding[] {
  return CONTROLLER_NAMES.map((name) => clusterRoleBinding(CONTROLLER_ROLE_PREFIX + name, users('system:kube-controller-manager'), { name: MANAGER_BINDING_PREFIX + name }));
}
