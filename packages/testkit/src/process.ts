import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (testkit lives at packages/testkit/src). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (for assertions and failure messages). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has ended. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill9(): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts any program as a child process, capturing its output. */
export function spawnProcess(cmd: string, args: string[], opts: SpawnOptions = {}): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
    child.on('error', (err) => {
      out += `\nspawn error: ${err.message}`;
      resolve(-1);
    });
  });
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    async stop(graceMs = 5_000) {
      if (ended()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (ended()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Starts a tinykube component from its TypeScript source (packages/<pkg>/src/main.ts) with tsx,
 * so tests always exercise src/ and never a stale build.
 */
export function spawnComponent(pkg: string, args: string[], opts: SpawnOptions = {}): Proc {
  const main = path.join(repoRoot, 'packages', pkg, 'src', 'main.ts');
  return spawnProcess(process.execPath, ['--conditions=tinykube-src', '--import', 'tsx', main, ...args], opts);
}
