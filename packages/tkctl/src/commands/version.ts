import { z } from 'zod';
import { toJson, toYaml } from '../printers/structured.js';
import { CLIENT_VERSION, type Session } from '../session.js';
import type { Io } from '../io.js';
import { usageError } from '../errors.js';

const ServerVersionSchema = z.looseObject({ major: z.string().optional(), minor: z.string().optional(), gitVersion: z.string() });

export interface VersionOptions {
  client?: boolean;
  output?: string;
}

/** `tkctl version`: this client's version and the server's GET /version. */
export async function versionCommand(io: Io, session: () => Session, o: VersionOptions): Promise<void> {
  if (o.output && o.output !== 'yaml' && o.output !== 'json') throw usageError(`--output must be 'yaml' or 'json'`);
  const clientVersion = { gitVersion: CLIENT_VERSION, major: '0', minor: '1', platform: `${process.platform}/${process.arch}` };
  let server: z.infer<typeof ServerVersionSchema> | undefined;
  if (!o.client) server = ServerVersionSchema.parse(await session().client.request('GET', '/version'));
  if (o.output) {
    const doc: Record<string, unknown> = { clientVersion };
    if (server) doc.serverVersion = server;
    io.stdout.write(o.output === 'json' ? toJson(doc) : toYaml(doc));
    return;
  }
  io.stdout.write(`Client Version: ${CLIENT_VERSION}\n`);
  if (server) io.stdout.write(`Server Version: ${server.gitVersion}\n`);
}
