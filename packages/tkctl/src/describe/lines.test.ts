import { describe, expect, it } from 'vitest';
import { renderEvents } from './events.js';
import { Lines } from './lines.js';
import { describeGeneric, humanKey } from './generic.js';
import { registry, type KubeObject } from '@tinykube/api';

describe('Lines', () => {
  it('aligns each run of key/value lines and continues multi-line values', () => {
    const l = new Lines().kv(0, 'Name', 'web').kv(0, 'Labels', ['a=1', 'b=2']).header(0, 'Containers').kv(1, 'Image', 'nginx').kv(1, 'Environment', '<none>');
    expect(l.render()).toBe('Name:    web\nLabels:  a=1\n         b=2\nContainers:\n  Image:        nginx\n  Environment:  <none>\n');
  });
});

describe('renderEvents', () => {
  it('prints a two-space padded table with repeat counts', () => {
    const now = new Date('2024-01-01T00:10:00Z');
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, type: 'Normal', reason: 'Scheduled', message: 'assigned',
      count: 3, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:09:00Z', source: { component: 'default-scheduler' },
    } as KubeObject;
    expect(renderEvents([ev], now)).toBe(
      'Events:\n' +
      '  Type    Reason     Age                From               Message\n' +
      '  ----    ------     ----               ----               -------\n' +
      '  Normal  Scheduled  60s (x3 over 10m)  default-scheduler  assigned\n',
    );
    expect(renderEvents([], now)).toBe('Events:  <none>\n');
  });
});

describe('describeGeneric', () => {
  it('humanizes keys and keeps data keys as written', () => {
    expect(humanKey('matchLabels')).toBe('Match Labels');
    const info = registry.get('', 'configmaps')!;
    const text = describeGeneric(info, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data: { 'app.conf': 'x=1' } }).render();
    expect(text).toContain('Name:               c\n');
    expect(text).toContain('Data:\n  app.conf:  x=1\n');
  });
});
