/** Runs the real kubectl (v1.32 via the dispatcher) against a test apiserver, in a fresh HOME and cache dir. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export interface Run { code: number; stdout: string; stderr: string }

export interface KubectlRunner {
  dir: string;
  kubectl(...args: string[]): Promise<Run>;
  /** kubectl that must exit 0; returns stdout */
  ok(...args: string[]): Promise<string>;
  /** writes `text` to `name` in the temp dir; returns its path */
  file(name: string, text: string): string;
  remove(): void;
}

export function kubectlRunner(kubeconfig: string, prefix = 'tk-kubectl-'): KubectlRunner {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const kubectl = (...args: string[]): Promise<Run> => new Promise((resolve) => {
    execFile(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
  return {
    dir,
    kubectl,
    async ok(...args) {
      const r = await kubectl(...args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    file(name, text) {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
