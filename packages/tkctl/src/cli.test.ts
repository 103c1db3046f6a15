import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '@tinykube/testkit';
import { runCli } from './cli.js';
import { bufferIo } from './io.js';

describe('runCli', () => {
  it('prints help with exit code 0 and fails on unknown commands and flags', async () => {
    const help = bufferIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: tkctl');
    expect(help.out()).toContain('port-forward');

    const unknown = bufferIo();
    expect(await runCli(['frobnicate'], unknown)).toBe(1);
    expect(unknown.err()).toContain("unknown command 'frobnicate'");

    const badFlag = bufferIo();
    expect(await runCli(['get', 'pods', '--bogus'], badFlag)).toBe(1);
    expect(badFlag.err()).toContain("unknown option '--bogus'");
  });

  it('needs no server for version --client and completion', async () => {
    const v = bufferIo();
    expect(await runCli(['version', '--client'], v)).toBe(0);
    expect(v.out()).toBe('Client Version: v0.1.0\n');

    const bash = bufferIo();
    expect(await runCli(['completion', 'bash'], bash)).toBe(0);
    expect(bash.out()).toContain('complete -o default -F _tkctl tkctl');
    expect(bash.out()).toContain(' deploy ');
    const zsh = bufferIo();
    expect(await runCli(['completion', 'zsh'], zsh)).toBe(0);
    expect(zsh.out()).toMatch(/^#compdef tkctl\n/);
    const fish = bufferIo();
    expect(await runCli(['completion', 'fish'], fish)).toBe(1);
    expect(fish.err()).toBe('error: Unsupported shell type "fish". Supported: bash, zsh\n');
  });

  it('explains a refused connection like kubectl, without a stack trace', async () => {
    const port = await freePort(); // nothing listens there
    const io = bufferIo();
    expect(await runCli(['--server', `http://127.0.0.1:${port}`, 'get', 'pods'], io)).toBe(1);
    expect(io.err()).toBe(`The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?\n`);
  });

  it('leaves managedFields out of -o yaml unless --show-managed-fields, as kubectl', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] } };
    const server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(cm)); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const plain = bufferIo();
      expect(await runCli(['--server', url, 'get', 'configmap', 'c', '-o', 'yaml'], plain)).toBe(0);
      expect(plain.out()).not.toContain('managedFields');
      const shown = bufferIo();
      expect(await runCli(['--server', url, 'get', 'configmap', 'c', '-o', 'json', '--show-managed-fields'], shown)).toBe(0);
      expect(shown.out()).toContain('"manager": "kubectl"');
    } finally {
      server.close();
    }
  });

  it('rejects a bad output format before calling the server', async () => {
    const io = bufferIo();
    expect(await runCli(['--server', 'http://127.0.0.1:1', 'get', 'pods', '-o', 'xml'], io)).toBe(1);
    expect(io.err()).toMatch(/^error: unable to match a printer suitable for the output format "xml"/);
  });
});
