import { z } from 'zod';
import * as s from '../schemas/index.js';

// The OpenAPI definition name of every shared sub-schema, as Kubernetes names it. A schema listed here becomes
// one definition that others `$ref`; a schema not listed is inlined where it is used. Top-level kinds are named
// from the registry (see kindDefinitionName), so they are not repeated here.

const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const RBAC = 'io.k8s.api.rbac.v1.';
const AUTHN = 'io.k8s.api.authentication.v1.';
const AUTHZ = 'io.k8s.api.authorization.v1.';
const CERTS = 'io.k8s.api.certificates.v1.';

export const TIME = `${META}Time`;
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const LIST_META = `${META}ListMeta`;

export const SUB_SCHEMA_NAMES: ReadonlyArray<readonly [z.ZodType, string]> = [
  [s.TimeSchema, TIME],
  [s.IntOrStringSchema, INT_OR_STRING],
  [s.QuantitySchema, QUANTITY],
  [s.ObjectMetaSchema, `${META}ObjectMeta`],
  [s.OwnerReferenceSchema, `${META}OwnerReference`],
  [s.ManagedFieldsEntrySchema, `${META}ManagedFieldsEntry`],
  [s.ListMetaSchema, LIST_META],
  [s.LabelSelectorSchema, `${META}LabelSelector`],
  [s.LabelSelectorRequirementSchema, `${META}LabelSelectorRequirement`],
  [s.ObjectReferenceSchema, `${CORE}ObjectReference`],
  [s.LocalObjectReferenceSchema, `${CORE}LocalObjectReference`],
  [s.ContainerSchema, `${CORE}Container`],
  [s.ContainerPortSchema, `${CORE}ContainerPort`],
  [s.EnvVarSchema, `${CORE}EnvVar`],
  [s.EnvVarSourceSchema, `${CORE}EnvVarSource`],
  [s.EnvFromSourceSchema, `${CORE}EnvFromSource`],
  [s.ResourceRequirementsSchema, `${CORE}ResourceRequirements`],
  [s.VolumeMountSchema, `${CORE}VolumeMount`],
  [s.ProbeSchema, `${CORE}Probe`],
  [s.ExecActionSchema, `${CORE}ExecAction`],
  [s.HTTPGetActionSchema, `${CORE}HTTPGetAction`],
  [s.TCPSocketActionSchema, `${CORE}TCPSocketAction`],
  [s.LifecycleSchema, `${CORE}Lifecycle`],
  [s.LifecycleHandlerSchema, `${CORE}LifecycleHandler`],
  [s.ContainerStatusSchema, `${CORE}ContainerStatus`],
  [s.ContainerStateSchema, `${CORE}ContainerState`],
  [s.PodSpecSchema, `${CORE}PodSpec`],
  [s.PodStatusSchema, `${CORE}PodStatus`],
  [s.PodConditionSchema, `${CORE}PodCondition`],
  [s.PodIPSchema, `${CORE}PodIP`],
  [s.PodTemplateSpecSchema, `${CORE}PodTemplateSpec`],
  [s.VolumeSchema, `${CORE}Volume`],
  [s.ProjectedVolumeSourceSchema, `${CORE}ProjectedVolumeSource`],
  [s.VolumeProjectionSchema, `${CORE}VolumeProjection`],
  [s.DownwardAPIVolumeFileSchema, `${CORE}DownwardAPIVolumeFile`],
  [s.TolerationSchema, `${CORE}Toleration`],
  [s.AffinitySchema, `${CORE}Affinity`],
  [s.NodeAffinitySchema, `${CORE}NodeAffinity`],
  [s.NodeSelectorTermSchema, `${CORE}NodeSelectorTerm`],
  [s.NodeSelectorRequirementSchema, `${CORE}NodeSelectorRequirement`],
  [s.TaintSchema, `${CORE}Taint`],
  [s.NodeSpecSchema, `${CORE}NodeSpec`],
  [s.NodeStatusSchema, `${CORE}NodeStatus`],
  [s.NodeConditionSchema, `${CORE}NodeCondition`],
  [s.NodeAddressSchema, `${CORE}NodeAddress`],
  [s.NodeSystemInfoSchema, `${CORE}NodeSystemInfo`],
  [s.ServiceSpecSchema, `${CORE}ServiceSpec`],
  [s.ServicePortSchema, `${CORE}ServicePort`],
  [s.LoadBalancerIngressSchema, `${CORE}LoadBalancerIngress`],
  [s.EndpointSubsetSchema, `${CORE}EndpointSubset`],
  [s.EndpointAddressSchema, `${CORE}EndpointAddress`],
  [s.EndpointPortSchema, `${CORE}EndpointPort`],
  [s.EventSourceSchema, `${CORE}EventSource`],
  [s.DeploymentSpecSchema, `${APPS}DeploymentSpec`],
  [s.DeploymentStatusSchema, `${APPS}DeploymentStatus`],
  [s.DeploymentStrategySchema, `${APPS}DeploymentStrategy`],
  [s.RollingUpdateDeploymentSchema, `${APPS}RollingUpdateDeployment`],
  [s.ReplicaSetSpecSchema, `${APPS}ReplicaSetSpec`],
  [s.ReplicaSetStatusSchema, `${APPS}ReplicaSetStatus`],
  [s.DaemonSetSpecSchema, `${APPS}DaemonSetSpec`],
  [s.DaemonSetStatusSchema, `${APPS}DaemonSetStatus`],
  [s.DaemonSetUpdateStrategySchema, `${APPS}DaemonSetUpdateStrategy`],
  [s.PolicyRuleSchema, `${RBAC}PolicyRule`],
  [s.SubjectSchema, `${RBAC}Subject`],
  [s.RoleRefSchema, `${RBAC}RoleRef`],
  [s.AggregationRuleSchema, `${RBAC}AggregationRule`],
  [s.AuthnUserInfoSchema, `${AUTHN}UserInfo`],
  [s.TokenReviewSpecSchema, `${AUTHN}TokenReviewSpec`],
  [s.TokenReviewStatusSchema, `${AUTHN}TokenReviewStatus`],
  [s.ResourceAttributesSchema, `${AUTHZ}ResourceAttributes`],
  [s.NonResourceAttributesSchema, `${AUTHZ}NonResourceAttributes`],
  [s.SubjectAccessReviewSpecSchema, `${AUTHZ}SubjectAccessReviewSpec`],
  [s.SubjectAccessReviewStatusSchema, `${AUTHZ}SubjectAccessReviewStatus`],
  [s.SelfSubjectAccessReviewSpecSchema, `${AUTHZ}SelfSubjectAccessReviewSpec`],
  [s.ResourceRuleSchema, `${AUTHZ}ResourceRule`],
  [s.NonResourceRuleSchema, `${AUTHZ}NonResourceRule`],
  [s.CertificateSigningRequestSpecSchema, `${CERTS}CertificateSigningRequestSpec`],
  [s.CertificateSigningRequestStatusSchema, `${CERTS}CertificateSigningRequestStatus`],
  [s.CertificateSigningRequestConditionSchema, `${CERTS}CertificateSigningRequestCondition`],
];

/** `io.k8s.api.core.v1.Pod`, `io.k8s.api.rbac.v1.Role`: the package is the group's first label ('' is core). */
export function kindDefinitionName(group: string, version: string, kind: string): string {
  const pkg = group === '' ? 'core' : group.split('.')[0];
  return `io.k8s.api.${pkg}.${version}.${kind}`;
}
