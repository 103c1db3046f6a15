import { z } from 'zod';
import { daemonSetColumns, deploymentColumns, replicaSetColumns } from './columns/apps.js';
import {
  configMapColumns,
  endpointsColumns,
  eventColumns,
  leaseColumns,
  namespaceColumns,
  nodeColumns,
  secretColumns,
  serviceAccountColumns,
  serviceColumns,
} from './columns/core.js';
import { ageColumn, nameColumn } from './columns/common.js';
import { certificateSigningRequestColumns } from './columns/certificates.js';
import { customResourceDefinitionColumns } from './columns/apiextensions.js';
import { podColumns } from './columns/pod.js';
import { clusterRoleBindingColumns, clusterRoleColumns, roleBindingColumns, roleColumns } from './columns/rbac.js';
import type { ResourceInfo, TableColumn } from './registry-types.js';
import { APIEXTENSIONS_GROUP, CustomResourceDefinitionSchema } from './schemas/apiextensions.js';
import { DaemonSetSchema, DeploymentSchema, ReplicaSetSchema } from './schemas/apps.js';
import { SelfSubjectReviewSchema, TokenReviewSchema } from './schemas/authentication.js';
import { CERTIFICATES_GROUP, CertificateSigningRequestSchema } from './schemas/certificates.js';
import {
  LocalSubjectAccessReviewSchema, SelfSubjectAccessReviewSchema, SelfSubjectRulesReviewSchema, SubjectAccessReviewSchema,
} from './schemas/authorization.js';
import { ConfigMapSchema, EventSchema, SecretSchema, ServiceAccountSchema } from './schemas/config.js';
import type { KubeObject } from './schemas/meta.js';
import { LeaseSchema } from './schemas/misc.js';
import { NamespaceSchema, NodeSchema } from './schemas/node.js';
import { PodSchema } from './schemas/pod.js';
import { ClusterRoleBindingSchema, ClusterRoleSchema, RBAC_GROUP, RoleBindingSchema, RoleSchema } from './schemas/rbac.js';
import { EndpointsSchema, ServiceSchema } from './schemas/service.js';
import { stripNulls } from './strip-nulls.js';

// The one table of resources tinykube serves. It drives the apiserver's routes and discovery,
// Table printing, and tkctl's name resolution, so names here are exactly Kubernetes'.

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Spec {
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: string[];
  columns: TableColumn[];
  schema: z.ZodType<KubeObject>;
  hasStatus: boolean;
}

function resource(s: Spec): ResourceInfo {
  const version = 'v1';
  return {
    group: s.group,
    version,
    apiVersion: s.group === '' ? version : `${s.group}/${version}`,
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? STANDARD_VERBS,
    subresources: s.subresources ?? [],
    columns: s.columns,
    schema: z.preprocess(stripNulls, s.schema) as z.ZodType<KubeObject>,
    hasStatus: s.hasStatus,
  };
}

const RESOURCES: readonly ResourceInfo[] = [
  resource({
    group: '', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy'],
    columns: podColumns, schema: PodSchema, hasStatus: true,
  }),
  resource({
    group: '', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'],
    subresources: ['status', 'proxy'], columns: nodeColumns, schema: NodeSchema, hasStatus: true,
  }),
  resource({
    group: '', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'],
    // Kubernetes serves no deletecollection for namespaces.
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'finalize'], columns: namespaceColumns, schema: NamespaceSchema, hasStatus: true,
  }),
  resource({
    group: '', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'],
    subresources: ['status', 'proxy'], columns: serviceColumns, schema: ServiceSchema, hasStatus: true,
  }),
  resource({
    group: '', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'],
    columns: endpointsColumns, schema: EndpointsSchema, hasStatus: false,
  }),
  resource({
    group: '', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'],
    columns: eventColumns, schema: EventSchema, hasStatus: false,
  }),
  resource({
    group: '', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'],
    columns: configMapColumns, schema: ConfigMapSchema, hasStatus: false,
  }),
  resource({
    group: '', kind: 'Secret', plural: 'secrets', namespaced: true,
    columns: secretColumns, schema: SecretSchema, hasStatus: false,
  }),
  resource({
    group: '', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'],
    subresources: ['token'], columns: serviceAccountColumns, schema: ServiceAccountSchema, hasStatus: false,
  }),
  resource({
    group: 'apps', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'],
    categories: ['all'], subresources: ['status', 'scale'], columns: deploymentColumns, schema: DeploymentSchema,
    hasStatus: true,
  }),
  resource({
    group: 'apps', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'],
    categories: ['all'], subresources: ['status', 'scale'], columns: replicaSetColumns, schema: ReplicaSetSchema,
    hasStatus: true,
  }),
  resource({
    group: 'apps', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'],
    categories: ['all'], subresources: ['status'], columns: daemonSetColumns, schema: DaemonSetSchema,
    hasStatus: true,
  }),
  resource({
    group: 'coordination.k8s.io', kind: 'Lease', plural: 'leases', namespaced: true,
    columns: leaseColumns, schema: LeaseSchema, hasStatus: false,
  }),
  // status: the signer writes the certificate; approval: approvers write Approved/Denied (kubectl certificate approve)
  resource({
    group: CERTIFICATES_GROUP, kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', namespaced: false, shortNames: ['csr'],
    subresources: ['status', 'approval'], columns: certificateSigningRequestColumns, schema: CertificateSigningRequestSchema, hasStatus: true,
  }),
  resource({
    group: APIEXTENSIONS_GROUP, kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false,
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'],
    columns: customResourceDefinitionColumns, schema: CustomResourceDefinitionSchema, hasStatus: true,
  }),
  // authentication.k8s.io: create-only reviews, answered and never stored.
  resource({
    group: 'authentication.k8s.io', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: TokenReviewSchema, hasStatus: false,
  }),
  resource({
    group: 'authentication.k8s.io', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: SelfSubjectReviewSchema, hasStatus: false,
  }),
  // authorization.k8s.io: create-only reviews, answered and never stored.
  resource({
    group: 'authorization.k8s.io', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: SubjectAccessReviewSchema, hasStatus: false,
  }),
  resource({
    group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews', namespaced: true,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: LocalSubjectAccessReviewSchema, hasStatus: false,
  }),
  resource({
    group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: SelfSubjectAccessReviewSchema, hasStatus: false,
  }),
  resource({
    group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false,
    verbs: ['create'], columns: [nameColumn, ageColumn], schema: SelfSubjectRulesReviewSchema, hasStatus: false,
  }),
  resource({
    group: RBAC_GROUP, kind: 'Role', plural: 'roles', namespaced: true,
    columns: roleColumns, schema: RoleSchema, hasStatus: false,
  }),
  resource({
    group: RBAC_GROUP, kind: 'RoleBinding', plural: 'rolebindings', namespaced: true,
    columns: roleBindingColumns, schema: RoleBindingSchema, hasStatus: false,
  }),
  resource({
    group: RBAC_GROUP, kind: 'ClusterRole', plural: 'clusterroles', namespaced: false,
    columns: clusterRoleColumns, schema: ClusterRoleSchema, hasStatus: false,
  }),
  resource({
    group: RBAC_GROUP, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false,
    columns: clusterRoleBindingColumns, schema: ClusterRoleBindingSchema, hasStatus: false,
  }),
];

