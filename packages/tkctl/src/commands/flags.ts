import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseGoBool } from '@tinykube/api';
import type { Ctx } from '../cli.js';

// What every verb group shares: the action wrapper and kubectl's flag value parsers.

export type OpenCtx = (cmd: Command) => { ctx: Ctx; close(): Promise<void> | undefined };
export type Action = (ctx: Ctx, args: string[], opts: Record<string, unknown>, cmd: Command) => Promise<void>;
export type Act = (fn: Action) => (...params: unknown[]) => Promise<void>;
/** A verb group: adds its commands to the program. */
export type Register = (program: Command, act: Act) => void;

/** Every action gets (ctx, positional args flattened, its own options); the session is closed after. */
export function actions(open: OpenCtx): Act {
  return (fn) => async (...params) => {
    const cmd = params[params.length - 1] as Command;
    const args = (params.slice(0, -2) as (string | string[] | undefined)[]).flatMap((a) => (a === undefined ? [] : a));
    const { ctx, close } = open(cmd);
    try {
      await fn(ctx, args, cmd.opts(), cmd);
    } finally {
      await close();
    }
  };
}

export const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').filter(Boolean)];
export const many = (v: string, prev: string[] = []): string[] => [...prev, v];
export const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`invalid integer "${v}"`);
  return n;
};
/** kubectl's boolean flags that take a value (--wait=false), read as pflag does: Go's strconv.ParseBool. */
export const bool = (v: string): boolean => {
  try {
    return parseGoBool(v);
  } catch {
    throw new InvalidArgumentError(`invalid boolean "${v}"`);
  }
};

/** -f/--filename and -R/--recursive, for the verbs that read manifests. */
export const fileOpts = (c: Command): Command =>
  c.option('-f, --filename <path>', 'a file, folder or - (stdin); repeatable', many, []).option('-R, --recursive', 'recurse into folders given with -f');
