import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@tinykube/api';
import { parseOutput, printObjects } from './output.js';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, creationTimestamp: '2024-01-02T03:04:05Z', resourceVersion: '7' } });
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };

describe('printObjects', () => {
  it('prints one named object bare as YAML with sorted keys and quoted timestamps', () => {
    expect(printObjects([pod('a')], true, { kind: 'yaml' })).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: "2024-01-02T03:04:05Z"\n  name: a\n  resourceVersion: "7"\n',
    );
  });

  it('wraps several objects in a List; JSON is indented by four spaces', () => {
    const json = printObjects([pod('a'), pod('b')], false, { kind: 'json' });
    expect(JSON.parse(json)).toMatchObject({ kind: 'List', apiVersion: 'v1', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
    expect(json.split('\n')[1]).toBe('    "apiVersion": "v1",');
  });

  it('-o name uses kind.group/name', () => {
    expect(printObjects([pod('a'), deploy], false, { kind: 'name' })).toBe('pod/a\ndeployment.apps/web\n');
  });

  it('jsonpath runs on the List for several objects', () => {
    expect(printObjects([pod('a'), pod('b')], false, { kind: 'jsonpath', template: '{.items[*].metadata.name}' })).toBe('a b');
  });
});

describe('parseOutput', () => {
  it('knows kubectl formats and rejects others', () => {
    expect(parseOutput('wide')).toEqual({ kind: 'table', wide: true });
    expect(parseOutput('jsonpath={.a}')).toEqual({ kind: 'jsonpath', template: '{.a}' });
    expect(() => parseOutput('xml')).toThrow(/unable to match a printer/);
  });
});
