import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ANNOTATION_HASH, ANNOTATION_SOURCE, ManifestError, readManifestDir, staticPodFromManifest, StaticPodSource } from './static-pods.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = pino({ level: 'silent' });
const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: busybox\n';

describe('static pods', () => {
  it('names the pod <name>-<node> and derives its uid from the manifest', () => {
    const sp = staticPodFromManifest(manifest, '/m/etcd.yaml', 'cp-1');
    expect(sp.pod.metadata?.name).toBe('etcd-cp-1');
    expect(sp.pod.metadata?.namespace).toBe('kube-system');
    expect(sp.pod.metadata?.uid).toBe(sp.hash);
    expect(sp.pod.metadata?.annotations).toMatchObject({ [ANNOTATION_HASH]: sp.hash, [ANNOTATION_SOURCE]: 'file' });
    expect(sp.pod.spec.nodeName).toBe('cp-1');
    expect(sp.pod.spec.tolerations).toContainEqual({ operator: 'Exists', effect: 'NoExecute' });
    expect(staticPodFromManifest(manifest, '/m/etcd.yaml', 'cp-1').hash).toBe(sp.hash);
    expect(staticPodFromManifest(manifest.replace('busybox', 'alpine'), '/m/etcd.yaml', 'cp-1').hash).not.toBe(sp.hash);
  });

  it('rejects manifests that are not pods', () => {
    expect(() => staticPodFromManifest('kind: Service\napiVersion: v1\nmetadata: {name: x}\nspec: {containers: [{name: a}]}', 'f', 'n')).toThrow(ManifestError);
    expect(() => staticPodFromManifest(': :', 'f', 'n')).toThrow(ManifestError);
    expect(() => staticPodFromManifest('apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: a}]}', 'f', 'n')).toThrow('metadata.name');
  });

  it('reads a folder, skipping bad and hidden files, and reports changes', () => {
    writeFileSync(join(dir, 'a.yaml'), manifest);
    writeFileSync(join(dir, 'bad.yaml'), 'not: [valid');
    writeFileSync(join(dir, '.hidden.yaml'), manifest);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(readManifestDir(dir, 'n', log).map((p) => p.pod.metadata?.name)).toEqual(['etcd-n']);
    const seen: number[] = [];
    const src = new StaticPodSource(dir, 'n', log, (pods) => seen.push(pods.length));
    src.poll();
    src.poll();
    expect(seen).toEqual([1]);
    writeFileSync(join(dir, 'b.yml'), manifest.replace('etcd', 'api'));
    src.poll();
    expect(seen).toEqual([1, 2]);
  });
});
