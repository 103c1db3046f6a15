import type { Command } from 'commander';
import { int, many, type Act } from './flags.js';
import { execCommand } from './exec.js';
import { logsCommand } from './logs.js';
import { portForwardCommand } from './port-forward.js';

// Talking to a pod's containers: logs, exec, port-forward.

export function registerPodCommands(program: Command, act: Act): void {
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
}
