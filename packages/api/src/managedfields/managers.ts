// metadata.managedFields ↔ the managers' field sets. A manager is identified as kube does: manager,
// operation, subresource, and (for Update only) apiVersion; entries with one identity are one manager.

import type { z } from 'zod';
import type { ManagedFieldsEntrySchema } from '../schemas/meta.js';
import { FieldSet } from './field-set.js';

export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntrySchema>;
export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

export function managerId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);
}

/** kube's reset rule: `managedFields: [{}]` clears them. */
export function isResetManagedFields(entries: unknown): boolean {
  return Array.isArray(entries) && entries.length === 1 && typeof entries[0] === 'object' && entries[0] !== null && Object.keys(entries[0]).length === 0;
}

export function decodeManagers(entries: readonly ManagedFieldsEntry[] | undefined): Manager[] {
  const byId = new Map<string, Manager>();
  for (const e of entries ?? []) {
    const m: Manager = {
      manager: e.manager ?? '', operation: e.operation === 'Apply' ? 'Apply' : 'Update', apiVersion: e.apiVersion ?? '',
      subresource: e.subresource || undefined, time: e.time, set: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    const prev = byId.get(managerId(m));
    if (prev) { prev.set = prev.set.union(m.set); if ((m.time ?? '') > (prev.time ?? '')) prev.time = m.time; }
    else byId.set(managerId(m), m);
  }
  return [...byId.values()];
}

/** The managedFields list, sorted as kube writes it (operation, time, manager, apiVersion, subresource). */
export function encodeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const key = (m: Manager): string[] => [m.operation, m.time ?? '', m.manager, m.apiVersion, m.subresource ?? ''];
  return managers.filter((m) => !m.set.isEmpty())
    .sort((a, b) => { const ka = key(a), kb = key(b); for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1; return 0; })
    .map((m) => {
      const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
      if (m.time) e.time = m.time;
      e.fieldsType = 'FieldsV1';
      e.fieldsV1 = m.set.toFieldsV1();
      if (m.subresource) e.subresource = m.subresource;
      return e;
    });
}

/** How a conflict names its manager: `"kubectl" using apps/v1` for Update managers, `"mgr"` for appliers. */
export function printManager(m: Manager): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}