export interface Registry {
  /** The built-in resources, then the registered (custom) ones; a fresh array on every call. */
  all(): ResourceInfo[];
  /** by group ('' for core) and plural; for a resource served in several versions, the preferred one */
  get(group: string, plural: string): ResourceInfo | undefined;
  /** one served version of a resource */
  getVersion(group: string, version: string, plural: string): ResourceInfo | undefined;
  byKind(apiVersion: string, kind: string): ResourceInfo | undefined;
  /**
   * kubectl-style lookup: plural, singular, short name or kind (case-insensitive), optionally
   * qualified by group (`deployments.apps`) or version and group (`deployments.v1.apps`).
   */
  resolve(nameOrShortOrKind: string): ResourceInfo[];
  /**
   * Serves a resource (all versions of one group/plural, the preferred first), replacing what was
   * registered under that group/plural. Built-in resources cannot be replaced.
   */
  register(infos: readonly ResourceInfo[]): void;
  /** Stops serving a registered resource (every version). */
  unregister(group: string, plural: string): void;
}

function matchesName(info: ResourceInfo, name: string): boolean {
  return (
    info.plural === name || info.singular === name || info.kind.toLowerCase() === name || info.shortNames.includes(name)
  );
}

/** Registered resources (custom resources served by the apiserver's apiextensions controller), by group/plural. */
const dynamic = new Map<string, readonly ResourceInfo[]>();

function current(): ResourceInfo[] {
  const out = [...RESOURCES];
  for (const infos of dynamic.values()) out.push(...infos);
  return out;
}

export const registry: Registry = {
  all: current,
  get: (group, plural) => current().find((r) => r.group === group && r.plural === plural),
  getVersion: (group, version, plural) => current().find((r) => r.group === group && r.version === version && r.plural === plural),
  byKind: (apiVersion, kind) => current().find((r) => r.apiVersion === apiVersion && r.kind === kind),
  resolve(input) {
    const lower = input.trim().toLowerCase();
    if (lower === '') return [];
    // one entry per resource: its preferred version
    const all = current().filter((r, i, list) => list.findIndex((o) => o.group === r.group && o.plural === r.plural) === i);
    const exact = all.filter((r) => matchesName(r, lower));
    if (exact.length > 0) return exact;
    // `name.group` or `name.version.group`; core resources may be qualified with an empty group (`pods.`).
    const dot = lower.indexOf('.');
    if (dot < 0) return [];
    const name = lower.slice(0, dot);
    const rest = lower.slice(dot + 1);
    return current().filter(
      (r) => matchesName(r, name) && (rest === r.group || rest === `${r.version}.${r.group}` || rest === r.version && r.group === ''),
    ).filter((r, i, list) => rest !== r.group || list.findIndex((o) => o.group === r.group && o.plural === r.plural) === i);
  },
  register(infos) {
    if (infos.length === 0) return;
    const { group, plural } = infos[0];
    if (RESOURCES.some((r) => r.group === group && r.plural === plural)) throw new Error(`${plural}.${group} is a built-in resource`);
    dynamic.set(`${group}/${plural}`, [...infos]);
  },
  unregister(group, plural) {
    dynamic.delete(`${group}/${plural}`);
  },
};
