import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestPki, TEST_PKI_ENV } from '@tinykube/testkit';
import { ensureSystemPackages } from './system-deps.js';

/**
 * End-to-end tests start the built components (dist/), as `npm start` does: bring the build up to date first.
 * `tsc -b` is incremental, so this costs about a second when nothing changed.
 * TK_SKIP_BUILD=1 skips it for a quick run of unit tests that start no built component.
 * Then one cluster PKI for the whole run (test processes inherit TK_TEST_PKI): every component serves TLS.
 */
export default async function setup(): Promise<() => void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  ensureSystemPackages();
  if (process.env.TK_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  const dir = await makeTestPki();
  process.env[TEST_PKI_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
