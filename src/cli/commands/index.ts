/**
 * Every command module, in the order `--help` lists them, loaded on demand: a run imports only
 * the module of the command it names (`outdated` never loads publish, tar or the server), and
 * everything when it names none (`--help`, `help`, an unknown word, which commander answers
 * with the full list or a suggestion). `yank` and `unyank` share a module, each registering its own.
 */
import type { RegisterCommand } from '../context.ts';

/** The top-level command names, in `--help` order; each names its module (`./<name>.ts`), which registers it. */
export const COMMAND_NAMES = [
  'search',
  'list',
  'info',
  'install',
  'outdated',
  'update',
  'publish',
  'yank',
  'unyank',
  'deprecate',
  'advisory',
  'version',
  'compat',
  'serve',
  'admin',
  'bot',
  'demo',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** `unyank` lives beside `yank`; every other command is the `register` of the module of its name. */
async function load(name: CommandName): Promise<RegisterCommand> {
  if (name === 'unyank') return (await import('./yank.ts')).registerUnyank;
  // A template import, which the CLI bundle (esbuild) turns into one lazily loaded chunk per module of this folder.
  const module = (await import(`./${name}.ts`)) as { register: RegisterCommand };
  return module.register;
}

/** The register functions of the given commands (default: all), in `--help` order. */
export async function loadCommands(names: readonly CommandName[] = COMMAND_NAMES): Promise<RegisterCommand[]> {
  return Promise.all(COMMAND_NAMES.filter((n) => names.includes(n)).map(load));
}

/**
 * The commands a command line needs: the one it names (the first word that is neither an option
 * nor the value of a global option in `valueOptions`, such as `--token t`), or all of them when it
 * names none of ours.
 */
export function commandsFor(argv: readonly string[], valueOptions: ReadonlySet<string>): readonly CommandName[] {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (valueOptions.has(arg)) i += 1;
      continue;
    }
    return (COMMAND_NAMES as readonly string[]).includes(arg) ? [arg as CommandName] : COMMAND_NAMES;
  }
  return COMMAND_NAMES;
}
