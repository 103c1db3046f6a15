import { describe, expect, it } from 'vitest';
import type { Table } from '@tinykube/api';
import { printTable, StreamingTable } from './table.js';

const table: Table = {
  apiVersion: 'meta.k8s.io/v1',
  kind: 'Table',
  metadata: {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
    { name: 'Status', type: 'string', format: '', description: '', priority: 0 },
    { name: 'IP', type: 'string', format: '', description: '', priority: 1 },
    { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
  ],
  rows: [
    { cells: ['web-1', 'Running', '10.0.0.1', '5m'], object: { metadata: { namespace: 'default', labels: { app: 'web', tier: 'fe' } } } },
    { cells: ['db', 'Pending', null, '3h2m'], object: { metadata: { namespace: 'prod' } } },
  ],
};

describe('printTable', () => {
  it('upper-cases headers, pads columns by three spaces and hides priority-1 columns', () => {
    expect(printTable(table)).toBe(
      'NAME    STATUS    AGE\n' +
      'web-1   Running   5m\n' +
      'db      Pending   3h2m\n',
    );
  });

  it('shows wide columns, <none> for null cells, NAMESPACE first and LABELS last', () => {
    expect(printTable(table, { wide: true, withNamespace: true, showLabels: true })).toBe(
      'NAMESPACE   NAME    STATUS    IP         AGE    LABELS\n' +
      'default     web-1   Running   10.0.0.1   5m     app=web,tier=fe\n' +
      'prod        db      Pending   <none>     3h2m   <none>\n',
    );
  });

  it('prefixes names with the kind when several types are printed, and can drop headers', () => {
    expect(printTable(table, { kindPrefix: 'pod', noHeaders: true })).toBe('pod/web-1   Running   5m\npod/db      Pending   3h2m\n');
  });

  it('adds -L label columns', () => {
    expect(printTable(table, { labelColumns: ['app'] }).split('\n')[0]).toBe('NAME    STATUS    AGE    APP');
  });
});

describe('StreamingTable', () => {
  it('prints the header once and keeps the first batch column widths', () => {
    const st = new StreamingTable();
    const first = st.print({ ...table, rows: [table.rows[0]] });
    const second = st.print({ ...table, rows: [table.rows[1]] });
    expect(first).toBe('NAME    STATUS    AGE\nweb-1   Running   5m\n');
    expect(second).toBe('db      Pending   3h2m\n');
  });
});
