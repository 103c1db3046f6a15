// @tinykube/tkctl: the CLI's only public door (for tests and embedding; the binary is main.ts).
export { runCli, buildProgram, type Ctx } from './cli.js';
export { bufferIo, type Io, type OutStream } from './io.js';
export { formatError, exitCodeOf, CliError, type CliErrorCode } from './errors.js';
export { resolveConfig, openSession, CLIENT_VERSION, type GlobalFlags, type Session } from './session.js';
export { threeWayMergePatch } from './apply/three-way.js';
export { jsonPath } from './printers/jsonpath.js';
