import { describe, expect, it } from 'vitest';
import { ApiError, KubeconfigError } from '@tinykube/client';
import { CliError, exitCodeOf, formatError, ReportedError, withContext } from './errors.js';

const notFound = new ApiError({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', kind: 'pods' } });

describe('formatError', () => {
  it('prints a server Status like kubectl', () => {
    expect(formatError(notFound)).toBe('Error from server (NotFound): pods "x" not found');
    expect(formatError(new ApiError({ kind: 'Status', code: 500, message: 'boom' }))).toBe('Error from server (InternalError): boom');
  });

  it('lists the causes of an Invalid error', () => {
    const one = new ApiError({
      kind: 'Status', code: 422, reason: 'Invalid', message: 'x',
      details: { kind: 'Deployment', name: 'web', causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }] },
    });
    expect(formatError(one)).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const two = new ApiError({
      kind: 'Status', code: 422, reason: 'Invalid', message: 'x',
      details: { kind: 'Pod', name: 'p', causes: [{ field: 'a', message: 'Required value' }, { field: 'b', message: 'Required value' }] },
    });
    expect(formatError(two)).toBe('The Pod "p" is invalid: \n* a: Required value\n* b: Required value');
  });

  it('names the server when the connection is refused', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(formatError(err, 'http://127.0.0.1:1')).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?');
  });

  it('prefixes local errors with "error: " and prints nothing for already reported ones', () => {
    expect(formatError(new CliError('USAGE', 'bad flag'))).toBe('error: bad flag');
    expect(formatError(new KubeconfigError('ENOCONTEXT', 'context "x" does not exist'))).toBe('error: context "x" does not exist');
    expect(formatError(new ReportedError())).toBe('');
    expect(formatError(new CliError('EXIT', 'command terminated with exit code 3', 3))).toBe('command terminated with exit code 3');
  });

  it('keeps the reason when adding context', () => {
    const wrapped = withContext(notFound, 'error when creating "a.yaml"');
    expect(formatError(wrapped)).toBe('Error from server (NotFound): error when creating "a.yaml": pods "x" not found');
  });
});

describe('exitCodeOf', () => {
  it('is 1 except for a remote exit code', () => {
    expect(exitCodeOf(notFound)).toBe(1);
    expect(exitCodeOf(new CliError('EXIT', 'x', 7))).toBe(7);
  });
});
