import type { NodeSelectorTerm } from './objects.js';

/**
 * Node selector terms (nodeAffinity) compiled once per pod into closures, so filtering a
 * pod against thousands of nodes does no parsing. Semantics follow Kubernetes'
 * component-helpers nodeaffinity: terms are ORed; inside a term matchExpressions and
 * matchFields are ANDed; a term with neither matches nothing; an invalid requirement
 * (e.g. Gt with a non-integer) makes its term match nothing.
 */
export type NodeMatcher = (labels: Readonly<Record<string, string>>, nodeName: string) => boolean;

const never: NodeMatcher = () => false;

interface Requirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

function parseIntStrict(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function labelRequirement(r: Requirement): NodeMatcher | undefined {
  const { key } = r;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return (labels) => {
        const v = labels[key];
        return v !== undefined && values.includes(v);
      };
    case 'NotIn':
      if (values.length === 0) return undefined;
      return (labels) => {
        const v = labels[key];
        return v === undefined || !values.includes(v);
      };
    case 'Exists':
      if (values.length !== 0) return undefined;
      return (labels) => labels[key] !== undefined;
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return (labels) => labels[key] === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseIntStrict(values[0]) : undefined;
      if (bound === undefined) return undefined;
      const gt = r.operator === 'Gt';
      return (labels) => {
        const v = labels[key];
        const n = v === undefined ? undefined : parseIntStrict(v);
        if (n === undefined) return false;
        return gt ? n > bound : n < bound;
      };
    }
    default:
      return undefined;
  }
}

/** matchFields supports only metadata.name with In/NotIn and one value, as Kubernetes. */
function fieldRequirement(r: Requirement): NodeMatcher | undefined {
  const values = r.values ?? [];
  if (r.key !== 'metadata.name' || values.length !== 1) return undefined;
  if (r.operator === 'In') return (_l, name) => name === values[0];
  if (r.operator === 'NotIn') return (_l, name) => name !== values[0];
  return undefined;
}

export function compileTerm(term: NodeSelectorTerm): NodeMatcher {
  const parts: NodeMatcher[] = [];
  for (const r of term.matchExpressions ?? []) {
    const m = labelRequirement(r);
    if (!m) return never;
    parts.push(m);
  }
  for (const r of term.matchFields ?? []) {
    const m = fieldRequirement(r);
    if (!m) return never;
    parts.push(m);
  }
  if (parts.length === 0) return never;
  if (parts.length === 1) return parts[0];
  return (labels, name) => {
    for (const p of parts) if (!p(labels, name)) return false;
    return true;
  };
}

/** ORs the terms; no terms (or only empty ones) matches no node. */
export function compileTerms(terms: NodeSelectorTerm[]): NodeMatcher {
  const compiled = terms.map(compileTerm).filter((m) => m !== never);
  if (compiled.length === 0) return never;
  if (compiled.length === 1) return compiled[0];
  return (labels, name) => {
    for (const m of compiled) if (m(labels, name)) return true;
    return false;
  };
}

/** spec.nodeSelector: every pair must be present with the same value. */
export function compileNodeSelector(sel: Readonly<Record<string, string>>): NodeMatcher | undefined {
  const pairs = Object.entries(sel);
  if (pairs.length === 0) return undefined;
  return (labels) => {
    for (const [k, v] of pairs) if (labels[k] !== v) return false;
    return true;
  };
}
