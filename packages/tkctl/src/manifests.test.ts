import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bufferIo } from './io.js';
import { parseManifests, readManifests } from './manifests.js';

describe('manifests', () => {
  it('parses multi-document YAML and flattens Lists', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}\n`;
    const ms = parseManifests(text, 'x.yaml');
    expect(ms.map((m) => `${m.info.plural}/${m.object.metadata.name}`)).toEqual(['pods/a', 'deployments/d']);
  });

  it('refuses objects without kind or of unknown kinds', () => {
    expect(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n', 'x.yaml')).toThrow(/kind not set/);
    expect(() => parseManifests('apiVersion: x/v1\nkind: Widget\nmetadata: {name: a}\n', 'x.yaml')).toThrow(/no matches for kind "Widget"/);
  });

  it('reads folders (sorted, manifests only) and stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tkctl-manifests-'));
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    writeFileSync(join(dir, 'a.json'), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const io = bufferIo({ cwd: dir, stdin: Readable.from(['apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n']) as never });
    expect((await readManifests(['.'], io)).map((m) => m.object.metadata.name)).toEqual(['a', 'b']);
    expect((await readManifests(['.'], io, true)).map((m) => m.object.metadata.name)).toEqual(['a', 'b', 'c']);
    expect((await readManifests(['-'], io)).map((m) => m.object.kind)).toEqual(['Secret']);
    await expect(readManifests(['missing.yaml'], io)).rejects.toThrow(/does not exist/);
  });
});
