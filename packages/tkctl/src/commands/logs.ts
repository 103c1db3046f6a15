import { usageError } from '../errors.js';
import { pickContainer, pickPod } from '../pod-picker.js';
import type { Session } from '../session.js';

export interface LogsOptions {
  follow?: boolean;
  tail?: number;
  container?: string;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
}

/** `tkctl logs POD|TYPE/NAME [-c C] [-f] [--tail N] [--previous] [--timestamps]` via GET pods/NAME/log. */
export async function logsCommand(s: Session, args: string[], o: LogsOptions): Promise<void> {
  if (args.length === 0) throw usageError('expected POD or TYPE/NAME');
  const pod = await pickPod(s, args[0]);
  const container = args[1] ?? pickContainer(s, pod, o.container);
  const stream = s.client.logStream(pod.metadata.namespace ?? s.namespace, pod.metadata.name ?? '', {
    container: container || undefined,
    follow: o.follow || undefined,
    tailLines: o.tail !== undefined && o.tail >= 0 ? o.tail : undefined,
    previous: o.previous || undefined,
    timestamps: o.timestamps || undefined,
    sinceSeconds: o.sinceSeconds,
    signal: s.io.signal,
  });
  for await (const chunk of stream) s.io.stdout.write(chunk);
}
