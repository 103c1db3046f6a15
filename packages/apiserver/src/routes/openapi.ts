/**
 * A minimal OpenAPI v3 surface, enough for kubectl: `/openapi/v3` lists one document per group/version, and
 * each document lists the PATCH operations of our kinds with `x-kubernetes-group-version-kind` and the
 * `fieldValidation` query parameter. kubectl then leaves validation to the server (it sends
 * fieldValidation=Strict) instead of demanding full schemas, so `create -f` / `apply -f` work without
 * --validate=false. No schemas are published; /openapi/v2 answers 404.
 * The PATCH request bodies deliberately omit strategic-merge-patch+json: kubectl would then try to compute
 * apply patches from our (absent) schemas; without it, it uses its compiled-in Kubernetes types.
 */
import { createHash } from 'node:crypto';
import { registry } from '@tinykube/api';
import { servedGroupVersions } from './discovery.js';

function docPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

export function openApiDocument(groupVersion: string): unknown {
  const infos = registry.all().filter((r) => r.apiVersion === groupVersion);
  if (infos.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of infos) {
    const base = `/${docPath(groupVersion)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (sub: string) => ({
      operationId: `patch${r.kind}${sub}`,
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
      parameters: QUERY_PARAMS.map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } })),
      requestBody: {
        content: {
          'application/json-patch+json': { schema: { type: 'object' } },
          'application/merge-patch+json': { schema: { type: 'object' } },
        },
        required: true,
      },
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
    });
    paths[base] = { patch: op('') };
    if (r.subresources.includes('status')) paths[`${base}/status`] = { patch: op('Status') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-tinykube' },
    paths,
    components: { schemas: {} },
  };
}

let cachedIndex: { paths: Record<string, { serverRelativeURL: string }> } | undefined;

export function openApiIndex(): unknown {
  if (cachedIndex) return cachedIndex;
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of servedGroupVersions()) {
    const p = docPath(gv.groupVersion);
    const hash = createHash('sha512').update(JSON.stringify(openApiDocument(gv.groupVersion))).digest('hex').toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  cachedIndex = { paths };
  return cachedIndex;
}

/** `/openapi/v3/api/v1` → 'v1'; `/openapi/v3/apis/apps/v1` → 'apps/v1'. */
export function groupVersionOfDocPath(pathname: string): string | undefined {
  const rest = pathname.replace(/^\/openapi\/v3\//, '');
  if (rest.startsWith('api/')) return rest.slice(4);
  if (rest.startsWith('apis/')) return rest.slice(5);
  return undefined;
}
