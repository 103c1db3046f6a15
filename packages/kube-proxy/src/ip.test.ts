import { describe, expect, it } from 'vitest';
import { ClusterIPAddresses, DummyInterface, IpCommandError, type CommandResult, type CommandRunner } from './ip.js';

/** Records `ip` invocations and answers from a script keyed by the joined arguments. */
function fakeIp(answers: Record<string, Partial<CommandResult>> = {}): { run: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = async (cmd, args) => {
    const line = [cmd, ...args].join(' ');
    calls.push(line);
    return { code: 0, stdout: '', stderr: '', ...answers[line] };
  };
  return { run, calls };
}

describe('DummyInterface', () => {
  it('creates, raises and flushes the interface; an existing one is fine', async () => {
    const f = fakeIp({ 'ip link add tk-svc0 type dummy': { code: 2, stderr: 'RTNETLINK answers: File exists' } });
    await new DummyInterface({ run: f.run }).init();
    expect(f.calls).toEqual(['ip link add tk-svc0 type dummy', 'ip link set tk-svc0 up', 'ip addr flush dev tk-svc0']);
  });

  it('falls back to labelled addresses on lo where the kernel has no dummy links, flushing only its own', async () => {
    const json = JSON.stringify([{ ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', label: 'lo' }, { family: 'inet', local: '10.96.0.9', label: 'lo:tk-svc0' }] }]);
    const f = fakeIp({
      'ip link add tk-svc0 type dummy': { code: 2, stderr: 'Error: Unknown device type.' },
      'ip -j addr show dev lo': { stdout: json },
    });
    const d = new DummyInterface({ run: f.run });
    await d.init();
    expect(d.device).toEqual({ dev: 'lo', label: 'lo:tk-svc0' });
    await d.add('10.96.0.9');
    await d.remove('10.96.0.9');
    expect(await d.list()).toEqual(['10.96.0.9']);
    expect(f.calls).toEqual([
      'ip link add tk-svc0 type dummy',
      'ip link set lo up',
      'ip addr flush dev lo label lo:tk-svc0',
      'ip addr add 10.96.0.9/32 dev lo label lo:tk-svc0',
      'ip addr del 10.96.0.9/32 dev lo',
      'ip -j addr show dev lo',
    ]);
  });

  it('adds and removes /32 addresses idempotently', async () => {
    const f = fakeIp({
      'ip addr add 10.96.0.10/32 dev tk-svc1': { code: 2, stderr: 'RTNETLINK answers: File exists' },
      'ip addr del 10.96.0.11/32 dev tk-svc1': { code: 2, stderr: 'RTNETLINK answers: Cannot assign requested address' },
    });
    const d = new DummyInterface({ name: 'tk-svc1', run: f.run });
    await d.add('10.96.0.10');
    await d.remove('10.96.0.11');
    expect(f.calls).toEqual(['ip addr add 10.96.0.10/32 dev tk-svc1', 'ip addr del 10.96.0.11/32 dev tk-svc1']);
  });

  it('throws a typed error for real failures (e.g. no NET_ADMIN)', async () => {
    const f = fakeIp({ 'ip link add tk-svc0 type dummy': { code: 2, stderr: 'RTNETLINK answers: Operation not permitted' } });
    const err = await new DummyInterface({ run: f.run }).init().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpCommandError);
    expect((err as IpCommandError).code).toBe('EIPCOMMAND');
  });

  it('lists the IPv4 addresses from ip -j', async () => {
    const json = JSON.stringify([{ ifname: 'tk-svc0', addr_info: [{ family: 'inet', local: '10.96.0.1' }, { family: 'inet6', local: 'fe80::1' }, { family: 'inet', local: '10.96.0.2' }] }]);
    const f = fakeIp({ 'ip -j addr show dev tk-svc0': { stdout: json } });
    expect(await new DummyInterface({ run: f.run }).list()).toEqual(['10.96.0.1', '10.96.0.2']);
  });
});

describe('ClusterIPAddresses', () => {
  it('adds once, and removes only when no longer wanted at the time of removal', async () => {
    const f = fakeIp();
    const a = new ClusterIPAddresses(new DummyInterface({ run: f.run }));
    await Promise.all([a.ensure('10.96.0.5'), a.ensure('10.96.0.5')]);
    expect(a.has('10.96.0.5')).toBe(true);
    await a.release('10.96.0.5', () => true);
    expect(a.has('10.96.0.5')).toBe(true);
    await a.release('10.96.0.5', () => false);
    await a.release('10.96.0.5', () => false); // already gone: no second command
    expect(f.calls).toEqual(['ip addr add 10.96.0.5/32 dev tk-svc0', 'ip addr del 10.96.0.5/32 dev tk-svc0']);
  });

  it('keeps going after a failed command', async () => {
    const f = fakeIp({ 'ip addr add 10.96.0.6/32 dev tk-svc0': { code: 1, stderr: 'boom' } });
    const a = new ClusterIPAddresses(new DummyInterface({ run: f.run }));
    await expect(a.ensure('10.96.0.6')).rejects.toBeInstanceOf(IpCommandError);
    await a.ensure('10.96.0.7');
    expect(a.has('10.96.0.6')).toBe(false);
    expect(a.has('10.96.0.7')).toBe(true);
  });
});
