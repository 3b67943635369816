/**
 * Every command module, in the order `--help` lists them, loaded on demand: a run imports only
 * the module of the command it names (`outdated` never loads publish, tar or the server), and
 * everything when it names none (`--help`, `help`, an unknown word, which commander answers
 * with the full list or a suggestion). `yank` and `unyank` share a module, each registering its own.
 */
import type { RegisterCommand } from '../context.ts';

type Loader = () => Promise<{ register: RegisterCommand }>;

const LOADERS = {
  search: () => import('./search.ts'),
  list: () => import('./list.ts'),
  info: () => import('./info.ts'),
  install: () => import('./install.ts'),
  outdated: () => import('./outdated.ts'),
  update: () => import('./update.ts'),
  publish: () => import('./publish.ts'),
  yank: () => import('./yank.ts'),
  unyank: async () => ({ register: (await import('./yank.ts')).registerUnyank }),
  deprecate: () => import('./deprecate.ts'),
  version: () => import('./version.ts'),
  compat: () => import('./compat.ts'),
  serve: () => import('./serve.ts'),
  admin: () => import('./admin.ts'),
  bot: () => import('./bot.ts'),
  demo: () => import('./demo.ts'),
} satisfies Record<string, Loader>;

export type CommandName = keyof typeof LOADERS;

/** The top-level command names, in `--help` order (each module registers the command of its name). */
export const COMMAND_NAMES = Object.keys(LOADERS) as CommandName[];

/** The register functions of the given commands (default: all), in `--help` order. */
export async function loadCommands(names: readonly CommandName[] = COMMAND_NAMES): Promise<RegisterCommand[]> {
  const wanted = COMMAND_NAMES.filter((n) => names.includes(n));
  return Promise.all(wanted.map(async (n) => (await LOADERS[n]()).register));
}

/**
 * The commands a command line needs: the one it names (the first word that is neither an option
 * nor the value of a global option in `valueOptions`, such as `--token t`), or all of them when it
 * names none of ours.
 */
export function commandsFor(argv: readonly string[], valueOptions: ReadonlySet<string>): CommandName[] {
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
