import { ApiError, KubeconfigError, RequestTimeoutError, type Status } from '@tinykube/client';

// Errors as kubectl prints them (k8s.io/kubectl/pkg/cmd/util.CheckErr): a Status from the server
// becomes "Error from server (Reason): message", Invalid lists its causes, a refused connection
// names the server, anything else is "error: message". Every failure exits with code 1.

export type CliErrorCode = 'USAGE' | 'NOT_FOUND' | 'FAILED' | 'TIMEOUT' | 'INTERRUPTED' | 'EXIT';

/** A failure detected by tkctl itself; its message is printed after "error: ". */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(readonly code: CliErrorCode, message: string, readonly exitCode = 1) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError('USAGE', message);

/**
 * An ApiError whose message carries what tkctl was doing, like kubectl's
 * `error when creating "x.yaml": ...`. The reason and code are kept so callers can still branch on them.
 */
export function withContext(err: unknown, context: string): unknown {
  if (!(err instanceof ApiError)) return err;
  const status: Status = { ...err.status, code: err.code, reason: err.reason, message: `${context}: ${err.message}` };
  return new ApiError(status);
}

/** The lines kubectl would print for `err` (no trailing newline). */
export function formatError(err: unknown, server?: string): string {
  if (err instanceof ApiError) return formatApiError(err);
  if (err instanceof ReportedError) return '';
  // A remote command's exit code: kubectl prints the bare message and exits with that code.
  if (err instanceof CliError && err.code === 'EXIT') return err.message;
  if (err instanceof CliError) return prefixed(err.message);
  if (err instanceof KubeconfigError) return prefixed(err.message);
  if (err instanceof RequestTimeoutError) return `Unable to connect to the server: ${err.message}`;
  const code = errnoCode(err);
  if (code === 'ECONNREFUSED') {
    return `The connection to the server ${hostOf(server)} was refused - did you specify the right host or port?`;
  }
  if (code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
    return `Unable to connect to the server: ${(err as Error).message}`;
  }
  if (err instanceof Error) return prefixed(err.message);
  return prefixed(String(err));
}

/** Exit code for an error: 1 like kubectl, unless the error carries another (exec's remote exit code). */
export function exitCodeOf(err: unknown): number {
  return err instanceof CliError ? err.exitCode : 1;
}

function formatApiError(err: ApiError): string {
  if (err.reason === 'Invalid') return formatInvalid(err);
  if (err.reason === 'Unauthorized') return `error: You must be logged in to the server (${err.message})`;
  if (err.reason && err.reason !== 'Unknown') return `Error from server (${err.reason}): ${err.message}`;
  return `Error from server: ${err.message}`;
}

function formatInvalid(err: ApiError): string {
  const d = err.details;
  let prefix = 'The request is invalid';
  if (d?.kind || d?.name) prefix = `The ${d.kind ?? ''} ${JSON.stringify(d.name ?? '')} is invalid`;
  const causes = [...new Set((d?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
  if (causes.length === 0) return `${prefix}: ${err.message}`;
  if (causes.length === 1) return `${prefix}: ${causes[0]}`;
  return `${prefix}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

function prefixed(message: string): string {
  return message.startsWith('error: ') ? message : `error: ${message}`;
}

function errnoCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function hostOf(server: string | undefined): string {
  if (!server) return 'localhost:8080';
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/** Thrown after the command already printed its errors (kubectl's partial failures): exit 1, print nothing more. */
export class ReportedError extends CliError {
  constructor(exitCode = 1) {
    super('FAILED', '', exitCode);
  }
}
