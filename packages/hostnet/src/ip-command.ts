import { execFile } from 'node:child_process';

// The `ip` program (iproute2): how the kubelet (pod CIDR address, routes) and kube-proxy (ClusterIPs) touch a
// node's network. The runner is injectable, so tests check the exact commands without NET_ADMIN or a namespace.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (cmd: string, args: string[]) => Promise<CommandResult>;

export const execRunner: CommandRunner = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code !== 0 ? err.message : '')) });
    });
  });

export class IpCommandError extends Error {
  override readonly name = 'IpCommandError';
  readonly code = 'EIPCOMMAND';
  constructor(readonly args: string[], readonly result: CommandResult) {
    super(`ip ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  }
}

// `ip` reports these through netlink errno text; there is no other machine-readable signal.
export const EXISTS = /File exists|already assigned/i;
export const NOT_THERE = /Cannot assign requested address|Address not found|Cannot find device|does not exist|No such process/i;

/** Runs `ip args`; a failure whose message matches `tolerate` counts as done already. */
export async function ip(run: CommandRunner, args: string[], tolerate?: RegExp): Promise<string> {
  const r = await run('ip', args);
  if (r.code === 0 || (tolerate && tolerate.test(r.stderr))) return r.stdout;
  throw new IpCommandError(args, r);
}
