/**
 * The create-only review APIs, answered from the security stages and never stored: authorization.k8s.io's
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview (`kubectl auth
 * can-i`, `--list`, the kubelet's webhook authorizer) and authentication.k8s.io's SelfSubjectReview (`kubectl auth
 * whoami`) and TokenReview (the kubelet's webhook authenticator).
 */
import type { ResourceInfo } from '@tinykube/api';
import type { Attributes, Authorizer, UserInfo } from '../auth/types.js';
import type { RequestContext } from '../http.js';
import { badRequest, invalid } from '@tinykube/api';
import { readObject, sendObject, type Target } from './common.js';

export interface RulesInfo {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
}

export interface ReviewDeps {
  authorizer: Authorizer;
  /** The rules that apply to a user in a namespace (RBAC's view; other authorizers make the answer incomplete). */
  rulesFor(user: UserInfo, namespace: string): RulesInfo;
  /** TokenReview: who a token belongs to (undefined until token authentication is wired). */
  reviewToken?(body: Record<string, unknown>): Promise<Record<string, unknown>>;
}

type Handler = (ctx: RequestContext, t: Target) => Promise<void>;

interface ResourceAttrs { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string }
interface NonResourceAttrs { path?: string; verb?: string }
interface ReviewSpec { resourceAttributes?: ResourceAttrs; nonResourceAttributes?: NonResourceAttrs; user?: string; groups?: string[]; uid?: string; extra?: Record<string, string[]> }

function attributesOf(user: UserInfo, spec: ReviewSpec, kind: string): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (r && n) throw invalid(kind, 'authorization.k8s.io', '', [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'cannot be specified in combination with nonResourceAttributes' }]);
  if (!r && !n) throw invalid(kind, 'authorization.k8s.io', '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  if (n) {
    return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
  }
  return {
    user, verb: r!.verb ?? '', resourceRequest: true, path: '', apiGroup: r!.group ?? '', apiVersion: r!.version ?? '',
    resource: r!.resource ?? '', subresource: r!.subresource ?? '', namespace: r!.namespace ?? '', name: r!.name ?? '',
  };
}

async function answer(deps: ReviewDeps, ctx: RequestContext, info: ResourceInfo, body: Record<string, unknown>, a: Attributes): Promise<void> {
  const d = await deps.authorizer.authorize(a);
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  sendObject(ctx, info, 201, { ...body, metadata: { ...(body.metadata as object), creationTimestamp: null }, status } as never);
}

export function reviewHandlers(deps: ReviewDeps, registry: { get(group: string, plural: string): ResourceInfo | undefined }): Map<string, Handler> {
  const info = (g: string, p: string) => registry.get(g, p)!;
  const read = (ctx: RequestContext, i: ResourceInfo, namespace?: string) => readObject(ctx, { apiVersion: i.apiVersion, kind: i.kind, namespace });
  const handlers = new Map<string, Handler>();

  handlers.set('authorization.k8s.io/subjectaccessreviews', async (ctx) => {
    const i = info('authorization.k8s.io', 'subjectaccessreviews');
    const body = await read(ctx, i) as unknown as Record<string, unknown> & { spec?: ReviewSpec };
    const spec = body.spec ?? {};
    if (!spec.user && (spec.groups ?? []).length === 0) throw invalid(i.kind, i.group, '', [{ reason: 'FieldValueInvalid', field: 'spec.user', message: 'at least one of user or group must be specified' }]);
    const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra };
    await answer(deps, ctx, i, body, attributesOf(user, spec, i.kind));
  });

  handlers.set('authorization.k8s.io/localsubjectaccessreviews', async (ctx, t) => {
    const i = info('authorization.k8s.io', 'localsubjectaccessreviews');
    const body = await read(ctx, i, t.namespace) as unknown as Record<string, unknown> & { spec?: ReviewSpec };
    const spec = body.spec ?? {};
    const ns = spec.resourceAttributes?.namespace;
    if (spec.resourceAttributes && ns !== t.namespace) throw badRequest(`spec.resourceAttributes.namespace must match metadata.namespace: "${ns ?? ''}" != "${t.namespace}"`);
    const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra };
    await answer(deps, ctx, i, body, attributesOf(user, spec, i.kind));
  });

  handlers.set('authorization.k8s.io/selfsubjectaccessreviews', async (ctx) => {
    const i = info('authorization.k8s.io', 'selfsubjectaccessreviews');
    const body = await read(ctx, i) as unknown as Record<string, unknown> & { spec?: ReviewSpec };
    await answer(deps, ctx, i, body, attributesOf(ctx.user, body.spec ?? {}, i.kind));
  });

  handlers.set('authorization.k8s.io/selfsubjectrulesreviews', async (ctx) => {
    const i = info('authorization.k8s.io', 'selfsubjectrulesreviews');
    const body = await read(ctx, i) as unknown as Record<string, unknown> & { spec?: { namespace?: string } };
    const ns = body.spec?.namespace ?? '';
    if (!ns) throw invalid(i.kind, i.group, '', [{ reason: 'FieldValueRequired', field: 'spec.namespace', message: 'Required value' }]);
    sendObject(ctx, i, 201, { ...body, metadata: { creationTimestamp: null }, status: deps.rulesFor(ctx.user, ns) } as never);
  });

  handlers.set('authentication.k8s.io/selfsubjectreviews', async (ctx) => {
    const i = info('authentication.k8s.io', 'selfsubjectreviews');
    await read(ctx, i);
    const u = ctx.user;
    const userInfo: Record<string, unknown> = { username: u.username, groups: u.groups };
    if (u.uid) userInfo.uid = u.uid;
    if (u.extra && Object.keys(u.extra).length > 0) userInfo.extra = u.extra;
    sendObject(ctx, i, 201, { apiVersion: i.apiVersion, kind: i.kind, metadata: { creationTimestamp: null }, status: { userInfo } } as never);
  });

  handlers.set('authentication.k8s.io/tokenreviews', async (ctx) => {
    const i = info('authentication.k8s.io', 'tokenreviews');
    const body = await read(ctx, i) as unknown as Record<string, unknown>;
    if (!deps.reviewToken) throw badRequest('token review is not available');
    sendObject(ctx, i, 201, await deps.reviewToken(body) as never);
  });
  return handlers;
}
