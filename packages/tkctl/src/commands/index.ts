import type { Command } from 'commander';
import { actions, type OpenCtx, type Register } from './flags.js';
import { registerNodeCommands } from './register-node.js';
import { registerPodCommands } from './register-pod.js';
import { registerReadCommands } from './register-read.js';
import { registerRolloutCommands } from './register-rollout.js';
import { registerWriteCommands } from './register-write.js';

// The commander wiring, one file per verb group (flags and arguments only; the work is in commands/<verb>.ts).

export type { OpenCtx } from './flags.js';

const groups: Register[] = [registerReadCommands, registerWriteCommands, registerNodeCommands, registerRolloutCommands, registerPodCommands];

export function registerCommands(program: Command, open: OpenCtx): void {
  const act = actions(open);
  for (const register of groups) register(program, act);
}
