import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../auth/types.js';
import { DEFAULT_POLICY, evaluatePolicy, levelFor, loadAuditPolicy, parseAuditPolicy, type AuditPolicy, type PolicyRule } from './policy.js';

function attrs(over: Partial<Attributes> = {}): Attributes {
  return {
    user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
    verb: 'get', resourceRequest: true, path: '/api/v1/namespaces/default/pods/p',
    apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', namespace: 'default', name: 'p',
    ...over,
  };
}

function policy(...rules: PolicyRule[]): AuditPolicy {
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules };
}

const nonResource = (p: string, verb = 'get'): Attributes =>
  attrs({ resourceRequest: false, path: p, verb, resource: '', apiVersion: '', namespace: '', name: '' });

describe('audit policy matching', () => {
  it('has no match → None; first match wins', () => {
    expect(levelFor(policy({ level: 'Metadata', users: ['bob'] }), attrs())).toBe('None');
    const p = policy({ level: 'None', verbs: ['get'] }, { level: 'RequestResponse' });
    expect(levelFor(p, attrs())).toBe('None');
    expect(levelFor(p, attrs({ verb: 'create' }))).toBe('RequestResponse');
  });

  it('matches users and groups (any group)', () => {
    const p = policy({ level: 'Request', users: ['alice'] }, { level: 'Metadata', userGroups: ['ops', 'dev'] });
    expect(levelFor(p, attrs())).toBe('Request');
    expect(levelFor(p, attrs({ user: { username: 'bob', groups: ['dev'] } }))).toBe('Metadata');
    expect(levelFor(p, attrs({ user: { username: 'bob', groups: ['qa'] } }))).toBe('None');
  });

  it('matches verbs', () => {
    const p = policy({ level: 'Metadata', verbs: ['watch', 'list'] });
    expect(levelFor(p, attrs({ verb: 'watch' }))).toBe('Metadata');
    expect(levelFor(p, attrs({ verb: 'get' }))).toBe('None');
  });

  it('matches resources, subresources and their wildcards, by group', () => {
    const p = policy(
      { level: 'RequestResponse', resources: [{ group: '', resources: ['pods/log'] }] },
      { level: 'Request', resources: [{ group: 'apps', resources: ['*/scale'] }] },
      { level: 'Metadata', resources: [{ group: '', resources: ['pods'] }] },
      { level: 'None', resources: [{ group: 'apps', resources: ['deployments/*'] }] },
      { level: 'Metadata', resources: [{ group: 'batch' }] },
      { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['*'] }] },
    );
    expect(levelFor(p, attrs({ subresource: 'log' }))).toBe('RequestResponse');
    expect(levelFor(p, attrs())).toBe('Metadata');
    expect(levelFor(p, attrs({ subresource: 'status' }))).toBe('None'); // pods/status listed nowhere
    expect(levelFor(p, attrs({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }))).toBe('Request');
    expect(levelFor(p, attrs({ apiGroup: 'apps', resource: 'deployments' }))).toBe('None'); // deployments/* covers deployments too
    expect(levelFor(p, attrs({ apiGroup: 'apps', resource: 'deployments', subresource: 'status' }))).toBe('None');
    expect(levelFor(p, attrs({ apiGroup: 'batch', resource: 'jobs', subresource: 'status' }))).toBe('Metadata');
    expect(levelFor(p, attrs({ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', subresource: 'x' }))).toBe('Request');
    expect(levelFor(p, attrs({ resource: 'pods', apiGroup: 'apps' }))).toBe('None'); // group must match
  });

  it('matches resourceNames', () => {
    const p = policy({ level: 'Request', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['cfg'] }] });
    expect(levelFor(p, attrs({ resource: 'configmaps', name: 'cfg' }))).toBe('Request');
    expect(levelFor(p, attrs({ resource: 'configmaps', name: 'other' }))).toBe('None');
  });

  it('matches namespaces, "" being cluster-scoped', () => {
    const p = policy({ level: 'Metadata', namespaces: ['kube-system', ''] });
    expect(levelFor(p, attrs({ namespace: 'kube-system' }))).toBe('Metadata');
    expect(levelFor(p, attrs({ resource: 'nodes', namespace: '', name: 'n1' }))).toBe('Metadata');
    expect(levelFor(p, attrs())).toBe('None');
    expect(levelFor(p, nonResource('/healthz'))).toBe('None'); // namespace rules are resource rules
  });

  it('matches nonResourceURLs, exact, trailing * and *', () => {
    const p = policy({ level: 'None', nonResourceURLs: ['/healthz*', '/version'] }, { level: 'Metadata', nonResourceURLs: ['*'] });
    expect(levelFor(p, nonResource('/healthz'))).toBe('None');
    expect(levelFor(p, nonResource('/healthz/etcd'))).toBe('None');
    expect(levelFor(p, nonResource('/version'))).toBe('None');
    expect(levelFor(p, nonResource('/versions'))).toBe('Metadata');
    expect(levelFor(p, attrs())).toBe('None'); // URL rules never match resource requests
  });

  it('unions omitStages and lets a rule override omitManagedFields', () => {
    const p: AuditPolicy = {
      ...policy({ level: 'Metadata', verbs: ['get'], omitStages: ['ResponseStarted'], omitManagedFields: false }, { level: 'Request' }),
      omitStages: ['RequestReceived'], omitManagedFields: true,
    };
    const get = evaluatePolicy(p, attrs());
    expect([...get.omitStages].sort()).toEqual(['RequestReceived', 'ResponseStarted']);
    expect(get.omitManagedFields).toBe(false);
    expect(evaluatePolicy(p, attrs({ verb: 'list' })).omitManagedFields).toBe(true);
    expect(evaluatePolicy(p, attrs({ verb: 'list' }))).toBe(evaluatePolicy(p, attrs({ verb: 'list' }))); // shared, not allocated
  });

  it('DEFAULT_POLICY is Metadata for everything, without RequestReceived', () => {
    const c = evaluatePolicy(DEFAULT_POLICY, nonResource('/metrics'));
    expect(c.level).toBe('Metadata');
    expect([...c.omitStages]).toEqual(['RequestReceived']);
    expect(levelFor(DEFAULT_POLICY, attrs({ resource: 'secrets' }))).toBe('Metadata');
  });
});

