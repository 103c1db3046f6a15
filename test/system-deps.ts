/**
 * What the tests need from the system, installed by `npm test` itself on Debian as root (the README's promise: no
 * manual step). Elsewhere it names what is missing in one line and stops.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS: { file: string; pkg: string }[] = [
  { file: '/usr/bin/etcd', pkg: 'etcd-server' },
  { file: '/usr/bin/etcdctl', pkg: 'etcd-client' },
  { file: '/usr/sbin/ip', pkg: 'iproute2' },
  { file: '/usr/lib/python3/dist-packages/kubernetes/__init__.py', pkg: 'python3-kubernetes' },
];

export function ensureSystemPackages(): void {
  const missing = NEEDS.filter((n) => !existsSync(n.file) && !(n.file === '/usr/sbin/ip' && existsSync('/bin/ip'))).map((n) => n.pkg);
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`npm test needs these Debian packages: ${missing.join(' ')} (as root: apt-get install ${missing.join(' ')})`);
  }
  process.stdout.write(`npm test: installing ${missing.join(' ')} (apt-get)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}
