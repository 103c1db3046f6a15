/**
 * Impersonation (`kubectl --as`, `--as-group`, `--as-uid`): Impersonate-User/-Group/-Uid/-Extra-* headers, each
 * authorized as verb `impersonate` on users / serviceaccounts / groups / uids / userextras, as kube-apiserver does.
 */
import { badRequest } from '@tinykube/api';
import { forbiddenError } from './authorize.js';
import type { Attributes, Authorizer, UserInfo } from './types.js';

const SA_PREFIX = 'system:serviceaccount:';

function headerValues(h: string | string[] | undefined): string[] {
  if (h === undefined) return [];
  return (Array.isArray(h) ? h : [h]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function check(user: UserInfo, resource: string, name: string, extra: Partial<Attributes> = {}): Attributes {
  return { user, verb: 'impersonate', resourceRequest: true, path: '', apiGroup: '', apiVersion: '', resource, subresource: '', namespace: '', name, ...extra };
}

/** Whether a request asks to impersonate anyone. */
export function wantsImpersonation(headers: Record<string, string | string[] | undefined>): boolean {
  return Object.keys(headers).some((k) => k.startsWith('impersonate-'));
}

/** The user the request acts as, once the real user is allowed to impersonate it (403 otherwise). */
export async function impersonate(real: UserInfo, headers: Record<string, string | string[] | undefined>, authz: Authorizer): Promise<UserInfo> {
  const username = headerValues(headers['impersonate-user'])[0];
  const groups = headerValues(headers['impersonate-group']);
  const uid = headerValues(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith('impersonate-extra-')) extra[decodeURIComponent(k.slice('impersonate-extra-'.length))] = headerValues(v);
  }
  if (!username) throw badRequest('requested impersonation without a user (Impersonate-User)');
  const checks: Attributes[] = [];
  if (username.startsWith(SA_PREFIX)) {
    const [ns, name] = username.slice(SA_PREFIX.length).split(':');
    checks.push(check(real, 'serviceaccounts', name ?? '', { namespace: ns ?? '' }));
  } else {
    checks.push(check(real, 'users', username));
  }
  for (const g of groups) checks.push(check(real, 'groups', g));
  if (uid) checks.push(check(real, 'uids', uid, { apiGroup: 'authentication.k8s.io' }));
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) checks.push(check(real, 'userextras', v, { apiGroup: 'authentication.k8s.io', subresource: k }));
  for (const a of checks) {
    const d = await authz.authorize(a);
    if (d.decision !== 'allow') throw forbiddenError(a, d.reason);
  }
  const out: UserInfo = { username, groups: [...groups], extra };
  if (uid) out.uid = uid;
  if (username.startsWith(SA_PREFIX)) {
    const ns = username.slice(SA_PREFIX.length).split(':')[0];
    for (const g of ['system:serviceaccounts', `system:serviceaccounts:${ns}`]) if (!out.groups.includes(g)) out.groups.push(g);
  }
  if (username !== 'system:anonymous' && !out.groups.includes('system:authenticated')) out.groups.push('system:authenticated');
  return out;
}
