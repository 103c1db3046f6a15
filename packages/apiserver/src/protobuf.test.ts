import { describe, expect, it } from 'vitest';
import { decodeProtobufEnvelope } from './protobuf.js';

// a tiny protobuf writer for building kubectl-shaped envelopes
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return Buffer.from(out);
};
const field = (num: number, payload: Buffer | string): Buffer => {
  const b = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([varint(num * 8 + 2), varint(b.length), b]);
};
const intField = (num: number, v: number): Buffer => Buffer.concat([varint(num * 8), varint(v)]);
const entry = (num: number, k: string, v: string | Buffer): Buffer => field(num, Buffer.concat([field(1, k), field(2, v)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);

describe('decodeProtobufEnvelope', () => {
  it('decodes a ConfigMap as kubectl create configmap sends it', () => {
    const meta = Buffer.concat([field(1, 'cm'), field(3, ''), field(8, Buffer.alloc(0))]);
    const raw = Buffer.concat([field(1, meta), entry(2, 'a', 'b'), entry(3, 'bin', Buffer.from([1, 2]))]);
    expect(decodeProtobufEnvelope(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' }, binaryData: { bin: 'AQI=' },
    });
  });

  it('decodes a Deployment with nested template, ports, quantities and int-or-string', () => {
    const container = Buffer.concat([
      field(1, 'web'), field(2, 'nginx'), field(6, intField(3, 80)),
      field(8, entry(2, 'cpu', field(1, '100m'))), field(14, ''),
    ]);
    const podSpec = field(2, container);
    const template = Buffer.concat([field(1, entry(11, 'app', 'web')), field(2, podSpec)]);
    const strategy = Buffer.concat([field(1, 'RollingUpdate'), field(2, field(2, Buffer.concat([intField(1, 1), field(3, '50%')])))]);
    const spec = Buffer.concat([intField(1, 3), field(2, entry(1, 'app', 'web')), field(3, template), field(4, strategy)]);
    const obj = decodeProtobufEnvelope(envelope('apps/v1', 'Deployment', Buffer.concat([field(1, field(1, 'web')), field(2, spec)])));
    expect(obj).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m' } } }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%' } },
      },
    });
  });

  it('answers 415 for kinds without a table and 400 for garbage', () => {
    expect(() => decodeProtobufEnvelope(envelope('batch/v1', 'Job', Buffer.alloc(0)))).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 415 }) }));
    expect(() => decodeProtobufEnvelope(Buffer.from('k8s\0\x0a\xff', 'latin1'))).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));
    expect(() => decodeProtobufEnvelope(Buffer.from('{}'))).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));
  });
});
