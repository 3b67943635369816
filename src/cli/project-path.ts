/**
 * How every command that works on a project takes it: a positional `[path]` (relative to the
 * directory the CLI was called from), with `--path` as an alias for scripts written before.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT } from './errors.ts';

export const PATH_HELP = 'project directory (default: the current directory)';

/** `--path <path>`: the alias of the positional. */
export function addPathOption(command: Command): Command {
  return command.option('--path <path>', 'same as the `[path]` argument');
}

/** The one project path of a command line: the positional or --path (not two different ones). */
export function chosenPath(positional: string | undefined, flag: string | undefined): string | undefined {
  if (positional !== undefined && flag !== undefined && path.resolve(positional) !== path.resolve(flag)) {
    throw new CliError(`two project paths given: ${positional} and --path ${flag}; give one`, EXIT.error, 'usage');
  }
  return positional ?? flag;
}

/** A project path relative to the caller's directory; it must exist. */
export function resolveProject(cwd: string, given: string | undefined): string {
  const root = path.resolve(cwd, given ?? '.');
  if (!fs.existsSync(root)) throw new CliError(`${given ?? root}: no such file or directory`, EXIT.error, 'project-not-found');
  return root;
}

/**
 * `update [path] [names...]`: the first word is the project when it reads as a path (`.`, `..`,
 * has a slash, or names an existing directory): plugin names never contain a slash, and a plugin
 * name that is also a directory here is rare enough that `--path` settles it.
 */
export function splitPathAndNames(
  cwd: string,
  words: readonly string[],
  flag: string | undefined,
): { path: string | undefined; names: string[] } {
  const [first, ...rest] = words;
  if (first === undefined) return { path: flag, names: [] };
  // A slash never makes a plugin name: with --path too, it is a second project path.
  if (flag !== undefined) return /[\\/]/.test(first) ? { path: chosenPath(first, flag), names: rest } : { path: flag, names: [...words] };
  const pathLike = first === '.' || first === '..' || /[\\/]/.test(first) || isDirectory(path.resolve(cwd, first));
  return pathLike ? { path: first, names: rest } : { path: undefined, names: [...words] };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
