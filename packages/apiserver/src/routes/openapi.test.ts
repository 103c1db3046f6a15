import { describe, expect, it } from 'vitest';
import { groupVersionOfDocPath, openApiDocument, openApiDocumentHash, openApiIndex } from './openapi.js';
import { notAcceptableV2, openApiV2 } from './openapi-v2.js';

interface Doc {
  paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind': unknown; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
}

describe('OpenAPI v3 documents', () => {
  it('index lists each group/version with the hash of its document', () => {
    const index = openApiIndex() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${openApiDocumentHash('apps/v1')}`);
    expect(index.paths['api/v1']).toBeDefined();
    expect(groupVersionOfDocPath('/openapi/v3/apis/apps/v1')).toBe('apps/v1');
  });

  it('holds the operations and the schemas of its kinds only', () => {
    const doc = openApiDocument('apps/v1') as Doc;
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.get['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(item.patch).toBeDefined();
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].get).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.core.v1.Container']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.core.v1.Node']).toBeUndefined();
    expect(openApiDocument('nope/v1')).toBeUndefined();
  });
});

describe('OpenAPI v2', () => {
  it('is one Swagger 2.0 document with every definition', () => {
    const doc = JSON.parse(openApiV2().body) as { swagger: string; definitions: Record<string, unknown>; paths: Record<string, unknown> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Pod']).toBeDefined();
    expect(doc.paths['/api/v1/nodes/{name}']).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('#/components/');
  });

  it('refuses a protobuf-only Accept with 406 (kubectl falls back) and serves JSON otherwise', () => {
    expect(notAcceptableV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')?.code).toBe(406);
    expect(notAcceptableV2('application/json, */*')).toBeUndefined();
    expect(notAcceptableV2(undefined)).toBeUndefined();
  });
});
