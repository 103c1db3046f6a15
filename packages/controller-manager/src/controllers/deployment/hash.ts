import type { PodTemplateSpec } from '@tinykube/api';
import { semanticJson } from '@tinykube/api';

/**
 * The pod-template-hash (label `pod-template-hash`, ReplicaSet name `<deployment>-<hash>`).
 *
 * Kubernetes hashes the template with fnv32a over a spew dump of the Go struct, adds collisionCount,
 * and renders the decimal uint32 through SafeEncodeString. We keep the fnv32a and the rendering but
 * hash the template's canonical JSON (keys sorted, undefined dropped) since we have no Go struct dump:
 * the values differ from Kubernetes', but they are stable across restarts, processes and key order.
 * The collision count is appended as its decimal text, as kube does, only when it is set.
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let text = semanticJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return safeEncode(String(fnv32a(text)));
}

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** k8s.io/apimachinery/pkg/util/rand.SafeEncodeString: no vowels (no words), no confusable 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) out += ALPHANUMS[ch % ALPHANUMS.length];
  return out;
}
