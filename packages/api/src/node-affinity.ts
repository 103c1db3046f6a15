// Node selectors and required node affinity (k8s.io/component-helpers/scheduling/corev1/nodeaffinity),
// compiled once per pod into closures: the scheduler filters thousands of nodes per pod, DaemonSets
// check every node. Labels are matched by labels.ts's Selector (node requirements accept Gt/Lt),
// fields by fields.ts's FieldSelector; this module only decides how terms combine.

import { FieldSelector, type FieldRequirement } from './fields.js';
import { LabelSelectorError, nodeSelectorRequirementsAsSelector, selectorFromSet, type NodeSelectorRequirementInput } from './labels.js';

/** Whether a node (its labels and name) satisfies a compiled selector. */
export type NodeMatcher = (labels: Readonly<Record<string, string>>, nodeName: string) => boolean;

/** The core/v1 NodeSelectorTerm wire shape. */
export interface NodeSelectorTermInput {
  matchExpressions?: readonly NodeSelectorRequirementInput[] | null;
  matchFields?: readonly NodeSelectorRequirementInput[] | null;
}

/** The parts of a PodSpec that constrain which nodes it may run on. */
export interface NodeAffinitySpecInput {
  nodeSelector?: Readonly<Record<string, string>> | null;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: readonly NodeSelectorTermInput[] | null } | null;
    } | null;
  } | null;
}

/** The one field a node offers to matchFields. */
export const NODE_NAME_FIELD = 'metadata.name';

const matchesNoNode: NodeMatcher = () => false;

/** A matchFields list (In/NotIn with exactly one value) → FieldSelector; throws LabelSelectorError if invalid. */
function nodeFieldSelector(reqs: readonly NodeSelectorRequirementInput[]): FieldSelector {
  return FieldSelector.of(
    reqs.map((r, i): FieldRequirement => {
      const values = r.values ?? [];
      if (values.length !== 1) {
        throw new LabelSelectorError('LabelSelectorInvalid', `matchFields[${i}].values: Invalid value: ${JSON.stringify(values)}: must have one element`);
      }
      if (r.operator === 'In') return { field: r.key, operator: '=', value: values[0] };
      if (r.operator === 'NotIn') return { field: r.key, operator: '!=', value: values[0] };
      throw new LabelSelectorError('LabelSelectorInvalid', `matchFields[${i}].operator: Unsupported value: ${JSON.stringify(r.operator)}: supported values: "In", "NotIn"`);
    }),
  );
}

/** The field selector applied to a node name, without allocating per node (matching is synchronous). */
function nodeFieldMatcher(selector: FieldSelector): (nodeName: string) => boolean {
  let current = '';
  const fieldsOfNode = (field: string) => (field === NODE_NAME_FIELD ? current : undefined);
  return (nodeName) => {
    current = nodeName;
    return selector.matches(fieldsOfNode);
  };
}

/**
 * One NodeSelectorTerm: its matchExpressions (labels; In, NotIn, Exists, DoesNotExist, Gt, Lt)
 * and matchFields (only metadata.name exists) are ANDed. A term with neither matches no node; so
 * does an invalid term (e.g. Gt with a non-integer value, an unknown operator), as Kubernetes'
 * lazy-error node selector treats a term that failed to parse.
 */
export function compileNodeSelectorTerm(term: NodeSelectorTermInput): NodeMatcher {
  const exprs = term.matchExpressions ?? [];
  const fieldReqs = term.matchFields ?? [];
  if (exprs.length === 0 && fieldReqs.length === 0) return matchesNoNode;
  try {
    const labels = exprs.length > 0 ? nodeSelectorRequirementsAsSelector(exprs) : undefined;
    const fields = fieldReqs.length > 0 ? nodeFieldMatcher(nodeFieldSelector(fieldReqs)) : undefined;
    if (labels && fields) return (ls, name) => labels.matches(ls) && fields(name);
    if (labels) return (ls) => labels.matches(ls);
    return (_ls, name) => fields!(name);
  } catch (err) {
    if (err instanceof LabelSelectorError) return matchesNoNode;
    throw err;
  }
}

/** A v1.NodeSelector's terms, ORed; no terms (or only empty or invalid ones) match no node. */
export function compileNodeSelectorTerms(terms: readonly NodeSelectorTermInput[] | null | undefined): NodeMatcher {
  const compiled = (terms ?? []).map(compileNodeSelectorTerm).filter((m) => m !== matchesNoNode);
  if (compiled.length === 0) return matchesNoNode;
  if (compiled.length === 1) return compiled[0];
  return (labels, name) => {
    for (const m of compiled) if (m(labels, name)) return true;
    return false;
  };
}

/** spec.nodeSelector: every pair must be present with the same value; undefined when empty. */
export function compileNodeSelectorMap(selector: Readonly<Record<string, string>> | null | undefined): NodeMatcher | undefined {
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const s = selectorFromSet(selector);
  return (labels) => s.matches(labels);
}

/**
 * The pod's hard node constraints (nodeaffinity.GetRequiredNodeAffinity): spec.nodeSelector AND
 * the required node affinity terms (a required section without terms matches nothing).
 * Undefined when the pod has neither, i.e. it fits every node.
 */
export function compileRequiredNodeAffinity(spec: NodeAffinitySpecInput): NodeMatcher | undefined {
  const bySelector = compileNodeSelectorMap(spec.nodeSelector);
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const byAffinity = required ? compileNodeSelectorTerms(required.nodeSelectorTerms) : undefined;
  if (bySelector && byAffinity) return (labels, name) => bySelector(labels, name) && byAffinity(labels, name);
  return bySelector ?? byAffinity;
}

/** The node shape matching reads. */
export interface NodeLike {
  metadata: { name?: string | null; labels?: Readonly<Record<string, string>> | null };
}

/** Whether the pod's nodeSelector and required node affinity allow `node` (compiles on every call). */
export function podMatchesNodeAffinity(spec: NodeAffinitySpecInput, node: NodeLike): boolean {
  const m = compileRequiredNodeAffinity(spec);
  return !m || m(node.metadata.labels ?? {}, node.metadata.name ?? '');
}
