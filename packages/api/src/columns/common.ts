import { ageString } from '../age.js';
import { LabelSelectorError, labelSelectorAsSelectorOrError } from '../labels.js';
import type { TableCell, TableColumn } from '../registry-types.js';
import type { KubeObject } from '../schemas/meta.js';
import type { LabelSelectorSpec } from '../schemas/primitives.js';

// Column building blocks shared by every kind, worded like Kubernetes' printers.

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: NAME_DESCRIPTION,
  priority: 0,
  cell: (obj) => obj.metadata.name ?? '',
};

export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: AGE_DESCRIPTION,
  priority: 0,
  cell: (obj, now) => ageString(obj.metadata.creationTimestamp, now),
};

/** A column whose cell reads the object as the kind's own type. */
export function column<T extends KubeObject>(
  name: string,
  type: TableColumn['type'],
  description: string,
  cell: (obj: T, now: Date) => TableCell,
  priority: 0 | 1 = 0,
): TableColumn {
  return { name, type, description, priority, cell: (obj, now) => cell(obj as T, now) };
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * A metav1.LabelSelector in the string form Kubernetes prints (`app=web,tier in (a,b),!legacy`),
 * requirements sorted by key: labels.ts's Selector.toString(). An absent or empty selector prints
 * as '', an invalid one as '<error>'.
 */
export function selectorString(sel: LabelSelectorSpec | undefined): string {
  if (!sel) return '';
  const s = labelSelectorAsSelectorOrError(sel);
  return s instanceof LabelSelectorError ? '<error>' : s.toString();
}

/** The CONTAINERS and IMAGES cells of workload kinds: names and images joined by commas. */
export function containerCells(containers: { name: string; image?: string }[] | undefined): {
  names: string;
  images: string;
} {
  const list = containers ?? [];
  return { names: list.map((c) => c.name).join(','), images: list.map((c) => c.image ?? '').join(',') };
}
