/**
 * The audit policy (audit.k8s.io/v1 `Policy`) and kube-apiserver's rule evaluation
 * (k8s.io/apiserver/pkg/audit/policy/checker.go): rules are tried in order, the FIRST match decides the level,
 * no match means `None`. A rule's omitStages are unioned with the policy's; a rule's omitManagedFields, when
 * set, overrides the policy's.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Attributes } from '../auth/types.js';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;

export const levelSchema = z.enum(LEVELS);
export const stageSchema = z.enum(STAGES);
export type Level = z.infer<typeof levelSchema>;
export type Stage = z.infer<typeof stageSchema>;

const strings = z.array(z.string()).optional();

export const groupResourcesSchema = z.strictObject({
  /** '' (or absent) is the core group */
  group: z.string().optional(),
  /** `pods`, `pods/log`, `*`, `pods/*`, `*\/status`; empty = every resource of the group */
  resources: strings,
  resourceNames: strings,
});

export const policyRuleSchema = z.strictObject({
  level: levelSchema,
  users: strings,
  userGroups: strings,
  verbs: strings,
  resources: z.array(groupResourcesSchema).optional(),
  /** '' matches cluster-scoped resources */
  namespaces: strings,
  /** `/healthz`, `/healthz*`, `*` */
  nonResourceURLs: strings,
  omitStages: z.array(stageSchema).optional(),
  omitManagedFields: z.boolean().optional(),
});

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const auditPolicySchema = z.strictObject({
  apiVersion: z.literal('audit.k8s.io/v1'),
  kind: z.literal('Policy'),
  metadata: z.record(z.string(), z.unknown()).optional(),
  rules: z.array(policyRuleSchema),
  omitStages: z.array(stageSchema).optional(),
  omitManagedFields: z.boolean().optional(),
}).superRefine((p, ctx) => {
  // kube's ValidatePolicy (pkg/apis/audit/validation), plus the loader's "0 rules" check
  if (p.rules.length === 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'Required value: loaded illegal policy with 0 rules' });
  p.rules.forEach((r, i) => {
    (r.nonResourceURLs ?? []).forEach((u, j) => {
      if (u === '*') return;
      const path = ['rules', i, 'nonResourceURLs', j];
      if (!u.startsWith('/')) ctx.addIssue({ code: 'custom', path, message: `Invalid value: ${JSON.stringify(u)}: non-resource URL rules must begin with a '/' character` });
      if (u !== '' && u.slice(0, -1).includes('*')) {
        ctx.addIssue({ code: 'custom', path, message: `Invalid value: ${JSON.stringify(u)}: non-resource URL wildcards '*' must be the final character of the rule` });
      }
    });
    (r.resources ?? []).forEach((gr, j) => {
      if (gr.group && !DNS1123_SUBDOMAIN.test(gr.group)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'resources', j, 'group'], message: `Invalid value: ${JSON.stringify(gr.group)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` });
      }
      if ((gr.resourceNames?.length ?? 0) > 0 && (gr.resources?.length ?? 0) === 0) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'resources', j, 'resourceNames'], message: 'Invalid value: using resourceNames requires at least one resource' });
      }
    });
    if ((r.nonResourceURLs?.length ?? 0) > 0 && ((r.resources?.length ?? 0) > 0 || (r.namespaces?.length ?? 0) > 0)) {
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'nonResourceURLs'], message: 'Invalid value: rules cannot apply to both regular resources and non-resource URLs' });
    }
  });
});

export type AuditPolicy = z.infer<typeof auditPolicySchema>;
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** What `npm start` uses: every request at Metadata, without the RequestReceived stage. */
export const DEFAULT_POLICY: AuditPolicy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [{ level: 'Metadata' }],
};

/** The outcome of evaluating a policy for one request. Shared, frozen objects: evaluation allocates nothing. */
export interface RequestAuditConfig {
  readonly level: Level;
  readonly omitStages: ReadonlySet<Stage>;
  readonly omitManagedFields: boolean;
}

interface CompiledRule {
  readonly rule: PolicyRule;
  readonly users?: ReadonlySet<string>;
  readonly groups?: ReadonlySet<string>;
  readonly verbs?: ReadonlySet<string>;
  readonly namespaces?: ReadonlySet<string>;
  readonly config: RequestAuditConfig;
}

interface CompiledPolicy { readonly rules: readonly CompiledRule[]; readonly fallback: RequestAuditConfig }

const compiled = new WeakMap<AuditPolicy, CompiledPolicy>();

