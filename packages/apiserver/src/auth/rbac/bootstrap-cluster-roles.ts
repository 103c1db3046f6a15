/**
 * The ClusterRoles and ClusterRoleBindings kube-apiserver creates at start, as
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go defines them (feature-gated additions for
 * APIs tinykube does not serve are left out). Rule lists are kube's, including resources tinykube does
 * not serve, so that `edit` or `view` mean the same here as in any cluster.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '@tinykube/api';
import {
  READ, READ_UPDATE, READ_WRITE, WRITE, aggregatedClusterRole, clusterRole, clusterRoleBinding, eventsRule, groups, r,
  serviceAccounts, u, users,
} from './policy-builders.js';

const core = '';
const apps = 'apps';
const authn = 'authentication.k8s.io';
const authz = 'authorization.k8s.io';
const autoscaling = 'autoscaling';
const batch = 'batch';
const certificates = 'certificates.k8s.io';
const coordination = 'coordination.k8s.io';
const discovery = 'discovery.k8s.io';
const extensions = 'extensions';
const networking = 'networking.k8s.io';
const policy = 'policy';
const rbac = 'rbac.authorization.k8s.io';
const storage = 'storage.k8s.io';

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** NodeRules: what a kubelet needs (the Node authorizer narrows it to the node's own objects). */
function nodeRules(): PolicyRule[] {
  return [
    r(['create'], [authn], ['tokenreviews']),
    r(['create'], [authz], ['subjectaccessreviews', 'localsubjectaccessreviews']),
    r(READ, [core], ['services']),
    r(['create', 'get', 'list', 'watch'], [core], ['nodes']),
    r(['update', 'patch'], [core], ['nodes/status']),
    r(['update', 'patch'], [core], ['nodes']),
    r(['create', 'update', 'patch'], [core], ['events']),
    r(READ, [core], ['pods']),
    r(['create', 'delete'], [core], ['pods']),
    r(['update', 'patch'], [core], ['pods/status']),
    r(['create'], [core], ['pods/eviction']),
    r(['get', 'list', 'watch'], [core], ['secrets', 'configmaps']),
    r(['get'], [core], ['persistentvolumeclaims', 'persistentvolumes']),
    r(['get'], [core], ['endpoints']),
    r(['create', 'get', 'list', 'watch'], [certificates], ['certificatesigningrequests']),
    r(['get', 'create', 'update', 'patch', 'delete'], [coordination], ['leases']),
    r(['get'], [storage], ['volumeattachments']),
    r(['create'], [core], ['serviceaccounts/token']),
    r(['get', 'update', 'patch'], [core], ['persistentvolumeclaims/status']),
    r(['get', 'watch', 'list'], [storage], ['csidrivers']),
    r(['get', 'create', 'update', 'patch', 'delete'], [storage], ['csinodes']),
    r(['get', 'list', 'watch'], ['node.k8s.io'], ['runtimeclasses']),
  ];
}

