import type { KubeObject } from '@tinykube/api';
import { placeManifest } from '../apply/target.js';
import { withLastApplied } from '../apply/last-applied.js';
import { formatError, ReportedError, usageError, withContext } from '../errors.js';
import { readManifests } from '../manifests.js';
import { kindPrefix } from '../resources.js';
import type { Session } from '../session.js';
import { parseDryRun } from './apply.js';

export interface CreateOptions {
  filename: string[];
  recursive?: boolean;
  saveConfig?: boolean;
  dryRun?: string;
}

/** `tkctl create -f`: POST every manifest; AlreadyExists and other failures are reported per object. */
export async function createCommand(s: Session, o: CreateOptions): Promise<void> {
  const manifests = await readManifests(o.filename, s.io, o.recursive);
  if (manifests.length === 0) throw usageError('no objects passed to create');
  const dryRun = parseDryRun(o.dryRun);
  let failed = false;
  for (const m of manifests) {
    try {
      const { obj, namespace } = placeManifest(s, m);
      const body = o.saveConfig ? withLastApplied(obj) : obj;
      let created = body;
      if (dryRun !== 'client') {
        try {
          created = await s.client.create<KubeObject>(m.info, body, { namespace, dryRun: dryRun === 'server' });
        } catch (err) {
          throw withContext(err, `error when creating "${m.source}"`);
        }
      }
      const suffix = dryRun ? ` (${dryRun} dry run)` : '';
      s.io.stdout.write(`${kindPrefix(m.info)}/${created.metadata.name ?? created.metadata.generateName ?? ''} created${suffix}\n`);
    } catch (err) {
      failed = true;
      s.io.stderr.write(formatError(err, s.config.server) + '\n');
    }
  }
  if (failed) throw new ReportedError();
}
