import type { Command } from 'commander';
import { bool, int, type Act } from './flags.js';
import { rolloutHistoryCommand, rolloutUndoCommand } from './rollout-history.js';
import { rolloutRestartCommand } from './rollout-restart.js';
import { rolloutStatusCommand } from './rollout-status.js';

// rollout status, history, undo and restart.

export function registerRolloutCommands(program: Command, act: Act): void {
  const rollout = program.command('rollout').description('Manage the rollout of a resource');
  rollout
    .command('status')
    .description('Show the status of the rollout')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('-w, --watch [bool]', 'watch until the rollout finishes (default true)', bool, true)
    .option('--timeout <duration>', 'give up after this long (0 = never)')
    .action(act((ctx, args, o) => rolloutStatusCommand(ctx.session(), args, o)));
  rollout
    .command('history')
    .description('View rollout history')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--revision <n>', 'show the pod template of this revision', int)
    .action(act((ctx, args, o) => rolloutHistoryCommand(ctx.session(), args, o)));
  rollout
    .command('undo')
    .description('Undo a previous rollout')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--to-revision <n>', 'the revision to roll back to (default: the previous one)', int)
    .action(act((ctx, args, o) => rolloutUndoCommand(ctx.session(), args, o)));
  rollout
    .command('restart')
    .description('Restart a resource')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .action(act((ctx, args) => rolloutRestartCommand(ctx.session(), args)));
}
