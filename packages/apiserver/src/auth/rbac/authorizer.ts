/**
 * The RBAC authorizer (kube's plugin/pkg/auth/authorizer/rbac): allow when any rule bound to the user
 * allows the request, otherwise no opinion, so a later authorizer may still allow. It never denies.
 */
import type { Attributes, Authorizer, Decision, UserInfo } from '../types.js';
import { ruleAllows } from './rule-match.js';
import { type RbacSource, type RuleOrigin, type RuleResolution, aggregateErrors, describeOrigin, rulesFor, visitRulesFor } from './rules.js';

export class RbacAuthorizer implements Authorizer {
  readonly name = 'RBAC';

  constructor(private readonly source: RbacSource) {}

  /**
   * Allow reasons are kube's (`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`).
   * A no-opinion reason is empty unless a binding named a role that does not exist; then, as kube does,
   * it is `RBAC: ` and those errors (the final 403 message appends it).
   */
  authorize(a: Attributes): Decision {
    let allowedBy: RuleOrigin | undefined;
    const errors: string[] = [];
    visitRulesFor(this.source, a.user, a.namespace, (origin, rule, error) => {
      if (origin && rule && ruleAllows(a, rule)) {
        allowedBy = origin;
        return false;
      }
      if (error !== undefined) errors.push(error);
      return true;
    });
    if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${describeOrigin(allowedBy)}` };
    return { decision: 'noOpinion', reason: errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  /** Every rule the user holds in `namespace` ('' = cluster-wide only), for SelfSubjectRulesReview. */
  rulesFor(user: UserInfo, namespace: string): RuleResolution {
    return rulesFor(this.source, user, namespace);
  }
}