describe('loading a policy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tk-audit-policy-'));

  it('reads YAML and JSON files', async () => {
    const yamlFile = path.join(dir, 'policy.yaml');
    writeFileSync(yamlFile, [
      'apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: ["RequestReceived"]', 'rules:',
      '  - level: None', '    nonResourceURLs: ["/healthz*"]',
      '  - level: Metadata', '    resources:', '      - group: ""', '        resources: ["secrets"]',
      '  - level: RequestResponse', '',
    ].join('\n'));
    const p = await loadAuditPolicy(yamlFile);
    expect(p.rules.map((r) => r.level)).toEqual(['None', 'Metadata', 'RequestResponse']);
    expect(levelFor(p, attrs({ resource: 'secrets' }))).toBe('Metadata');

    const jsonFile = path.join(dir, 'policy.json');
    writeFileSync(jsonFile, JSON.stringify(policy({ level: 'Request' })));
    expect(levelFor(await loadAuditPolicy(jsonFile), attrs())).toBe('Request');
  });

  it('names the file and the bad field', async () => {
    const f = path.join(dir, 'bad.yaml');
    writeFileSync(f, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything\n');
    await expect(loadAuditPolicy(f)).rejects.toThrow(`invalid audit policy file "${f}": rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse"`);
    await expect(loadAuditPolicy(path.join(dir, 'missing.yaml'))).rejects.toThrow(/failed to read audit policy file ".*missing.yaml"/);
  });

  it('applies kube validation: URL rules, wildcards, mixing, unknown fields, empty rules', () => {
    const bad = (rules: unknown[], extra: object = {}) => () => parseAuditPolicy(JSON.stringify({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra }), 'p.yaml');
    expect(bad([{ level: 'None', nonResourceURLs: ['healthz'] }])).toThrow(`rules[0].nonResourceURLs[0]: Invalid value: "healthz": non-resource URL rules must begin with a '/' character`);
    expect(bad([{ level: 'None', nonResourceURLs: ['/a*b'] }])).toThrow(`non-resource URL wildcards '*' must be the final character of the rule`);
    expect(bad([{ level: 'None', nonResourceURLs: ['/x'], namespaces: ['a'] }])).toThrow('rules[0].nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs');
    expect(bad([{ level: 'None', resource: [{ group: '' }] }])).toThrow('unknown field "rules[0].resource"');
    expect(bad([{ level: 'None', resources: [{ group: 'Apps' }] }])).toThrow('rules[0].resources[0].group: Invalid value: "Apps"');
    expect(bad([{ level: 'None', resources: [{ resourceNames: ['x'] }] }])).toThrow('using resourceNames requires at least one resource');
    expect(bad([])).toThrow('rules: Required value: loaded illegal policy with 0 rules');
    expect(bad([{ level: 'None' }], { omitStages: ['Done'] })).toThrow('omitStages[0]: Unsupported value: "Done"');
    expect(() => parseAuditPolicy('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: None}]', 'p.yaml')).toThrow('apiVersion: Unsupported value: "audit.k8s.io/v1beta1": supported values: "audit.k8s.io/v1"');
    expect(() => parseAuditPolicy('rules: [', 'p.yaml')).toThrow(/failed decoding audit policy file "p.yaml"/);
  });
});
