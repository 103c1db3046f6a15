import { describe, expect, it } from 'vitest';
import * as s from './index.js';

const pods = { group: '', resource: 'pods' };
const deploys = { group: 'apps', resource: 'deployments' };

describe('Status constructors', () => {
  it.each([
    [s.badRequest('bad'), 400, 'BadRequest', 'bad'],
    [s.notFound(pods, 'x'), 404, 'NotFound', 'pods "x" not found'],
    [s.notFound(deploys, 'x'), 404, 'NotFound', 'deployments.apps "x" not found'],
    [s.alreadyExists(pods, 'x'), 409, 'AlreadyExists', 'pods "x" already exists'],
    [s.conflict(pods, 'x'), 409, 'Conflict', 'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again'],
    [s.gone('gone'), 410, 'Gone', 'gone'],
    [s.tooOldResourceVersion(5, 10), 410, 'Expired', 'too old resource version: 5 (10)'],
    [s.tooLarge(3145728), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
    [s.methodNotAllowed(), 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    [s.tooManyRequests('slow down', 1), 429, 'TooManyRequests', 'slow down'],
    [s.serviceUnavailable('later'), 503, 'ServiceUnavailable', 'later'],
    [s.internal('boom'), 500, 'InternalError', 'Internal error occurred: boom'],
    [s.forbidden(pods, 'x', 'no'), 403, 'Forbidden', 'pods "x" is forbidden: no'],
    [s.timeout('slow'), 504, 'Timeout', 'Timeout: slow'],
    [s.tooLargeResourceVersion(9, 7), 504, 'Timeout', 'Timeout: Too large resource version: 9, current: 7'],
  ])('%# builds a Status with code and reason', (err, code, reason, message) => {
    expect(err).toBeInstanceOf(s.ApiError);
    expect(err.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
  });

  it('details name the group and resource', () => {
    expect(s.notFound(deploys, 'web').status.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('invalid lists causes; one cause inline, several bracketed', () => {
    const one = s.invalid('Pod', '', 'x', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
    expect(one.status.message).toBe('Pod "x" is invalid: spec.containers[0].image: Required value');
    expect(one.status.code).toBe(422);
    expect(one.status.details?.causes).toHaveLength(1);
    const two = s.invalid('Pod', '', 'x', [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'a' },
      { reason: 'FieldValueInvalid', message: 'b: Invalid value: "1"', field: 'b' },
    ]);
    expect(two.status.message).toBe('Pod "x" is invalid: [a: Required value, b: Invalid value: "1"]');
  });

  it('unsupportedMediaType lists what is accepted', () => {
    const e = s.unsupportedMediaType('text/xml', ['application/json', 'application/yaml']);
    expect(e.status.code).toBe(415);
    expect(e.status.message).toContain('application/json, application/yaml');
  });
});

describe('Status wire order', () => {
  it("serializes as Go's encoding/json writes metav1.Status: kind, apiVersion, metadata, status, message, reason, details, code", () => {
    const err = s.invalid('Deployment', 'apps', 'web', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' }]);
    const text = JSON.stringify(err.status);
    expect(Object.keys(JSON.parse(text))).toEqual(['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code']);
    expect(Object.keys(err.status.details!)).toEqual(['name', 'group', 'kind', 'causes']);
    expect(Object.keys(err.status.details!.causes![0]!)).toEqual(['reason', 'message', 'field']);
  });

  it('keeps the order for a Status rebuilt from any key order, and for success statuses', () => {
    const err = new s.ApiError({ code: 404, details: { kind: 'pods', name: 'x' }, reason: 'NotFound', message: 'm', status: 'Failure', kind: 'Status', apiVersion: 'v1', metadata: {} });
    expect(JSON.stringify(err.status)).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}');
    expect(JSON.stringify(s.successStatus(200, { kind: 'pods', name: 'x', uid: 'u' }))).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"x","kind":"pods","uid":"u"},"code":200}');
  });
});
