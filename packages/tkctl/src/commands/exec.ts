import { CliError, usageError } from '../errors.js';
import { pickContainer, pickPod, podsInfo } from '../pod-picker.js';
import { resourcePath } from '@tinykube/client';
import type { Session } from '../session.js';
import { EXEC_PROTOCOLS, runExec } from '../stream/exec.js';
import { openStream } from '../stream/ws.js';

export interface ExecOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

/**
 * `tkctl exec [-i] [-t] POD|TYPE/NAME [-c C] -- COMMAND [ARGS...]` over a WebSocket on
 * pods/NAME/exec. The remote exit code becomes tkctl's ("command terminated with exit code N").
 */
export async function execCommand(s: Session, args: string[], o: ExecOptions): Promise<void> {
  const [target, ...command] = args;
  if (!target) throw usageError('expected POD or TYPE/NAME');
  if (command.length === 0) throw usageError('you must specify at least one command for the container');
  const pod = await pickPod(s, target);
  const container = pickContainer(s, pod, o.container);
  const tty = Boolean(o.tty && o.stdin && s.io.stdin.isTTY);
  if (o.tty && !tty) s.io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const query: [string, string][] = command.map((c) => ['command', c]);
  if (container) query.push(['container', container]);
  query.push(['stdout', 'true'], ['stderr', String(!tty)], ['stdin', String(Boolean(o.stdin))], ['tty', String(tty)]);
  const path = resourcePath(podsInfo(), { namespace: pod.metadata.namespace, name: pod.metadata.name, subresource: 'exec' });
  const ws = await openStream(s, path, query, EXEC_PROTOCOLS);
  const out = s.io.stdout as { columns?: number; rows?: number };
  if (tty) s.io.stdin.setRawMode?.(true);
  try {
    const result = await runExec(ws, {
      stdin: o.stdin ? s.io.stdin : undefined,
      stdout: { write: (b) => s.io.stdout.write(b) },
      stderr: { write: (b) => s.io.stderr.write(b) },
      size: tty && out.columns ? { width: out.columns, height: out.rows ?? 24 } : undefined,
    });
    if ('error' in result) throw new CliError('FAILED', result.error);
    if (result.exitCode !== 0) throw new CliError('EXIT', `command terminated with exit code ${result.exitCode}`, result.exitCode);
  } finally {
    if (tty) s.io.stdin.setRawMode?.(false);
    if (o.stdin) s.io.stdin.pause();
  }
}
