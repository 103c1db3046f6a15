import { describe, expect, it } from 'vitest';
import { jsonPath, parseJsonPath } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, spec: { containers: [{ name: 'c1' }, { name: 'c2' }] } },
    { metadata: { name: 'b' }, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] }, spec: { containers: [{ name: 'c3' }] } },
  ],
};

describe('jsonPath', () => {
  it('reads fields and joins several results with spaces', () => {
    expect(jsonPath('{.items[*].metadata.name}', list)).toBe('a b');
    expect(jsonPath('{.items[0].spec.containers[*].name}', list)).toBe('c1 c2');
    expect(jsonPath('{.items[-1].metadata.name}', list)).toBe('b');
    expect(jsonPath('{.items[0:1].metadata.name}', list)).toBe('a');
  });

  it('ranges with literals and plain text', () => {
    expect(jsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', list)).toBe('a\tRunning\nb\tPending\n');
    expect(jsonPath('names: {.items[*].metadata.name}!', list)).toBe('names: a b!');
  });

  it('filters, quoted keys, escaped dots and recursive descent', () => {
    expect(jsonPath('{.items[?(@.status.phase=="Pending")].metadata.name}', list)).toBe('b');
    expect(jsonPath(`{.items[0].metadata.labels['app.kubernetes.io/name']}`, list)).toBe('x');
    expect(jsonPath('{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', list)).toBe('x');
    expect(jsonPath('{..conditions[?(@.status=="True")].type}', list)).toBe('Ready');
  });

  it('prints objects as JSON and missing keys as nothing', () => {
    expect(jsonPath('{.items[1].metadata}', list)).toBe('{"name":"b"}');
    expect(jsonPath('{.nope.deeper}', list)).toBe('');
  });

  it('rejects malformed templates', () => {
    expect(() => parseJsonPath('{.a')).toThrow(/unclosed action/);
    expect(() => parseJsonPath('{end}')).toThrow(/not in range/);
    expect(() => parseJsonPath('{range .items[*]}{.a}')).toThrow(/unclosed range/);
  });
});
