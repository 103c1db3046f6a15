import { Command, CommanderError, Option } from 'commander';
import { exitCodeOf, formatError } from './errors.js';
import type { Io } from './io.js';
import { openSession, type GlobalFlags, type Session } from './session.js';
import { registerCommands } from './commands/index.js';

// The commander program: global flags, one subcommand per verb (commands/index.ts), errors
// printed kubectl's way and turned into an exit code. Nothing here talks to a server.

/** What every verb's action receives: the io, and a session opened on first use. */
export interface Ctx {
  io: Io;
  session(): Session;
  flags: GlobalFlags;
  /** The server of the opened session (for "connection refused" messages). */
  server(): string | undefined;
}

export function buildProgram(io: Io, onCtx: (ctx: Ctx) => void = () => {}): Command {
  const program = new Command('tkctl')
    .description('tkctl controls a tinykube (or any Kubernetes) cluster, like kubectl.')
    .option('--kubeconfig <path>', 'path to the kubeconfig file to use')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--cluster <name>', 'the kubeconfig cluster to use')
    .option('--user <name>', 'the kubeconfig user to use')
    .option('-n, --namespace <namespace>', 'the namespace scope for this request')
    .option('-s, --server <url>', 'the address and port of the Kubernetes API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--insecure-skip-tls-verify', "don't check the server's certificate")
    .addOption(new Option('--request-timeout <duration>', 'how long to wait for a single request (0 = default)'))
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    });
  program.addHelpCommand(false);
  registerCommands(program, (cmd) => {
    let session: Session | undefined;
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    const ctx: Ctx = {
      io,
      flags,
      session: () => (session ??= openSession(flags, io)),
      server: () => session?.config.server ?? flags.server,
    };
    onCtx(ctx);
    return { ctx, close: () => session?.close() };
  });
  return program;
}

/** Runs tkctl with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let current: Ctx | undefined;
  const program = buildProgram(io, (ctx) => {
    current = ctx;
  });
  try {
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const msg = formatError(err, current?.server());
    if (msg) io.stderr.write(msg + '\n');
    return exitCodeOf(err);
  }
}
