import { formatLabels, type Table } from '@tinykube/api';

// kubectl's human-readable printer: upper-case headers, columns padded to the widest cell plus
// three spaces (Go's tabwriter with padding 3), the last column unpadded. Priority-1 columns only
// with -o wide; NAMESPACE first with -A; LABELS last with --show-labels.

export interface TableOptions {
  wide?: boolean;
  /** -A: a NAMESPACE column from each row's object metadata. */
  withNamespace?: boolean;
  showLabels?: boolean;
  /** -L key: one upper-cased column per label key. */
  labelColumns?: string[];
  /** `pod`, `deployment.apps`: prefixes NAME cells ("pod/web"), as kubectl does for several types. */
  kindPrefix?: string;
  noHeaders?: boolean;
}

interface RowMeta {
  namespace?: string;
  labels?: Record<string, string>;
}

function rowMeta(object: Record<string, unknown> | undefined): RowMeta {
  const md = object?.metadata;
  return typeof md === 'object' && md !== null ? (md as RowMeta) : {};
}

/** One cell as kubectl prints it: null → <none>, objects as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The header and rows of a Table as strings, after choosing columns. */
export function tableCells(t: Table, o: TableOptions = {}): { header: string[]; rows: string[][] } {
  const cols = t.columnDefinitions
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => o.wide || c.priority === 0);
  const nameIdx = t.columnDefinitions.findIndex((c) => c.format === 'name');
  const nameCol = nameIdx >= 0 ? nameIdx : 0;
  const header: string[] = [];
  if (o.withNamespace) header.push('NAMESPACE');
  header.push(...cols.map(({ c }) => c.name.toUpperCase()));
  for (const key of o.labelColumns ?? []) header.push(key.split('/').pop()!.toUpperCase());
  if (o.showLabels) header.push('LABELS');
  const rows = t.rows.map((r) => {
    const meta = rowMeta(r.object);
    const out: string[] = [];
    if (o.withNamespace) out.push(meta.namespace ?? '');
    for (const { i } of cols) {
      const text = cellText(r.cells[i]);
      out.push(i === nameCol && o.kindPrefix ? `${o.kindPrefix}/${text}` : text);
    }
    for (const key of o.labelColumns ?? []) out.push(meta.labels?.[key] ?? '');
    if (o.showLabels) out.push(formatLabels(meta.labels));
    return out;
  });
  return { header, rows };
}

/** Column widths: the widest cell of each column (the last column is never padded). */
export function columnWidths(lines: string[][]): number[] {
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return widths;
}

export function formatLine(cells: string[], widths: number[], padding = 3): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...cell].length) + padding)))
    .join('');
}

/** Aligned text of several lines (each ends with a newline). */
export function formatLines(lines: string[][], padding = 3): string {
  const widths = columnWidths(lines);
  return lines.map((l) => formatLine(l, widths, padding) + '\n').join('');
}

/** A whole table, header first unless noHeaders. */
export function printTable(t: Table, o: TableOptions = {}): string {
  const { header, rows } = tableCells(t, o);
  return formatLines(o.noHeaders ? rows : [header, ...rows]);
}

/**
 * Rows that arrive one at a time (`get -w`): the first batch sets the column widths, later rows
 * reuse them (widening if a cell is longer) so the output stays roughly aligned like kubectl's.
 */
export class StreamingTable {
  private widths: number[] = [];
  private headerDone = false;

  constructor(private readonly o: TableOptions = {}) {}

  /** Text for a batch of rows from one Table (the header is printed once, with the first batch). */
  print(t: Table): string {
    const { header, rows } = tableCells(t, this.o);
    const lines = this.headerDone || this.o.noHeaders ? rows : [header, ...rows];
    const w = columnWidths(lines);
    this.widths = w.map((x, i) => Math.max(x, this.widths[i] ?? 0));
    this.headerDone = true;
    return lines.map((l) => formatLine(l, this.widths) + '\n').join('');
  }
}
