import { describe, expect, it } from 'vitest';
import { startRealEtcd } from './etcd.js';

describe('startRealEtcd', () => {
  it('starts a real etcd that answers maintenance/status', async () => {
    const etcd = await startRealEtcd();
    try {
      const res = await fetch(`${etcd.url}/v3/maintenance/status`, { method: 'POST', body: '{}' });
      const body = (await res.json()) as { version: string };
      expect(body.version).toMatch(/^3\.4\./);
    } finally {
      await etcd.close();
    }
  });
});
