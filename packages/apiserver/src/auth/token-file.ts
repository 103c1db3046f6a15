/**
 * Static bearer tokens (`--token-auth-file`), kube's CSV format: `token,user,uid,"group1,group2"` (groups optional).
 * The file is read once at start, as kube-apiserver does.
 */
import { readFileSync } from 'node:fs';
import type { Authenticator, AuthnRequest, AuthnResult, UserInfo } from './types.js';
import { bearerToken } from './bearer.js';

/** One CSV record, with "quoted, fields" and doubled quotes. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

export function parseTokenFile(text: string, file = '<token file>'): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = parseCsvLine(line);
    if (f.length < 3 || !f[0] || !f[1]) throw new Error(`${file}:${i + 1}: a line is token,user,uid[,"group1,group2"]`);
    if (tokens.has(f[0])) throw new Error(`${file}:${i + 1}: duplicate token`);
    const groups = f[3] ? f[3].split(',').map((g) => g.trim()).filter(Boolean) : [];
    tokens.set(f[0], { username: f[1], uid: f[2] || undefined, groups });
  });
  return tokens;
}

export class TokenFileAuthenticator implements Authenticator {
  readonly name = 'token-file';
  constructor(private readonly tokens: Map<string, UserInfo>) {}

  static fromFile(file: string): TokenFileAuthenticator {
    return new TokenFileAuthenticator(parseTokenFile(readFileSync(file, 'utf8'), file));
  }

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    const u = this.tokens.get(token);
    // Another authenticator (service-account JWTs, bootstrap tokens) may know it: no opinion, not an error.
    if (!u) return undefined;
    return { user: { ...u, groups: [...u.groups, 'system:authenticated'] } };
  }
}
