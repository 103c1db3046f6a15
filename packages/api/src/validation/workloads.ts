import { labelSelectorAsSelectorOrError, LabelSelectorError } from '../labels.js';
import type { DaemonSet, Deployment, ReplicaSet } from '../schemas/apps.js';
import type { IntOrString, LabelSelectorSpec } from '../schemas/primitives.js';
import {
  type FieldCause,
  child,
  forbidden,
  formatStringMap,
  invalid,
  invalidRendered,
  nonNegative,
  required,
} from './field-errors.js';
import { validateLabels } from './meta.js';
import { validatePodSpec } from './pod-spec.js';

// apps/v1 rules: selector required, non-empty and matching the template; replicas ≥ 0;
// rolling-update parameters; the template is a pod spec whose restartPolicy must be Always.

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MESSAGE =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

function validateSelectorAndTemplate(
  kind: string,
  selector: LabelSelectorSpec | undefined,
  template: Deployment['spec']['template'],
): FieldCause[] {
  const causes: FieldCause[] = [];
  const labels = template.metadata?.labels;
  causes.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  if (!selector) {
    causes.push(required('spec.selector'));
  } else {
    causes.push(...validateLabels(selector.matchLabels, 'spec.selector.matchLabels'));
    const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    if (empty) {
      causes.push(invalidRendered('spec.selector', JSON.stringify(selector), `empty selector is invalid for ${kind.toLowerCase()}`));
    } else {
      const sel = labelSelectorAsSelectorOrError(selector);
      if (sel instanceof LabelSelectorError) causes.push(invalidRendered('spec.selector', JSON.stringify(selector), sel.message));
      else if (!sel.matches(labels ?? {})) {
        causes.push(
          invalidRendered('spec.template.metadata.labels', formatStringMap(labels), '`selector` does not match template `labels`'),
        );
      }
    }
  }
  causes.push(...validatePodSpec(template.spec, 'spec.template.spec', { restartPolicies: ['Always'] }));
  return causes;
}

function validateIntOrPercent(value: IntOrString | undefined, path: string): FieldCause[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return nonNegative(path, value);
  if (!PERCENT_RE.test(value)) return [invalid(path, value, PERCENT_MESSAGE)];
  return [];
}

function percentOrInt(value: IntOrString | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number.parseInt(value, 10) || 0;
}

export function validateDeployment(d: Deployment): FieldCause[] {
  const spec = d.spec;
  const causes = validateSelectorAndTemplate('Deployment', spec.selector, spec.template);
  causes.push(...nonNegative('spec.replicas', spec.replicas));
  causes.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  causes.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  const strategy = spec.strategy;
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate) {
    causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  const ru = strategy?.rollingUpdate;
  if (ru && strategy?.type !== 'Recreate') {
    const path = 'spec.strategy.rollingUpdate';
    causes.push(...validateIntOrPercent(ru.maxUnavailable, child(path, 'maxUnavailable')));
    causes.push(...validateIntOrPercent(ru.maxSurge, child(path, 'maxSurge')));
    if (ru.maxUnavailable !== undefined && ru.maxSurge !== undefined && percentOrInt(ru.maxUnavailable) === 0 && percentOrInt(ru.maxSurge) === 0) {
      causes.push(invalid(child(path, 'maxUnavailable'), ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
    if (typeof ru.maxUnavailable === 'string' && PERCENT_RE.test(ru.maxUnavailable) && percentOrInt(ru.maxUnavailable) > 100) {
      causes.push(invalid(child(path, 'maxUnavailable'), ru.maxUnavailable, 'must not be greater than 100%'));
    }
  }
  if (spec.progressDeadlineSeconds !== undefined) {
    causes.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      causes.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return causes;
}

export function validateReplicaSet(rs: ReplicaSet): FieldCause[] {
  const causes = validateSelectorAndTemplate('ReplicaSet', rs.spec.selector, rs.spec.template);
  causes.push(...nonNegative('spec.replicas', rs.spec.replicas));
  causes.push(...nonNegative('spec.minReadySeconds', rs.spec.minReadySeconds));
  return causes;
}

export function validateDaemonSet(ds: DaemonSet): FieldCause[] {
  const causes = validateSelectorAndTemplate('DaemonSet', ds.spec.selector, ds.spec.template);
  causes.push(...nonNegative('spec.minReadySeconds', ds.spec.minReadySeconds));
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  if (ru) {
    causes.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
    causes.push(...validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
  }
  return causes;
}
