import type { LabelSelectorSpec, Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '@tinykube/api';

/**
 * Label and node selectors as the controllers need them. (@tinykube/api parses selector *strings*
 * for the wire; here we only match structured selectors against label maps.)
 */

/** metav1.LabelSelectorSpec semantics: an empty selector matches everything; null matches nothing. */
export function matchesLabelSelector(sel: LabelSelectorSpec | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const vals = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !vals.includes(l[req.key])) return false; break;
      case 'NotIn': if (has && vals.includes(l[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service-style selector (plain map): an empty map matches nothing for Services, so callers check emptiness. */
export function matchesMap(sel: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(sel).every(([k, v]) => l[k] === v);
}

function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const vals = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && vals.includes(value);
    case 'NotIn': return value === undefined || !vals.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || vals.length !== 1) return false;
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(vals[0], 10);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm: all its expressions (labels) and fields (only metadata.name) must match. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false; // an empty term matches no objects
  const labels = node.metadata.labels ?? {};
  for (const e of exprs) if (!matchRequirement(e, labels[e.key])) return false;
  for (const f of fields) {
    const v = f.key === 'metadata.name' ? node.metadata.name : undefined;
    if (!matchRequirement(f, v)) return false;
  }
  return true;
}

/** nodeSelector plus required node affinity (terms are ORed), as the scheduler and DaemonSets apply them. */
export function podFitsNode(spec: PodSpec, node: Node): boolean {
  if (spec.nodeSelector && !matchesMap(spec.nodeSelector, node.metadata.labels)) return false;
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req && !req.nodeSelectorTerms.some((t) => matchesNodeSelectorTerm(t, node))) return false;
  return true;
}
