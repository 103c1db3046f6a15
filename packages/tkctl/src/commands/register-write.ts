import { Option, type Command } from 'commander';
import { bool, fileOpts, int, type Act } from './flags.js';
import { applyCommand } from './apply.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { labelCommand } from './label.js';
import { scaleCommand } from './scale.js';

// Changing objects: apply, create, delete, scale, label, annotate.

export function registerWriteCommands(program: Command, act: Act): void {
  fileOpts(program.command('apply').description('Apply a configuration to resources by file name or stdin'))
    .addOption(new Option('--dry-run [mode]', 'none|client|server').preset('client'))
    .action(act((ctx, _args, o) => applyCommand(ctx.session(), o as never)));

  fileOpts(program.command('create').description('Create resources from a file or stdin'))
    .option('--save-config', 'record the configuration in the last-applied annotation')
    .addOption(new Option('--dry-run [mode]', 'none|client|server').preset('client'))
    .action(act((ctx, _args, o) => createCommand(ctx.session(), o as never)));

  fileOpts(program.command('delete').description('Delete resources by file names, stdin, resources and names, or by resources and label selector'))
    .argument('[args...]', 'TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'delete every object of the type in the namespace')
    .option('-A, --all-namespaces', 'with -l/--all: across all namespaces')
    .option('--ignore-not-found', 'treat "not found" as success')
    .option('--wait [bool]', 'wait until the objects are gone (default true)', bool, true)
    .option('--timeout <duration>', 'give up waiting after this long (0 = never)')
    .option('--grace-period <seconds>', 'seconds given to the object to terminate', int)
    .option('--now', 'grace period of 1 second')
    .option('--force', 'immediate deletion (grace period 0)')
    .option('--cascade <mode>', 'background|foreground|orphan', 'background')
    .action(act((ctx, args, o) => deleteCommand(ctx.session(), args, o as never)));

  program
    .command('scale')
    .description('Set a new size for a deployment or replica set')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--replicas <n>', 'the new desired number of replicas', int)
    .option('--current-replicas <n>', 'precondition: the current size must be this', int)
    .action(act((ctx, args, o) => scaleCommand(ctx.session(), args, o as never)));

  for (const [verb, which, what] of [['label', 'labels', 'labels'], ['annotate', 'annotations', 'annotations']] as const) {
    program
      .command(verb)
      .description(`Update the ${what} on a resource`)
      .argument('[args...]', 'TYPE NAME KEY=VAL... KEY-...')
      .option('--overwrite', 'allow changing existing values')
      .option('-l, --selector <selector>', 'label selector')
      .option('--all', 'every object of the type in the namespace')
      .option('--list', `list the current ${what}`)
      .action(act((ctx, args, o) => labelCommand(ctx.session(), which, args, o)));
  }
}
