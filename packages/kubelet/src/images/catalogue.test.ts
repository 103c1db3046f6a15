import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@tinykube/testkit';
import { agnhostScript, effectiveArgv, ImagePullError, parseImage, PAUSE_ARGV, resolveArgv, resolveImage } from './catalogue.js';

const root = mkdtempSync(join(tmpdir(), 'tk-images-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parseImage', () => {
  it('normalises registries, library/ and tags', () => {
    expect(parseImage('busybox')).toEqual({ name: 'busybox', tag: 'latest' });
    expect(parseImage('docker.io/library/busybox:1.36')).toEqual({ name: 'busybox', tag: '1.36' });
    expect(parseImage('k8s.gcr.io/pause:3.9')).toEqual({ name: 'registry.k8s.io/pause', tag: '3.9' });
    expect(parseImage('localhost:5000/app@sha256:abcd')).toEqual({ name: 'localhost:5000/app', tag: 'latest' });
  });
});

describe('effectiveArgv (Kubernetes semantics)', () => {
  it('command replaces the entrypoint, args replace the cmd', () => {
    expect(effectiveArgv(['/ep'], ['cmd'], undefined, undefined)).toEqual(['/ep', 'cmd']);
    expect(effectiveArgv(['/ep'], ['cmd'], ['run'], undefined)).toEqual(['run']);
    expect(effectiveArgv(['/ep'], ['cmd'], undefined, ['a'])).toEqual(['/ep', 'a']);
    expect(effectiveArgv(['/ep'], ['cmd'], ['run'], ['a'])).toEqual(['run', 'a']);
  });
});

describe('resolveImage', () => {
  it('runs busybox commands with the host shell', () => {
    const r = resolveImage({ image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'], rootDir: root });
    expect(r.argv[0]).toMatch(/\/sh$/);
    expect(r.argv.slice(1)).toEqual(['-c', 'echo hi']);
    expect(resolveImage({ image: 'alpine', args: ['/bin/busybox', 'echo', 'x'], rootDir: root }).argv[0]).toMatch(/\/echo$/);
  });
  it('runs node images with this Node.js', () => {
    expect(resolveImage({ image: 'node:20', command: ['node', '-e', '1'], rootDir: root }).argv).toEqual([process.execPath, '-e', '1']);
    expect(resolveImage({ image: 'node:20', args: ['server.js'], rootDir: root }).argv).toEqual([process.execPath, 'server.js']);
  });
  it('maps pause and agnhost to our scripts', () => {
    expect(resolveImage({ image: 'registry.k8s.io/pause:3.10', command: ['/whatever'], rootDir: root }).argv).toEqual(PAUSE_ARGV);
    expect(resolveImage({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['serve-hostname'], rootDir: root }).argv).toEqual([process.execPath, agnhostScript, 'serve-hostname']);
    expect(resolveImage({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', rootDir: root }).argv).toEqual([process.execPath, agnhostScript, 'pause']);
  });
  it('fails unknown images with ErrImagePull', () => {
    expect(() => resolveImage({ image: 'nginx:1.27', rootDir: root })).toThrow(ImagePullError);
  });
  it('runs node-local images from <root>/images/<name>/<tag>', () => {
    const d = join(root, 'images', 'myorg/app', 'v1');
    mkdirSync(join(d, 'files', 'bin'), { recursive: true });
    writeFileSync(join(d, 'files', 'bin', 'serve'), '#!/bin/sh\necho served\n', { mode: 0o755 });
    writeFileSync(join(d, 'image.json'), JSON.stringify({ entrypoint: ['/bin/serve'], cmd: ['--fast'], env: ['MODE=prod'] }));
    const r = resolveImage({ image: 'myorg/app:v1', rootDir: root });
    expect(r.argv).toEqual([join(d, 'files', 'bin', 'serve'), '--fast']);
    expect(r.env.MODE).toBe('prod');
    expect(r.workingDir).toBe(join(d, 'files'));
    expect(r.imageID).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('leaves unknown executables as they are (the runtime reports StartError)', () => {
    expect(resolveArgv(['no-such-tool-xyz'], '/usr/bin:/bin')).toEqual(['no-such-tool-xyz']);
  });
});

describe('agnhost', () => {
  it('netexec answers /hostname, /echo and /healthz on $POD_IP', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [agnhostScript, 'netexec', `--http-port=${port}`], { env: { POD_IP: '127.0.0.1', HOSTNAME: 'pod-a' }, stdio: 'ignore' });
    try {
      const get = async (p: string) => (await fetch(`http://127.0.0.1:${port}${p}`)).text();
      expect(await waitFor(() => get('/hostname'), { what: 'netexec up' })).toBe('pod-a');
      expect(await get('/echo?msg=hello')).toBe('hello');
      expect(await get('/healthz')).toBe('ok');
      expect(JSON.parse(await get('/shell?cmd=echo%20x'))).toEqual({ output: 'x\n' });
    } finally {
      child.kill('SIGKILL');
    }
  });
  it('serve-hostname answers the pod hostname', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [agnhostScript, 'serve-hostname', '--port', String(port)], { env: { POD_IP: '127.0.0.1', HOSTNAME: 'pod-b' }, stdio: 'ignore' });
    try {
      expect(await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).text(), { what: 'serve-hostname up' })).toBe('pod-b');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
