import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '@tinykube/hostnet';
import { ensurePodCidrAddress, nodePodAddress, POD_ADDRESS_LABEL } from './pod-cidr-address.js';

/** A fake `ip` holding lo's addresses, so the commands and their effect can both be checked. */
function fakeLo(addrs: { local: string; prefixlen: number; label: string }[]) {
  const calls: string[] = [];
  const run: CommandRunner = async (_cmd, args) => {
    calls.push(args.join(' '));
    if (args[0] === '-j') return { code: 0, stdout: JSON.stringify([{ ifname: 'lo', addr_info: addrs.map((a) => ({ family: 'inet', ...a })) }]), stderr: '' };
    if (args[0] === 'addr' && args[1] === 'del') {
      const i = addrs.findIndex((a) => `${a.local}/${a.prefixlen}` === args[2]);
      if (i < 0) return { code: 2, stdout: '', stderr: 'RTNETLINK answers: Cannot assign requested address' };
      addrs.splice(i, 1);
    }
    if (args[0] === 'addr' && args[1] === 'add') {
      const [local, len] = args[2]!.split('/');
      addrs.push({ local: local!, prefixlen: Number(len), label: args[6]! });
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls, addrs };
}

describe('the podCIDR address on lo', () => {
  it("is the CIDR's first host address with the CIDR's prefix", () => {
    expect(nodePodAddress('10.244.3.0/24')).toBe('10.244.3.1/24');
    expect(nodePodAddress('10.244.3.77/24')).toBe('10.244.3.1/24');
  });

  it('is added once under its label; a second call changes nothing', async () => {
    const lo = fakeLo([{ local: '127.0.0.1', prefixlen: 8, label: 'lo' }]);
    expect(await ensurePodCidrAddress(lo.run, '10.244.1.0/24')).toEqual({ added: true, removed: [] });
    expect(lo.calls).toContain(`addr add 10.244.1.1/24 dev lo label ${POD_ADDRESS_LABEL}`);
    expect(await ensurePodCidrAddress(lo.run, '10.244.1.0/24')).toEqual({ added: false, removed: [] });
    expect(lo.addrs.map((a) => a.local)).toEqual(['127.0.0.1', '10.244.1.1']);
  });

  it("replaces the previous podCIDR's address and touches no other address on lo", async () => {
    const lo = fakeLo([{ local: '127.0.0.1', prefixlen: 8, label: 'lo' }, { local: '10.244.9.1', prefixlen: 24, label: POD_ADDRESS_LABEL }, { local: '10.96.0.1', prefixlen: 32, label: 'lo:tk-svc0' }]);
    expect(await ensurePodCidrAddress(lo.run, '10.244.1.0/24')).toEqual({ added: true, removed: ['10.244.9.1/24'] });
    expect(lo.addrs.map((a) => `${a.local}/${a.prefixlen}`)).toEqual(['127.0.0.1/8', '10.96.0.1/32', '10.244.1.1/24']);
  });
});
