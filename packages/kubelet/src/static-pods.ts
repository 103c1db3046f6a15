import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PodSchema, type Pod } from '@tinykube/api';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';

// Static pods: one Pod manifest per file in --pod-manifest-path, run with no apiserver at all. As
// in Kubernetes the pod is named <name>-<node>, its uid is a hash of the manifest (so an edit is a
// new pod: the old one stops, the new one starts), and it is annotated for its mirror pod.

export const ANNOTATION_HASH = 'kubernetes.io/config.hash';
export const ANNOTATION_MIRROR = 'kubernetes.io/config.mirror';
export const ANNOTATION_SOURCE = 'kubernetes.io/config.source';
export const ANNOTATION_SEEN = 'kubernetes.io/config.seen';

export interface StaticPod {
  pod: Pod;
  /** The manifest hash: the pod's uid and its mirror's config.mirror annotation. */
  hash: string;
  file: string;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

/** Parses one manifest into the static pod the kubelet runs. */
export function staticPodFromManifest(text: string, file: string, nodeName: string, now = Date.now()): StaticPod {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ManifestError(file, `invalid YAML: ${(err as Error).message}`);
  }
  const parsed = PodSchema.safeParse(doc);
  if (!parsed.success) throw new ManifestError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const pod = structuredClone(parsed.data);
  if (pod.kind !== 'Pod') throw new ManifestError(file, `kind is ${pod.kind}, not Pod`);
  const name = pod.metadata?.name;
  if (!name) throw new ManifestError(file, 'metadata.name is required');
  if (!pod.spec.containers?.length) throw new ManifestError(file, 'spec.containers is required');
  const hash = createHash('sha256').update(`${nodeName}\0${file}\0${text}`).digest('hex').slice(0, 32);
  pod.metadata = {
    ...pod.metadata,
    name: `${name}-${nodeName}`,
    namespace: pod.metadata?.namespace ?? 'default',
    uid: hash,
    annotations: { ...pod.metadata?.annotations, [ANNOTATION_HASH]: hash, [ANNOTATION_SOURCE]: 'file', [ANNOTATION_SEEN]: new Date(now).toISOString() },
  };
  pod.spec = {
    ...pod.spec,
    nodeName,
    restartPolicy: pod.spec.restartPolicy ?? 'Always',
    // A static pod tolerates every NoExecute taint: nothing can evict it but its manifest.
    tolerations: [...(pod.spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }],
  };
  return { pod, hash, file };
}

/** Every valid manifest in the folder; bad ones are logged and skipped (the others still run). */
export function readManifestDir(dir: string, nodeName: string, log: Logger): StaticPod[] {
  if (!existsSync(dir)) return [];
  const out: StaticPod[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.startsWith('.') || !/\.(ya?ml|json)$/.test(f)) continue;
    const file = join(dir, f);
    try {
      if (!statSync(file).isFile()) continue;
      out.push(staticPodFromManifest(readFileSync(file, 'utf8'), file, nodeName));
    } catch (err) {
      log.warn({ err, file }, 'skipping static pod manifest');
    }
  }
  return out;
}

/** Polls the manifest folder (as the kubelet does, every 20 s by default) and reports changes. */
export class StaticPodSource {
  private last = '';

  constructor(
    private readonly dir: string,
    private readonly nodeName: string,
    private readonly log: Logger,
    private readonly onChange: (pods: StaticPod[]) => void,
    private readonly intervalMs = 5_000,
  ) {}

  /** Reads the folder now; calls onChange when the set of manifests changed (always the first time). */
  poll(): StaticPod[] {
    const pods = readManifestDir(this.dir, this.nodeName, this.log);
    const sig = pods.map((p) => p.hash).join(',');
    if (sig !== this.last || this.last === '') {
      this.last = sig || 'none';
      this.onChange(pods);
    }
    return pods;
  }

  start(signal: AbortSignal): void {
    this.poll();
    const t = setInterval(() => {
      try {
        this.poll();
      } catch (err) {
        this.log.warn({ err }, 'reading static pod manifests failed');
      }
    }, this.intervalMs);
    signal.addEventListener('abort', () => clearInterval(t), { once: true });
  }
}
