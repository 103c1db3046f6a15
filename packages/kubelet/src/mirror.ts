import type { Node, Pod } from '@tinykube/api';
import { isAlreadyExists, isNotFound, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { ANNOTATION_MIRROR } from './static-pods.js';
import { canonicalJson } from '@tinykube/api';
import { podsResource } from './status-manager.js';

// Mirror pods: the apiserver's read-only view of static pods. One per static pod, in its namespace,
// annotated kubernetes.io/config.mirror=<manifest hash> and owned by the Node. A mirror that is
// deleted or outdated is replaced; one whose static pod is gone is deleted; its status follows the
// static pod's local status.

export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[ANNOTATION_MIRROR] !== undefined;
}

export interface StaticPodView {
  /** The static pod with the kubelet's current status. */
  pod: Pod;
  hash: string;
}

export interface MirrorOptions {
  client: RestClient;
  nodeName: string;
  log: Logger;
  /** The Node's uid (owner of the mirror pods), once registered. */
  node(): Node | undefined;
  /** Mirror pods of this node as the informer sees them. */
  mirrors(): Pod[];
}

/** The mirror pod to create for a static pod. */
export function mirrorPodFor(sp: StaticPodView, node: Node): Pod {
  const meta = sp.pod.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: meta.name,
      namespace: meta.namespace ?? 'default',
      labels: meta.labels,
      annotations: { ...meta.annotations, [ANNOTATION_MIRROR]: sp.hash },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata?.name ?? '', uid: node.metadata?.uid ?? '', controller: true }],
    },
    spec: sp.pod.spec,
  };
}

export class MirrorPods {
  private readonly log: Logger;

  constructor(private readonly o: MirrorOptions) {
    this.log = o.log.child({ component: 'mirror-pods' });
  }

  /** Brings mirror pods in line with the static pods; errors are logged and retried on the next call. */
  async sync(statics: StaticPodView[]): Promise<void> {
    const node = this.o.node();
    if (!node?.metadata?.uid) return; // not registered yet: nothing can own a mirror
    const mirrors = new Map(this.o.mirrors().map((m) => [`${m.metadata?.namespace}/${m.metadata?.name}`, m]));
    const wanted = new Set<string>();
    for (const sp of statics) {
      const key = `${sp.pod.metadata?.namespace ?? 'default'}/${sp.pod.metadata?.name}`;
      wanted.add(key);
      try {
        await this.syncOne(sp, mirrors.get(key), node);
      } catch (err) {
        this.log.warn({ err, pod: key }, 'mirror pod sync failed');
      }
    }
    for (const [key, m] of mirrors) {
      if (wanted.has(key)) continue;
      try {
        await this.remove(m);
        this.log.info({ pod: key }, 'deleted mirror pod of a static pod that is gone');
      } catch (err) {
        this.log.warn({ err, pod: key }, 'deleting orphaned mirror pod failed');
      }
    }
  }

  private async syncOne(sp: StaticPodView, m: Pod | undefined, node: Node): Promise<void> {
    const ns = sp.pod.metadata?.namespace ?? 'default';
    const name = sp.pod.metadata?.name ?? '';
    if (m && (m.metadata?.annotations?.[ANNOTATION_MIRROR] !== sp.hash || m.metadata?.deletionTimestamp)) {
      await this.remove(m);
      m = undefined;
    }
    if (!m) {
      try {
        m = await this.o.client.create<Pod>(podsResource, mirrorPodFor(sp, node), { namespace: ns });
        this.log.info({ pod: `${ns}/${name}` }, 'created mirror pod');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return; // the informer has not caught up yet; the next sync sees it
      }
    }
    const status = sp.pod.status;
    if (status && canonicalJson(m.status ?? {}) !== canonicalJson({ ...status, qosClass: m.status?.qosClass ?? status.qosClass })) {
      await this.o.client.patch(podsResource, name, { status: { ...status, qosClass: m.status?.qosClass ?? status.qosClass } }, 'merge', { namespace: ns, subresource: 'status' });
    }
  }

  private async remove(m: Pod): Promise<void> {
    try {
      await this.o.client.delete(podsResource, m.metadata?.name ?? '', {
        namespace: m.metadata?.namespace, gracePeriodSeconds: 0, preconditions: { uid: m.metadata?.uid ?? '' },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