function setOf(list: string[] | undefined): ReadonlySet<string> | undefined {
  return list && list.length > 0 ? new Set(list) : undefined;
}

function compile(policy: AuditPolicy): CompiledPolicy {
  const globalOmit = policy.omitStages ?? [];
  const rules = policy.rules.map((rule): CompiledRule => ({
    rule,
    users: setOf(rule.users), groups: setOf(rule.userGroups), verbs: setOf(rule.verbs), namespaces: setOf(rule.namespaces),
    config: Object.freeze({
      level: rule.level,
      omitStages: new Set([...globalOmit, ...(rule.omitStages ?? [])]),
      omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false,
    }),
  }));
  const fallback = Object.freeze({ level: 'None' as const, omitStages: new Set(globalOmit), omitManagedFields: policy.omitManagedFields ?? false });
  return { rules, fallback };
}

/** The level, stages and managed-fields choice for a request: the first matching rule's, else None. */
export function evaluatePolicy(policy: AuditPolicy, attrs: Attributes): RequestAuditConfig {
  let c = compiled.get(policy);
  if (!c) { c = compile(policy); compiled.set(policy, c); }
  for (const r of c.rules) if (ruleMatches(r, attrs)) return r.config;
  return c.fallback;
}

export function levelFor(policy: AuditPolicy, attrs: Attributes): Level {
  return evaluatePolicy(policy, attrs).level;
}

function ruleMatches(r: CompiledRule, attrs: Attributes): boolean {
  if (r.users && !r.users.has(attrs.user.username)) return false;
  if (r.groups && !attrs.user.groups.some((g) => r.groups!.has(g))) return false;
  if (r.verbs && !r.verbs.has(attrs.verb)) return false;
  if (r.namespaces || (r.rule.resources?.length ?? 0) > 0) return resourceMatches(r, attrs);
  if ((r.rule.nonResourceURLs?.length ?? 0) > 0) return nonResourceMatches(r.rule.nonResourceURLs!, attrs);
  return true;
}

function nonResourceMatches(specs: string[], attrs: Attributes): boolean {
  if (attrs.resourceRequest) return false;
  return specs.some((spec) => spec === '*' || spec === attrs.path || (spec.endsWith('*') && attrs.path.startsWith(spec.replace(/\*+$/, ''))));
}

function resourceMatches(r: CompiledRule, attrs: Attributes): boolean {
  if (!attrs.resourceRequest) return false;
  // cluster-scoped requests carry namespace '' and so match a rule listing ""
  if (r.namespaces && !r.namespaces.has(attrs.namespace)) return false;
  const groups = r.rule.resources;
  if (!groups || groups.length === 0) return true;
  const { resource, subresource, name } = attrs;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const gr of groups) {
    if ((gr.group ?? '') !== attrs.apiGroup) continue;
    if (!gr.resources || gr.resources.length === 0) return true;
    if (gr.resourceNames && gr.resourceNames.length > 0 && !gr.resourceNames.includes(name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (subresource && res.startsWith('*/') && res.slice(2) === subresource) return true;
      // `pods/*` matches pods and all its subresources (as kube's checker does)
      if (res.endsWith('/*') && res.slice(0, -2) === resource) return true;
    }
  }
  return false;
}

/** Reads a Policy from a YAML or JSON file; the error names the file and every bad field. */
export async function loadAuditPolicy(file: string): Promise<AuditPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`failed to read audit policy file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  return parseAuditPolicy(text, file);
}

/** Parses policy text (YAML is a superset of JSON); `source` names it in errors. */
export function parseAuditPolicy(text: string, source = 'audit policy'): AuditPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`failed decoding audit policy file ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
  const res = auditPolicySchema.safeParse(doc, { reportInput: true });
  if (res.success) return res.data;
  const msgs = res.error.issues.map(describeIssue);
  throw new Error(`invalid audit policy file ${JSON.stringify(source)}: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`}`);
}

/** A zod issue as kube's field errors read: `rules[0].level: Unsupported value: "All": supported values: ...`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
  const input = (issue as { input?: unknown }).input;
  const at = field ? `${field}: ` : '';
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `${at}Required value` : `${at}Invalid value: ${JSON.stringify(input)}: must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${at}Unsupported value: ${JSON.stringify(input)}: supported values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return issue.keys.map((k) => `unknown field ${JSON.stringify(field ? `${field}.${k}` : k)}`).join(', ');
    default:
      return `${at}${issue.message}`;
  }
}
