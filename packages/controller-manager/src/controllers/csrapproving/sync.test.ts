import type { CertificateSigningRequest, SubjectAccessReview } from '@tinykube/api';
import { createCsr } from '@tinykube/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeActions, FakeLister } from '../../core/fake.js';
import type { Node } from '@tinykube/api';
import { NotApprovedError, syncCsrApproving } from './sync.js';

const NODE_SUBJECT = { commonName: 'system:node:w1', organizations: ['system:nodes'] };
let clientCsr: string;
let servingCsr: string;
let foreignServingCsr: string;

beforeAll(async () => {
  clientCsr = Buffer.from((await createCsr(NODE_SUBJECT)).csrPem).toString('base64');
  servingCsr = Buffer.from((await createCsr(NODE_SUBJECT, ['10.0.0.5', 'w1'])).csrPem).toString('base64');
  foreignServingCsr = Buffer.from((await createCsr(NODE_SUBJECT, ['10.0.0.5', 'bank.example.com'])).csrPem).toString('base64');
});

function csr(name: string, spec: Partial<CertificateSigningRequest['spec']>, status?: CertificateSigningRequest['status']): CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name, uid: `uid-${name}`, resourceVersion: '3' },
    spec: {
      request: clientCsr, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'],
      username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'], ...spec,
    },
    ...(status ? { status } : {}),
  };
}

const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'w1' }] } };

/** SARs allowed for these subresources (what RBAC would answer for the requestor). */
function setup(csrs: CertificateSigningRequest[], allowedSubresources: string[]) {
  const lister = new FakeLister({ certificatesigningrequests: csrs, nodes: [node] });
  const actions = new FakeActions(lister);
  const reviews: SubjectAccessReview[] = [];
  actions.responders.set('subjectaccessreviews', (o) => {
    const sar = o as SubjectAccessReview;
    reviews.push(sar);
    return { ...sar, status: { allowed: allowedSubresources.includes(sar.spec.resourceAttributes?.subresource ?? '') } };
  });
  return { lister, actions, reviews, deps: { lister, actions } };
}

describe('syncCsrApproving', () => {
  it('approves a bootstrap token\'s kubelet client CSR when a SubjectAccessReview allows create certificatesigningrequests/nodeclient', async () => {
    const { actions, reviews, deps } = setup([csr('boot', {})], ['nodeclient']);
    await syncCsrApproving(deps, 'boot');
    expect(actions.summary()).toEqual(['create subjectaccessreviews ', 'update certificatesigningrequests boot/approval']);
    expect(reviews[0]!.spec).toMatchObject({
      user: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
      resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource: 'nodeclient', version: '*' },
    });
    const written = actions.of('update')[0]!.object as CertificateSigningRequest;
    expect(written.status?.conditions).toEqual([{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' }]);
  });

  it('a node renewing its own certificate is checked for selfnodeclient first', async () => {
    const { actions, reviews, deps } = setup([csr('renew', { username: 'system:node:w1', groups: ['system:nodes', 'system:authenticated'] })], ['selfnodeclient']);
    await syncCsrApproving(deps, 'renew');
    expect(reviews.map((r) => r.spec.resourceAttributes?.subresource)).toEqual(['selfnodeclient']);
    expect((actions.of('update')[0]!.object as CertificateSigningRequest).status?.conditions?.[0]?.message).toBe('Auto approving self kubelet client certificate after SubjectAccessReview.');
  });

  it('recognised but not allowed: no approval, an error so it is retried', async () => {
    const { actions, deps } = setup([csr('boot', {})], []);
    await expect(syncCsrApproving(deps, 'boot')).rejects.toBeInstanceOf(NotApprovedError);
    expect(actions.summary()).toEqual(['create subjectaccessreviews ']);
  });

  it('leaves alone what it does not recognise, and what is decided or issued', async () => {
    const { actions, deps } = setup([
      csr('other-usages', { usages: ['digital signature', 'client auth', 'server auth'] }),
      csr('other-signer', { signerName: 'example.com/signer' }),
      csr('denied', {}, { conditions: [{ type: 'Denied', status: 'True' }] }),
      csr('issued', {}, { certificate: 'eA==' }),
    ], ['nodeclient', 'selfnodeclient']);
    for (const n of ['other-usages', 'other-signer', 'denied', 'issued', 'gone']) await syncCsrApproving(deps, n);
    expect(actions.summary()).toEqual([]);
  });

  it('kubelet-serving: approved only when the node asks for its own addresses and name (tinykube; kube leaves it to others)', async () => {
    const self = { signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], username: 'system:node:w1', groups: ['system:nodes', 'system:authenticated'] };
    const { actions, deps } = setup([
      csr('serving', { ...self, request: servingCsr }),
      csr('foreign', { ...self, request: foreignServingCsr }),
      csr('by-bootstrapper', { ...self, request: servingCsr, username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] }),
    ], []);
    for (const n of ['serving', 'foreign', 'by-bootstrapper']) await syncCsrApproving(deps, n);
    expect(actions.summary()).toEqual(['update certificatesigningrequests serving/approval']);
  });
});
