import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { Ctx } from '../cli.js';
import { apiResourcesCommand } from './api-resources.js';
import { applyCommand } from './apply.js';
import { clusterInfoCommand } from './cluster-info.js';
import { cordonCommand } from './cordon.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { getCommand } from './get.js';
import { labelCommand } from './label.js';
import { scaleCommand } from './scale.js';
import { taintCommand } from './taint.js';
import { versionCommand } from './version.js';
import { registerMoreCommands } from './index-more.js';

// Commander wiring of the basic verbs (flags and arguments only; the work is in commands/<verb>.ts).
// index-more.ts wires rollout, drain, logs, exec, port-forward and completion.

export type OpenCtx = (cmd: Command) => { ctx: Ctx; close(): Promise<void> | undefined };
export type Action = (ctx: Ctx, args: string[], opts: Record<string, unknown>, cmd: Command) => Promise<void>;
export type Act = (fn: Action) => (...params: unknown[]) => Promise<void>;

export const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').filter(Boolean)];
export const many = (v: string, prev: string[] = []): string[] => [...prev, v];
export const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`invalid integer "${v}"`);
  return n;
};
/** kubectl's boolean flags that take a value: --wait=false. */
export const bool = (v: string): boolean => {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidArgumentError(`invalid boolean "${v}"`);
};

const fileOpts = (c: Command) =>
  c.option('-f, --filename <path>', 'a file, folder or - (stdin); repeatable', many, []).option('-R, --recursive', 'recurse into folders given with -f');

export function registerCommands(program: Command, open: OpenCtx): void {
  // Every action gets (ctx, positional args flattened, its own options); the session is closed after.
  const act: Act = (fn) => async (...params) => {
    const cmd = params[params.length - 1] as Command;
    const args = (params.slice(0, -2) as (string | string[] | undefined)[]).flatMap((a) => (a === undefined ? [] : a));
    const { ctx, close } = open(cmd);
    try {
      await fn(ctx, args, cmd.opts(), cmd);
    } finally {
      await close();
    }
  };

  program
    .command('get')
    .description('Display one or many resources')
    .argument('[args...]', 'TYPE[,TYPE...] [NAME...] | TYPE/NAME...')
    .option('-o, --output <format>', 'json|yaml|name|wide|jsonpath=TEMPLATE')
    .option('-l, --selector <selector>', 'label selector (e.g. app=web,tier!=db)')
    .option('--field-selector <selector>', 'field selector (e.g. status.phase=Running)')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--show-labels', 'show all labels as the last column')
    .option('-L, --label-columns <keys>', 'a column per label key', list)
    .option('--no-headers', "don't print headers")
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--output-watch-events', 'add an EVENT column when watching')
    .option('--ignore-not-found', 'treat "not found" as a successful retrieval')
    .action(act((ctx, args, o) => getCommand(ctx.session(), args, { ...o, noHeaders: o.headers === false })));

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
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[args...]', 'TYPE [NAME_PREFIX...] | TYPE/NAME')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--show-events [bool]', 'show the events (default true)', bool, true)
    .action(act((ctx, args, o) => describeCommand(ctx.session(), args, o as never)));

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
    .command('version')
    .description('Print the client and server version')
    .option('--client', 'client version only')
    .option('-o, --output <format>', 'yaml|json')
    .action(act((ctx, _args, o) => versionCommand(ctx.io, ctx.session, o)));

  program
    .command('cluster-info')
    .description('Display addresses of the control plane and cluster services')
    .action(act((ctx) => clusterInfoCommand(ctx.session())));

  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('-o, --output <format>', 'wide|name')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources')
    .option('--api-group <group>', 'only this API group ("" for core)')
    .option('--no-headers', "don't print headers")
    .action(act((ctx, _args, o) => apiResourcesCommand(ctx.session(), { ...o, noHeaders: o.headers === false })));

  registerMoreCommands(program, act);
}
