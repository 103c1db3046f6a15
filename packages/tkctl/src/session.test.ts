import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeout, resolveConfig } from './session.js';

const dir = mkdtempSync(join(tmpdir(), 'tkctl-session-'));
const file = join(dir, 'config');
writeFileSync(file, `apiVersion: v1
kind: Config
clusters:
- {name: a, cluster: {server: "http://127.0.0.1:1"}}
- {name: b, cluster: {server: "http://127.0.0.1:2"}}
users:
- {name: u, user: {token: abc}}
contexts:
- {name: ca, context: {cluster: a, user: u, namespace: team}}
- {name: cb, context: {cluster: b}}
current-context: ca
`);

describe('resolveConfig', () => {
  it('follows KUBECONFIG, current-context and its namespace', () => {
    const cfg = resolveConfig({}, { KUBECONFIG: file });
    expect(cfg).toMatchObject({ server: 'http://127.0.0.1:1', namespace: 'team', token: 'abc' });
  });

  it('honours --context, -n and --server', () => {
    expect(resolveConfig({ kubeconfig: file, context: 'cb' }, {})).toMatchObject({ server: 'http://127.0.0.1:2', namespace: 'default' });
    expect(resolveConfig({ kubeconfig: file, namespace: 'x', server: 'http://h:9' }, {})).toMatchObject({ server: 'http://h:9', namespace: 'x' });
  });

  it('needs no kubeconfig at all with --server', () => {
    const cfg = resolveConfig({ server: 'http://h:9' }, { HOME: dir, KUBECONFIG: join(dir, 'missing') });
    expect(cfg).toMatchObject({ server: 'http://h:9', namespace: 'default' });
  });

  it('fails on a missing context', () => {
    expect(() => resolveConfig({ kubeconfig: file, context: 'nope' }, {})).toThrow(/context "nope" does not exist/);
  });
});

describe('parseTimeout', () => {
  it('reads kubectl durations', () => {
    expect(parseTimeout('0')).toBeUndefined();
    expect(parseTimeout('5')).toBe(5000);
    expect(parseTimeout('2m')).toBe(120_000);
    expect(() => parseTimeout('soon')).toThrow(/Invalid timeout value/);
    expect(parseTimeout('1m30s')).toBe(90_000);
    expect(parseTimeout('0s')).toBeUndefined();
    expect(() => parseTimeout('5d')).toThrow(/Invalid timeout value/);
  });
});
