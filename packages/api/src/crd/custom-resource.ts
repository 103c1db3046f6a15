import { z } from 'zod';
import { STANDARD_VERBS } from '../registry.js';
import type { ResourceInfo, TableCell, TableColumn } from '../registry-types.js';
import type { CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceDefinitionVersion, JSONSchemaProps } from '../schemas/apiextensions.js';
import { KubeObjectSchema, type KubeObject } from '../schemas/meta.js';
import { nameColumn } from '../columns/common.js';
import { jsonPathValues } from './jsonpath.js';
import { applySchemaDefaults, pruneUnknown } from './prune-default.js';
import { validateAgainstSchema } from './schema-validate.js';
import { compareVersionPriority } from './version-priority.js';

// The ResourceInfos a CustomResourceDefinition serves: one per served version, the preferred one first
// (kube's version priority), all sharing the storage version.

const AGE_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created.';

/** A custom object parses as any object with metadata; its schema is applied by `validate`. */
const customObjectSchema = KubeObjectSchema as unknown as z.ZodType<KubeObject>;

function printerColumn(c: CustomResourceColumnDefinition): TableColumn {
  const type = (['integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as TableColumn['type'];
  return {
    name: c.name, type, format: c.format, description: c.description ?? '', priority: c.priority && c.priority > 0 ? 1 : 0,
    cell: (obj) => cellValue(jsonPathValues(obj, c.jsonPath)[0], type),
  };
}

/** A Table cell as kube's CRD table convertor renders it: scalars as they are, absent as null, others as JSON. */
function cellValue(v: unknown, type: TableColumn['type']): TableCell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    if (type === 'string' && typeof v !== 'string') return String(v);
    return v;
  }
  return JSON.stringify(v);
}

function columnsFor(v: CustomResourceDefinitionVersion): TableColumn[] {
  const cols = v.additionalPrinterColumns;
  if (!cols || cols.length === 0) {
    return [nameColumn, { name: 'Age', type: 'date', description: AGE_DESCRIPTION, priority: 0, cell: (o) => o.metadata.creationTimestamp ?? null }];
  }
  return [nameColumn, ...cols.map(printerColumn)];
}

export function customResourceInfos(crd: CustomResourceDefinition): ResourceInfo[] {
  const { group, names, scope } = crd.spec;
  const storage = crd.spec.versions.find((v) => v.storage)?.name ?? crd.spec.versions[0]?.name ?? 'v1';
  const served = crd.spec.versions.filter((v) => v.served).sort((a, b) => compareVersionPriority(a.name, b.name));
  return served.map((v) => {
    const schema = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JSONSchemaProps;
    const subresources: string[] = [];
    if (v.subresources?.status) subresources.push('status');
    if (v.subresources?.scale) subresources.push('scale');
    const info: ResourceInfo = {
      group, version: v.name, apiVersion: `${group}/${v.name}`,
      kind: names.kind, listKind: names.listKind ?? `${names.kind}List`,
      plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(),
      namespaced: scope === 'Namespaced',
      shortNames: names.shortNames ?? [], categories: names.categories ?? [],
      verbs: STANDARD_VERBS, subresources, columns: columnsFor(v),
      schema: customObjectSchema, hasStatus: !!v.subresources?.status,
      normalize: (obj) => { applySchemaDefaults(obj, schema); pruneUnknown(obj, schema, true); },
      validate: (obj) => validateAgainstSchema(obj, schema),
      storageVersion: storage,
    };
    if (v.subresources?.scale) info.scale = { ...v.subresources.scale };
    return info;
  });
}
