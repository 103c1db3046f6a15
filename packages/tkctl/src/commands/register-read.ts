import type { Command } from 'commander';
import { bool, list, type Act } from './flags.js';
import { apiResourcesCommand } from './api-resources.js';
import { clusterInfoCommand } from './cluster-info.js';
import { completionCommand } from './completion.js';
import { describeCommand } from './describe.js';
import { getCommand } from './get.js';
import { versionCommand } from './version.js';

// Reading the cluster: get, describe, api-resources, version, cluster-info, completion.

export function registerReadCommands(program: Command, act: Act): void {
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
    .option('--show-managed-fields', 'keep metadata.managedFields in JSON and YAML output')
    .action(act((ctx, args, o) => getCommand(ctx.session(), args, { ...o, noHeaders: o.headers === false })));

  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[args...]', 'TYPE [NAME_PREFIX...] | TYPE/NAME')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--show-events [bool]', 'show the events (default true)', bool, true)
    .action(act((ctx, args, o) => describeCommand(ctx.session(), args, o as never)));

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

  program
    .command('completion')
    .description('Output shell completion code for bash or zsh')
    .argument('[shell]', 'bash|zsh')
    .action(act(async (ctx, args) => completionCommand(ctx.io, args[0])));
}
