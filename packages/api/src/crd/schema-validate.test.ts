import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '../schemas/apiextensions.js';
import { validateAgainstSchema } from './schema-validate.js';
import { applySchemaDefaults, pruneUnknown } from './prune-default.js';
import { jsonPathValues } from './jsonpath.js';
import { compareVersionPriority } from './version-priority.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', minLength: 2, maxLength: 10, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10, format: 'int32', default: 1 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
        mode: { type: 'string', enum: ['a', 'b'] },
        port: { 'x-kubernetes-int-or-string': true },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        note: { type: 'string', nullable: true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const ok = { image: 'nginx' };

describe('validateAgainstSchema', () => {
  it.each([
    ['a wrong type', { ...ok, replicas: 'two' }, 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
    ['a number for an integer', { ...ok, replicas: 1.5 }, 'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
    ['a missing required field', {}, 'spec.image: Required value'],
    ['a value out of the enum', { ...ok, mode: 'c' }, 'spec.mode: Unsupported value: "c": supported values: "a", "b"'],
    ['a pattern mismatch', { image: 'Nginx' }, `spec.image: Invalid value: "Nginx": spec.image in body should match '^[a-z]+$'`],
    ['a too short string', { image: 'n' }, 'spec.image: Invalid value: "n": spec.image in body should be at least 2 chars long'],
    ['a too long string', { image: 'abcdefghijk' }, 'spec.image: Too long: may not be more than 10 bytes'],
    ['below minimum', { ...ok, replicas: 0 }, 'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
    ['above maximum', { ...ok, replicas: 11 }, 'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
    ['an exclusive minimum', { ...ok, ratio: 0 }, 'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0'],
    ['a bad date-time', { ...ok, at: 'yesterday' }, 'spec.at: Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"'],
    ['too few items', { ...ok, tags: [] }, 'spec.tags: Invalid value: []: spec.tags in body should have at least 1 items'],
    ['too many items', { ...ok, tags: ['a', 'b', 'c'] }, 'spec.tags: Too many: 3: must have at most 2 items'],
    ['a bad item', { ...ok, tags: [1] }, 'spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"'],
    ['a bad map value', { ...ok, labels: { a: 1 } }, 'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'],
    ['a boolean for int-or-string', { ...ok, port: true }, 'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'],
    ['null in a non-nullable field', { ...ok, mode: null }, 'spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"'],
  ])('reports %s', (_what, spec, message) => {
    const causes = validateAgainstSchema({ apiVersion: 'x/v1', kind: 'X', metadata: {}, spec }, schema);
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([message]);
  });

  it.each([
    ['int-or-string as string', { ...ok, port: 'http' }],
    ['int-or-string as integer', { ...ok, port: 80 }],
    ['null where nullable', { ...ok, note: null }],
    ['anything under preserve-unknown-fields', { ...ok, free: { a: [1, { b: 2 }] } }],
    ['an RFC 3339 time', { ...ok, at: '2026-12-07T12:00:00Z' }],
  ])('accepts %s', (_what, spec) => {
    expect(validateAgainstSchema({ apiVersion: 'x/v1', kind: 'X', metadata: {}, spec }, schema)).toEqual([]);
  });
});

describe('defaulting and pruning', () => {
  it('fills defaults, drops non-nullable nulls and prunes unknown fields outside preserve-unknown-fields', () => {
    const obj: Record<string, unknown> = {
      apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', labels: { k: 'v' } }, extra: 1,
      spec: { image: 'nginx', unknown: true, mode: null, note: null, labels: { a: 'b' }, free: { kept: { deep: 1 } } },
      status: { anything: 1 },
    };
    applySchemaDefaults(obj, schema);
    pruneUnknown(obj, schema, true);
    expect(obj).toEqual({
      apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', labels: { k: 'v' } },
      spec: { image: 'nginx', replicas: 1, note: null, labels: { a: 'b' }, free: { kept: { deep: 1 } } },
    });
  });

  it('defaults inside defaulted objects and array items', () => {
    const s: JSONSchemaProps = {
      type: 'object', properties: {
        spec: { type: 'object', default: {}, properties: { a: { type: 'string', default: 'x' } } },
        items: { type: 'array', items: { type: 'object', properties: { b: { type: 'integer', default: 2 } } } },
      },
    };
    const obj: Record<string, unknown> = { items: [{}, { b: 3 }] };
    applySchemaDefaults(obj, s);
    expect(obj).toEqual({ spec: { a: 'x' }, items: [{ b: 2 }, { b: 3 }] });
  });
});

describe('jsonPathValues', () => {
  const obj = { spec: { replicas: 3 }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'X', status: 'False' }] } };
  it.each([
    ['.spec.replicas', [3]],
    ['.status.conditions[1].type', ['X']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.conditions[*].type', ['Ready', 'X']],
    ['.spec.missing', []],
  ])('%s', (path, want) => {
    expect(jsonPathValues(obj, path)).toEqual(want);
  });
});

describe('compareVersionPriority', () => {
  it('orders as kube does', () => {
    expect(['v1alpha1', 'foo', 'v1beta1', 'v2', 'v1', 'v11alpha2'].sort(compareVersionPriority))
      .toEqual(['v2', 'v1', 'v1beta1', 'v11alpha2', 'v1alpha1', 'foo']);
  });
});
