import type { KubeObject } from '@tinykube/api';
import { isConflict, isNotFound } from '@tinykube/client';
import { withLastApplied, readLastApplied } from '../apply/last-applied.js';
import { placeManifest } from '../apply/target.js';
import { threeWayMergePatch } from '../apply/three-way.js';
import { formatError, ReportedError, usageError, withContext } from '../errors.js';
import { readManifests, type Manifest } from '../manifests.js';
import { kindPrefix } from '../resources.js';
import type { Session } from '../session.js';

export interface ApplyOptions {
  filename: string[];
  recursive?: boolean;
  dryRun?: string;
}

const FIELD_MANAGER = 'kubectl-client-side-apply';
const MAX_CONFLICT_RETRIES = 5;

export type ApplyResult = 'created' | 'configured' | 'unchanged';

/**
 * `tkctl apply -f`: client-side apply. Absent objects are created with the last-applied
 * annotation; present ones get a three-way strategic merge patch (re-read and recomputed on 409).
 * Every manifest is tried; failures are printed as they happen and make the exit code 1.
 */
export async function applyCommand(s: Session, o: ApplyOptions): Promise<void> {
  const manifests = await readManifests(o.filename, s.io, o.recursive);
  if (manifests.length === 0) throw usageError('no objects passed to apply');
  const dryRun = parseDryRun(o.dryRun);
  let failed = false;
  for (const m of manifests) {
    try {
      const result = await applyOne(s, m, dryRun);
      const suffix = dryRun ? ` (${dryRun} dry run)` : '';
      s.io.stdout.write(`${kindPrefix(m.info)}/${m.object.metadata.name} ${result}${suffix}\n`);
    } catch (err) {
      failed = true;
      s.io.stderr.write(formatError(err, s.config.server) + '\n');
    }
  }
  if (failed) throw new ReportedError();
}

export function parseDryRun(v: string | undefined): 'client' | 'server' | undefined {
  if (v === undefined || v === 'none') return undefined;
  if (v === 'client' || v === 'server') return v;
  throw usageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** Applies one manifest; a client dry run reads the live object but writes nothing. */
export async function applyOne(s: Session, m: Manifest, dryRunMode?: 'client' | 'server'): Promise<ApplyResult> {
  const dryRun = dryRunMode === 'server';
  const { obj, namespace } = placeManifest(s, m);
  const name = obj.metadata.name;
  if (!name) throw usageError(`from ${m.source}: cannot use generate name with apply`);
  const modified = withLastApplied(obj);
  let live: KubeObject;
  try {
    live = await s.client.get<KubeObject>(m.info, name, { namespace });
  } catch (err) {
    if (!isNotFound(err)) throw withContext(err, `error when retrieving current configuration of:\nResource: "${m.info.plural}.${m.info.version}.${m.info.group}", GroupVersionKind: "${m.info.apiVersion}, Kind=${m.info.kind}"\nName: "${name}", Namespace: "${namespace ?? ''}"\nfrom server for: "${m.source}"`);
    if (dryRunMode === 'client') return 'created';
    try {
      await s.client.create(m.info, modified, { namespace, fieldManager: FIELD_MANAGER, dryRun });
    } catch (e) {
      throw withContext(e, `error when creating "${m.source}"`);
    }
    return 'created';
  }
  for (let attempt = 0; ; attempt++) {
    const patch = threeWayMergePatch(readLastApplied(live), modified as Record<string, unknown>, live as Record<string, unknown>, m.info.kind);
    if (Object.keys(patch).length === 0) return 'unchanged';
    if (dryRunMode === 'client') return 'configured';
    try {
      await s.client.patch(m.info, name, patch, 'strategic', { namespace, fieldManager: FIELD_MANAGER, dryRun });
      return 'configured';
    } catch (err) {
      if (!isConflict(err) || attempt >= MAX_CONFLICT_RETRIES) throw withContext(err, `error when applying patch:\n${JSON.stringify(patch)}\n\nto:\nResource: "${m.info.plural}.${m.info.version}.${m.info.group}", GroupVersionKind: "${m.info.apiVersion}, Kind=${m.info.kind}"\nName: "${name}", Namespace: "${namespace ?? ''}"\nfor: "${m.source}"`);
      live = await s.client.get<KubeObject>(m.info, name, { namespace });
    }
  }
}