const aggregateToEdit: PolicyRule[] = [
  // read on escalating resources
  r(READ, [core], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  r(['impersonate'], [core], ['serviceaccounts']),
  r(WRITE, [core], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  r(['create'], [core], ['pods/eviction']),
  r(WRITE, [core], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
  r(['create'], [core], ['serviceaccounts/token']),
  r(WRITE, [apps], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
  r(WRITE, [autoscaling], ['horizontalpodautoscalers']),
  r(WRITE, [batch], ['jobs', 'cronjobs']),
  r(WRITE, [extensions], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
  r(WRITE, [policy], ['poddisruptionbudgets']),
  r(WRITE, [networking], ['networkpolicies', 'ingresses']),
  r(READ_WRITE, [coordination], ['leases']),
];

const aggregateToView: PolicyRule[] = [
  r(READ, [core], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
  r(READ, [core], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
  // reading namespaces at namespace scope means reading *this* namespace
  r(READ, [core], ['namespaces']),
  r(READ, [discovery], ['endpointslices']),
  r(READ, [apps], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
  r(READ, [autoscaling], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  r(READ, [batch], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  r(READ, [extensions], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
  r(READ, [policy], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  r(READ, [networking], ['networkpolicies', 'ingresses', 'ingresses/status']),
];

const approver = (signer: string): PolicyRule[] => [r(['approve'], [certificates], ['signers'], [signer])];

export function bootstrapClusterRoles(): ClusterRole[] {
  return [
    clusterRole('cluster-admin', [r(['*'], ['*'], ['*']), u(['*'], ['*'])]),
    clusterRole('system:discovery', [u(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])]),
    clusterRole('system:monitoring', [u(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'])]),
    clusterRole('system:basic-user', [
      r(['create'], [authz], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      r(['create'], [authn], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [u(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    aggregatedClusterRole('admin', AGGREGATE_TO_ADMIN),
    aggregatedClusterRole('edit', AGGREGATE_TO_EDIT, { labels: { [AGGREGATE_TO_ADMIN]: 'true' } }),
    aggregatedClusterRole('view', AGGREGATE_TO_VIEW, { labels: { [AGGREGATE_TO_EDIT]: 'true' } }),
    clusterRole('system:aggregate-to-admin', [
      r(['create'], [authz], ['localsubjectaccessreviews']),
      r(READ_WRITE, [rbac], ['roles', 'rolebindings']),
    ], { labels: { [AGGREGATE_TO_ADMIN]: 'true' } }),
    clusterRole('system:aggregate-to-edit', aggregateToEdit, { labels: { [AGGREGATE_TO_EDIT]: 'true' } }),
    clusterRole('system:aggregate-to-view', aggregateToView, { labels: { [AGGREGATE_TO_VIEW]: 'true' } }),
    clusterRole('system:heapster', [r(READ, [core], ['events', 'pods', 'nodes', 'namespaces']), r(READ, [extensions], ['deployments'])]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-problem-detector', [r(['get'], [core], ['nodes']), r(['patch'], [core], ['nodes/status']), eventsRule()]),
    clusterRole('system:kubelet-api-admin', [
      r(['get', 'list', 'watch'], [core], ['nodes']),
      r(['proxy'], [core], ['nodes']),
      r(['*'], [core], ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log']),
    ]),
    clusterRole('system:node-bootstrapper', [r(['create', 'get', 'list', 'watch'], [certificates], ['certificatesigningrequests'])]),
    clusterRole('system:auth-delegator', [r(['create'], [authn], ['tokenreviews']), r(['create'], [authz], ['subjectaccessreviews'])]),
    clusterRole('system:kube-aggregator', [r(READ, [core], ['services', 'endpoints'])]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      r(['create'], [coordination], ['leases']),
      r(['get', 'update'], [coordination], ['leases'], ['kube-controller-manager']),
      r(['create'], [core], ['secrets', 'serviceaccounts']),
      r(['delete'], [core], ['secrets']),
      r(['get'], [core], ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
      r(['update'], [core], ['secrets', 'serviceaccounts']),
      r(['create'], [authn], ['tokenreviews']),
      r(['create'], [authz], ['subjectaccessreviews']),
      // every shared informer
      r(['list', 'watch'], ['*'], ['*']),
      r(['create'], [core], ['serviceaccounts/token']),
      // tinykube runs every controller as this one user (kube: per-controller service accounts). csrapproving and
      // csrsigning (kube's certificate-controller rules), bootstrapsigner (kube-public/cluster-info, which tinykube's
      // controller-manager also creates, as kubeadm init does)
      r(['update'], [certificates], ['certificatesigningrequests/approval', 'certificatesigningrequests/status']),
      r(['approve'], [certificates], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving']),
      r(['sign'], [certificates], ['signers'], ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving']),
      r(['create'], [core], ['configmaps']),
      r(['update'], [core], ['configmaps'], ['cluster-info']),
    ]),
    clusterRole('system:kube-dns', [r(['list', 'watch'], [core], ['endpoints', 'services'])]),
    clusterRole('system:persistent-volume-provisioner', [
      r(['get', 'list', 'watch', 'create', 'delete'], [core], ['persistentvolumes']),
      r(['get', 'list', 'watch', 'update'], [core], ['persistentvolumeclaims']),
      r(READ, [storage], ['storageclasses']),
      r(['watch'], [core], ['events']),
      eventsRule(),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [r(['create'], [certificates], ['certificatesigningrequests/nodeclient'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [r(['create'], [certificates], ['certificatesigningrequests/selfnodeclient'])]),
    clusterRole('system:volume-scheduler', [
      r(READ_UPDATE, [core], ['persistentvolumes']),
      r(READ, [storage], ['storageclasses']),
      r(READ_UPDATE, [core], ['persistentvolumeclaims']),
    ]),
    clusterRole('system:certificates.k8s.io:legacy-unknown-approver', approver('kubernetes.io/legacy-unknown')),
    clusterRole('system:certificates.k8s.io:kubelet-serving-approver', approver('kubernetes.io/kubelet-serving')),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', approver('kubernetes.io/kube-apiserver-client')),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', approver('kubernetes.io/kube-apiserver-client-kubelet')),
    clusterRole('system:service-account-issuer-discovery', [
      u(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']),
    ]),
    clusterRole('system:node-proxier', [
      r(['list', 'watch'], [core], ['services', 'endpoints']),
      r(['get', 'list', 'watch'], [core], ['nodes']),
      eventsRule(),
      r(['list', 'watch'], [discovery], ['endpointslices']),
    ]),
    clusterRole('system:kube-scheduler', [
      eventsRule(),
      r(['create'], [coordination], ['leases']),
      r(['get', 'update'], [coordination], ['leases'], ['kube-scheduler']),
      r(READ, [core], ['nodes']),
      r(['get', 'list', 'watch', 'delete'], [core], ['pods']),
      r(['create'], [core], ['pods/binding', 'bindings']),
      r(['patch', 'update'], [core], ['pods/status']),
      r(READ, [core], ['services', 'replicationcontrollers']),
      r(READ, [apps, extensions], ['replicasets']),
      r(READ, [apps], ['statefulsets']),
      r(READ, [policy], ['poddisruptionbudgets']),
      r(READ, [core], ['persistentvolumeclaims', 'persistentvolumes']),
      r(['create'], [authn], ['tokenreviews']),
      r(['create'], [authz], ['subjectaccessreviews']),
      r(READ, [storage], ['csinodes']),
      r(READ, [core], ['namespaces']),
      r(READ, [storage], ['csidrivers']),
      r(READ, [storage], ['csistoragecapacities']),
    ]),
  ];
}

export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding('cluster-admin', groups('system:masters')),
    clusterRoleBinding('system:monitoring', groups('system:monitoring')),
    clusterRoleBinding('system:discovery', groups('system:authenticated')),
    clusterRoleBinding('system:basic-user', groups('system:authenticated')),
    clusterRoleBinding('system:public-info-viewer', groups('system:authenticated', 'system:unauthenticated')),
    clusterRoleBinding('system:node-proxier', users('system:kube-proxy')),
    clusterRoleBinding('system:kube-controller-manager', users('system:kube-controller-manager')),
    clusterRoleBinding('system:kube-dns', serviceAccounts('kube-system', 'kube-dns')),
    clusterRoleBinding('system:kube-scheduler', users('system:kube-scheduler')),
    clusterRoleBinding('system:volume-scheduler', users('system:kube-scheduler')),
    // Bound to nobody since the Node authorizer (1.7): kept so reconciliation never re-adds system:nodes.
    clusterRoleBinding('system:node', []),
    clusterRoleBinding('system:service-account-issuer-discovery', groups('system:serviceaccounts')),
  ];
}
