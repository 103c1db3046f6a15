import { usageError } from '../errors.js';
import { kindPrefix, namespaceFor, parseTargets } from '../resources.js';
import type { Session } from '../session.js';

export interface ScaleOptions {
  replicas?: number;
  currentReplicas?: number;
}

/** `tkctl scale deploy/x --replicas=N`: a merge patch on the scale subresource, as kubectl sends. */
export async function scaleCommand(s: Session, args: string[], o: ScaleOptions): Promise<void> {
  if (o.replicas === undefined || o.replicas < 0) throw usageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  for (const t of parseTargets(args)) {
    if (!t.info.subresources.includes('scale')) throw usageError(`cannot scale ${t.info.plural}: the resource has no scale subresource`);
    if (t.names.length === 0) throw usageError('resource(s) were provided, but no name was specified');
    const namespace = namespaceFor(t.info, s.namespace);
    for (const name of t.names) {
      if (o.currentReplicas !== undefined) {
        const scale = await s.client.get(t.info, name, { namespace, subresource: 'scale' });
        const current = (scale.spec as { replicas?: number } | undefined)?.replicas ?? 0;
        if (current !== o.currentReplicas) throw usageError(`Expected replicas to be ${o.currentReplicas}, was ${current}`);
      }
      await s.client.patch(t.info, name, { spec: { replicas: o.replicas } }, 'merge', { namespace, subresource: 'scale' });
      s.io.stdout.write(`${kindPrefix(t.info)}/${name} scaled\n`);
    }
  }
}
