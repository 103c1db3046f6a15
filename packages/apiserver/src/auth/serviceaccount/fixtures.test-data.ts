/** Test data for the ServiceAccount token tests: keys made on the fly, a fake cluster, a settable clock. */
import { generateKeyPairSync } from 'node:crypto';
import type { Node, Pod, Secret, ServiceAccount } from '@tinykube/api';
import { parseSigningKeyPem, type SigningKey } from './keys.js';
import type { ServiceAccountTokenLookups } from './lookups.js';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

export function rsaPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
}

export function ecPem(namedCurve = 'prime256v1'): string {
  return generateKeyPairSync('ec', { namedCurve }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
}

export function signingKey(pem: string = rsaPem()): SigningKey {
  return parseSigningKeyPem(pem);
}

export class Clock {
  constructor(public t = new Date('2026-03-01T12:00:00Z')) {}
  now = (): Date => new Date(this.t);
  advance(seconds: number): void { this.t = new Date(this.t.getTime() + seconds * 1000); }
}

/** A cluster of a few objects by key; tests add, delete and re-create them. */
export class FakeCluster implements ServiceAccountTokenLookups {
  readonly objects = new Map<string, ServiceAccount | Pod | Secret | Node>();

  addServiceAccount(namespace: string, name: string, uid: string): ServiceAccount {
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name, uid } };
    this.objects.set(`serviceaccounts/${namespace}/${name}`, sa);
    return sa;
  }

  addPod(namespace: string, name: string, uid: string, serviceAccountName: string, nodeName?: string): Pod {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, uid }, spec: { serviceAccountName, nodeName, containers: [] } } as unknown as Pod;
    this.objects.set(`pods/${namespace}/${name}`, pod);
    return pod;
  }

  addSecret(namespace: string, name: string, uid: string): Secret {
    const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name, uid } };
    this.objects.set(`secrets/${namespace}/${name}`, secret);
    return secret;
  }

  addNode(name: string, uid: string): Node {
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid }, spec: {} };
    this.objects.set(`nodes//${name}`, node);
    return node;
  }

  delete(key: string): void { this.objects.delete(key); }

  serviceAccount = (ns: string, name: string) => this.objects.get(`serviceaccounts/${ns}/${name}`) as ServiceAccount | undefined;
  pod = (ns: string, name: string) => this.objects.get(`pods/${ns}/${name}`) as Pod | undefined;
  secret = (ns: string, name: string) => Promise.resolve(this.objects.get(`secrets/${ns}/${name}`) as Secret | undefined);
  node = (name: string) => this.objects.get(`nodes//${name}`) as Node | undefined;
}

/** The JSON of a JWT segment (0: header, 1: payload). */
export function segment(token: string, i: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function bearer(token: string): { headers: { authorization: string } } {
  return { headers: { authorization: `Bearer ${token}` } };
}
