// The 409 an apply answers when it would change fields other managers own, worded as kube's.

import { statusError, type ApiError } from '../status/index.js';
import type { Conflict } from './field-manager.js';
import { pathString } from './field-set.js';
import { printManager } from './managers.js';

function conflictMessage(cs: readonly Conflict[]): string {
  if (cs.length === 1) return `conflict with ${printManager(cs[0].manager)}: ${pathString(cs[0].path)}`;
  const lines: string[] = [];
  let last = '';
  for (const c of cs) {
    const who = printManager(c.manager);
    if (who !== last) lines.push(`conflicts with ${who}:`);
    last = who;
    lines.push(`- ${pathString(c.path)}`);
  }
  return lines.join('\n');
}

/** 409 Conflict: `Apply failed with 1 conflict: conflict with "mgr" using apps/v1: .spec.replicas`. */
export function applyConflict(cs: readonly Conflict[]): ApiError {
  const causes = cs.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  const n = cs.length;
  return statusError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${conflictMessage(cs)}`, { causes });
}
