import { Command } from 'commander';
import { int, many, bool, type Act } from './index.js';
import { completionCommand } from './completion.js';
import { drainCommand } from './drain.js';
import { execCommand } from './exec.js';
import { logsCommand } from './logs.js';
import { portForwardCommand } from './port-forward.js';
import { rolloutHistoryCommand, rolloutUndoCommand } from './rollout-history.js';
import { rolloutRestartCommand } from './rollout-restart.js';
import { rolloutStatusCommand } from './rollout-status.js';

// Commander wiring of rollout, drain, logs, exec, port-forward and completion.

export function registerMoreCommands(program: Command, act: Act): void {
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

  program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .argument('[nodes...]')
    .option('--ignore-daemonsets', 'skip DaemonSet-managed pods')
    .option('--force', 'also delete pods not managed by a controller')
    .option('--delete-emptydir-data', 'also delete pods using emptyDir (their data is lost)')
    .option('--grace-period <seconds>', 'grace period given to each pod', int)
    .option('--timeout <duration>', 'give up after this long (0 = never)')
    .option('--disable-eviction', 'delete pods instead of evicting them')
    .option('--pod-selector <selector>', 'only pods matching this label selector')
    .option('-l, --selector <selector>', 'nodes matching this label selector')
    .action(act((ctx, args, o) => drainCommand(ctx.session(), args, o)));

  program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .argument('[args...]', 'POD [CONTAINER] | TYPE/NAME')
    .option('-f, --follow', 'stream the logs')
    .option('--tail <lines>', 'lines of recent log to show (-1 = all)', int)
    .option('-c, --container <name>', 'the container')
    .option('-p, --previous', "the previous instance's logs")
    .option('--timestamps', 'prefix each line with its timestamp')
    .option('--since-seconds <s>', 'only logs newer than this', int)
    .action(act((ctx, args, o) => logsCommand(ctx.session(), args, o)));

  program
    .command('exec')
    .description('Execute a command in a container')
    .argument('[args...]', 'POD|TYPE/NAME -- COMMAND [ARGS...]')
    .option('-c, --container <name>', 'the container')
    .option('-i, --stdin', 'pass stdin to the container')
    .option('-t, --tty', 'stdin is a TTY')
    .action(act((ctx, args, o) => execCommand(ctx.session(), args, o)));

  program
    .command('port-forward')
    .description('Forward one or more local ports to a pod')
    .argument('[args...]', 'POD|TYPE/NAME [LOCAL:]REMOTE...')
    .option('--address <ip>', 'local address to listen on (repeatable)', many)
    .action(act((ctx, args, o) => portForwardCommand(ctx.session(), args, o)));

  program
    .command('completion')
    .description('Output shell completion code for bash or zsh')
    .argument('[shell]', 'bash|zsh')
    .action(act(async (ctx, args) => completionCommand(ctx.io, args[0])));
}
