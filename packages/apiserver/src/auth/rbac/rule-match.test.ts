import type { PolicyRule } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../types.js';
import { nonResourceURLMatches, resourceMatches, ruleAllows, rulesAllow } from './rule-match.js';

const user = { username: 'alice', groups: [] };

function req(verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes {
  const [res, sub = ''] = resource.split('/');
  return {
    user, verb, resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1',
    resource: res!, subresource: sub, namespace: 'ns', name: '', ...extra,
  };
}

function url(verb: string, path: string): Attributes {
  return { user, verb, resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], ...r });

describe('ruleAllows: resource requests', () => {
  const podsReader = rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });

  it('needs verb, group and resource to match', () => {
    expect(ruleAllows(req('get', 'pods'), podsReader)).toBe(true);
    expect(ruleAllows(req('delete', 'pods'), podsReader)).toBe(false);
    expect(ruleAllows(req('get', 'pods', { apiGroup: 'apps' }), podsReader)).toBe(false);
    expect(ruleAllows(req('get', 'services'), podsReader)).toBe(false);
  });

  it('`*` matches any verb, group and resource', () => {
    const all = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    expect(ruleAllows(req('escalate', 'deployments', { apiGroup: 'apps' }), all)).toBe(true);
    expect(ruleAllows(req('get', 'pods/log'), all)).toBe(true);
  });

  it('a resource does not match its subresources; `resource/sub` and `*/sub` do', () => {
    expect(ruleAllows(req('get', 'pods/log'), podsReader)).toBe(false);
    expect(ruleAllows(req('get', 'pods/log'), rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }))).toBe(true);
    const scale = rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] });
    expect(ruleAllows(req('get', 'deployments/scale', { apiGroup: 'apps' }), scale)).toBe(true);
    expect(ruleAllows(req('get', 'deployments', { apiGroup: 'apps' }), scale)).toBe(false);
    expect(ruleAllows(req('get', 'pods/status'), scale)).toBe(false);
    expect(resourceMatches(scale, 'pods', '')).toBe(false);
  });

  it('resourceNames restrict to those names and never match a request without a name', () => {
    const named = rule({ verbs: ['get', 'list', 'watch', 'create', 'update', 'deletecollection'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'] });
    expect(ruleAllows(req('get', 'configmaps', { name: 'cluster-info' }), named)).toBe(true);
    expect(ruleAllows(req('update', 'configmaps', { name: 'other' }), named)).toBe(false);
    for (const verb of ['list', 'watch', 'create', 'deletecollection']) expect(ruleAllows(req(verb, 'configmaps'), named)).toBe(false);
    // a list narrowed to one object by fieldSelector=metadata.name carries that name
    expect(ruleAllows(req('list', 'configmaps', { name: 'cluster-info' }), named)).toBe(true);
  });

  it('a non-resource rule never matches a resource request', () => {
    expect(ruleAllows(req('get', 'pods'), rule({ verbs: ['*'], nonResourceURLs: ['*'] }))).toBe(false);
  });
});

describe('ruleAllows: non-resource requests', () => {
  const discovery = rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*', '/version/'] });

  it('matches exact paths and trailing-* prefixes', () => {
    expect(ruleAllows(url('get', '/healthz'), discovery)).toBe(true);
    expect(ruleAllows(url('get', '/healthz/etcd'), discovery)).toBe(false);
    expect(ruleAllows(url('get', '/apis/apps/v1'), discovery)).toBe(true);
    expect(ruleAllows(url('get', '/apis/'), discovery)).toBe(true);
    expect(ruleAllows(url('get', '/apis'), discovery)).toBe(false);
    expect(ruleAllows(url('get', '/version'), discovery)).toBe(false);
    expect(ruleAllows(url('post', '/healthz'), discovery)).toBe(false);
    expect(nonResourceURLMatches(rule({ nonResourceURLs: ['*'] }), '/anything')).toBe(true);
  });

  it('a resource rule never matches a non-resource request', () => {
    expect(ruleAllows(url('get', '/healthz'), rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }))).toBe(false);
  });
});

describe('rulesAllow', () => {
  it('is true when any rule allows', () => {
    const rules = [rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }), rule({ verbs: ['list'], apiGroups: [''], resources: ['pods'] })];
    expect(rulesAllow(req('list', 'pods'), rules)).toBe(true);
    expect(rulesAllow(req('list', 'secrets'), rules)).toBe(false);
    expect(rulesAllow(req('list', 'pods'), [])).toBe(false);
  });
});
