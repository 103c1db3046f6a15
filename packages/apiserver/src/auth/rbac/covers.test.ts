import { describe, expect, it } from 'vitest';
import { breakdownRule, compactRules, compactString, covers, goQuote, goQuoteList, ruleCovers } from './covers.js';
import { rule, urlRule } from './fixtures.test-data.js';

describe('breakdownRule', () => {
  it('splits into single group/resource/verb/name atoms and url/verb atoms', () => {
    expect(breakdownRule(rule(['get', 'list'], ['', 'apps'], ['x']))).toEqual([
      { apiGroups: [''], resources: ['x'], verbs: ['get'] },
      { apiGroups: [''], resources: ['x'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['x'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['x'], verbs: ['list'] },
    ]);
    expect(breakdownRule(rule(['get'], [''], ['cm'], ['a', 'b']))).toEqual([
      { apiGroups: [''], resources: ['cm'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: [''], resources: ['cm'], verbs: ['get'], resourceNames: ['b'] },
    ]);
    expect(breakdownRule(urlRule(['get', 'post'], ['/x']))).toEqual([
      { nonResourceURLs: ['/x'], verbs: ['get'] },
      { nonResourceURLs: ['/x'], verbs: ['post'] },
    ]);
    expect(breakdownRule({ verbs: ['get'], resources: ['pods'] })).toEqual([]);
  });
});

describe('covers', () => {
  const admin = [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])];

  it('full authority covers anything', () => {
    expect(covers(admin, [rule(['escalate'], ['rbac.authorization.k8s.io'], ['clusterroles']), urlRule(['get'], ['/metrics'])])).toEqual({ covered: true, missing: [] });
  });

  it('reports the atoms not held', () => {
    const owner = [rule(['get', 'list'], ['apps'], ['deployments'])];
    expect(covers(owner, [rule(['get', 'create'], ['apps'], ['deployments'])])).toEqual({
      covered: false, missing: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }],
    });
    expect(covers(owner, [])).toEqual({ covered: true, missing: [] });
  });

  it('atoms are covered by one owner rule each, even when the request spans rules', () => {
    const owner = [rule(['get'], [''], ['pods']), rule(['list'], [''], ['pods'])];
    expect(covers(owner, [rule(['get', 'list'], [''], ['pods'])]).covered).toBe(true);
  });

  it('subresources: not covered by the parent resource, covered by */sub', () => {
    expect(ruleCovers(rule(['get'], [''], ['pods']), rule(['get'], [''], ['pods/log']))).toBe(false);
    expect(ruleCovers(rule(['get'], [''], ['*/log']), rule(['get'], [''], ['pods/log']))).toBe(true);
    expect(ruleCovers(rule(['get'], [''], ['*/log']), rule(['get'], [''], ['pods']))).toBe(false);
  });

  it('resourceNames: a named owner does not cover all names; an unnamed owner covers names', () => {
    const named = rule(['get'], [''], ['cm'], ['a']);
    expect(ruleCovers(named, rule(['get'], [''], ['cm']))).toBe(false);
    expect(ruleCovers(named, rule(['get'], [''], ['cm'], ['a']))).toBe(true);
    expect(ruleCovers(named, rule(['get'], [''], ['cm'], ['b']))).toBe(false);
    expect(ruleCovers(rule(['get'], [''], ['cm']), rule(['get'], [''], ['cm'], ['b']))).toBe(true);
  });

  it('non-resource URLs with trailing * prefixes; resource rules never cover URLs', () => {
    expect(covers([urlRule(['get'], ['/apis/*'])], [urlRule(['get'], ['/apis/apps'])]).covered).toBe(true);
    expect(covers([urlRule(['get'], ['/apis/*'])], [urlRule(['get'], ['/api'])]).covered).toBe(false);
    expect(covers([rule(['*'], ['*'], ['*'])], [urlRule(['get'], ['/healthz'])]).covered).toBe(false);
  });

  it('an aggregated role with no rules requests nothing', () => {
    expect(covers([], [{ verbs: [] }]).covered).toBe(true);
  });
});

describe('compactRules and compactString', () => {
  it('merges single group/resource rules differing by verb', () => {
    const missing = [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] },
      { apiGroups: [''], resources: ['cm'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete'] },
    ];
    expect(compactRules(missing)).toEqual([
      { apiGroups: [''], resources: ['cm'], verbs: ['get'], resourceNames: ['a'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'delete'] },
    ]);
    // the input is not mutated
    expect(missing[0]!.verbs).toEqual(['create']);
  });

  it('prints like Go', () => {
    expect(compactString({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'delete'] })).toBe(
      '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "delete"]}',
    );
    expect(compactString({ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] })).toBe(
      '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["cluster-info"], Verbs:["get"]}',
    );
    expect(compactString(urlRule(['get'], ['/healthz']))).toBe('{NonResourceURLs:["/healthz"], Verbs:["get"]}');
    expect(goQuoteList([])).toBe('[]');
    expect(goQuote('a"b\\c\n\x01é')).toBe('"a\\"b\\\\c\\n\\x01é"');
  });
});
