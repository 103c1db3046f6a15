import { usageError } from '../errors.js';
import { kindPrefix, namespaceFor, parseTargets } from '../resources.js';
import type { Session } from '../session.js';

const RESTARTABLE = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/**
 * `rollout restart deploy/x`: stamps spec.template.metadata.annotations with
 * kubectl.kubernetes.io/restartedAt (a strategic merge patch), so the controller rolls new pods.
 */
export async function rolloutRestartCommand(s: Session, args: string[]): Promise<void> {
  const stamp = s.io.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const t of parseTargets(args)) {
    if (!RESTARTABLE.has(t.info.kind)) throw usageError(`restarting is not supported for ${t.info.kind}`);
    if (t.names.length === 0) throw usageError('resource(s) were provided, but no name was specified');
    for (const name of t.names) {
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': stamp } } } } };
      await s.client.patch(t.info, name, patch, 'strategic', { namespace: namespaceFor(t.info, s.namespace) });
      s.io.stdout.write(`${kindPrefix(t.info)}/${name} restarted\n`);
    }
  }
}
