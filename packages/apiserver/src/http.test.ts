import { describe, expect, it } from 'vitest';
import { parseAccept } from './http.js';

describe('parseAccept', () => {
  it('finds kubectl get\'s Table request', () => {
    expect(parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json').table).toBe(true);
  });
  it('prefers what comes first', () => {
    expect(parseAccept('application/json, application/json;as=Table;v=v1;g=meta.k8s.io').table).toBe(false);
  });
  it('recognises partial metadata and yaml', () => {
    expect(parseAccept('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io').partialMetadata).toBe(true);
    expect(parseAccept('application/yaml').yaml).toBe(true);
  });
  it('ignores other groups and missing headers', () => {
    expect(parseAccept('application/json;as=Table;v=v1;g=other.io')).toEqual({ table: false, partialMetadata: false, yaml: false });
    expect(parseAccept(undefined).table).toBe(false);
  });
});
