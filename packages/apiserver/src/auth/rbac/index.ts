// RBAC for the API server (rbac.authorization.k8s.io/v1): what the rest of the apiserver uses.
export { RbacAuthorizer } from './authorizer.js';
export { ruleAllows, rulesAllow } from './rule-match.js';
export {
  type NotFoundWording, type RbacSource, type RoleRefRules, type RuleOrigin, type RuleResolution, type RuleVisitor,
  aggregateErrors, appliesTo, describeOrigin, roleRefRules, rulesFor, serviceAccountUsername, splitRulesForReview, subjectMatches, visitRulesFor,
} from './rules.js';
export { type RbacObjects, staticRbacSource } from './static-source.js';
export { breakdownRule, compactRules, compactString, covers, ruleCovers } from './covers.js';
export {
  type BindingWrite, type EscalationDeps, type RoleWrite, SYSTEM_MASTERS,
  checkBindingWrite, checkRoleWrite, confirmNoEscalation, escalationAllowed, escalationDeps, isOnlyMutatingGCFields,
} from './escalation.js';
export {
  AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW, AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABEL, BOOTSTRAP_LABEL_VALUE, type BootstrapPolicy,
  CONTROLLER_NAMES, CONTROLLER_ROLE_PREFIX, KUBEADM_BOOTSTRAP_GROUP, bootstrapPolicy,
} from './bootstrap-policy.js';
export { type BindingReconcileResult, type ReconcileAction, type RoleReconcileResult, reconcileBinding, reconcileRole } from './reconcile.js';
