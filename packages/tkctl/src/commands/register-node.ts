import type { Command } from 'commander';
import { int, type Act } from './flags.js';
import { cordonCommand } from './cordon.js';
import { drainCommand } from './drain.js';
import { taintCommand } from './taint.js';

// Nodes: cordon, uncordon, taint, drain.

export function registerNodeCommands(program: Command, act: Act): void {
  for (const [verb, cordon] of [['cordon', true], ['uncordon', false]] as const) {
    program
      .command(verb)
      .description(`Mark node as ${cordon ? 'unschedulable' : 'schedulable'}`)
      .argument('[nodes...]')
      .option('-l, --selector <selector>', 'label selector')
      .action(act((ctx, args, o) => cordonCommand(ctx.session(), args, cordon, o)));
  }

  program
    .command('taint')
    .description('Update the taints on one or more nodes')
    .argument('[args...]', 'nodes NODE KEY[=VAL]:EFFECT... | KEY[:EFFECT]-')
    .option('--overwrite', 'replace a taint with the same key and effect')
    .option('-l, --selector <selector>', 'label selector')
    .action(act((ctx, args, o) => taintCommand(ctx.session(), args, o)));

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
}
