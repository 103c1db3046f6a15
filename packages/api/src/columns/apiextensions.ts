import type { TableColumn } from '../registry-types.js';
import { nameColumn } from './common.js';

// kube's CRD table (apiextensions-apiserver's default table convertor for its own kind): NAME, CREATED AT.

export const customResourceDefinitionColumns: TableColumn[] = [
  nameColumn,
  {
    name: 'Created At',
    type: 'date',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
    cell: (obj) => obj.metadata.creationTimestamp ?? null,
  },
];
