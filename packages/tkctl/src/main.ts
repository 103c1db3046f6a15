#!/usr/bin/env node
// tkctl: process glue only. The commander wiring is cli.ts + commands/index.ts.
import { runCli } from './cli.js';
import { processIo } from './process-io.js';

const { io, dispose } = processIo();
const code = await runCli(process.argv.slice(2), io);
dispose();
process.exitCode = code;
