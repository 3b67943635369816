/**
 * Writes docs/cli.md from the commander definitions themselves, so the reference cannot drift
 * from the parser: every registered command (and subcommand), its arguments and options, the
 * global options, the environment variables and the exit codes.
 *
 *   npx node scripts/gen-cli-docs.ts           write docs/cli.md
 *   npx node scripts/gen-cli-docs.ts --check   exit 1 if docs/cli.md is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Help, type Command, type Option } from 'commander';
import { DEFAULT_INDEX_URL, DEFAULT_MARKETPLACE_URL, ENV } from '../src/core/config.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_TTL_MS } from '../src/core/marketplace/client.ts';
import { DEFAULT_HTTP_OPTIONS } from '../src/core/marketplace/http.ts';
import type { CliIo } from '../src/cli/context.ts';
import { EXIT, type ExitCode } from '../src/cli/errors.ts';
import { buildProgram } from '../src/cli/program.ts';
import { loadCommands } from '../src/cli/commands/index.ts';

/** Every command, as `--help` lists them (the run path loads only the one it needs). */
const ALL_COMMANDS = await loadCommands();

export const DOCS_FILE = fileURLToPath(new URL('../docs/cli.md', import.meta.url));

const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'success',
  problems: 'the command ran and found problems (for example outdated, incompatible or yanked plugins, or a failed validation)',
  error:
    'usage error (unknown command or option, bad option value) or runtime error (marketplace unreachable with ' +
    'nothing cached, offline cache miss, invalid response); printed as one line on stderr (and as `{"error": ' +
    '{"code", "message"}}` on stdout under `--json`), with a stack trace only under `--debug`',
};

/** Environment variables the CLI reads besides those bound to options. */
const OTHER_ENV: Array<[string, string]> = [
  [
    'NO_COLOR',
    'when set to a non-empty value, output has no colour (an empty `NO_COLOR=` does not count, as no-color.org ' +
      'says); colour is otherwise used only when stdout is a terminal',
  ],
  [
    'COLUMNS',
    'table width on a terminal (default: the width the terminal reports, else 100); in a narrow one columns are ' +
      'left out or moved under their row, by priority; output to a pipe or a file is never cut short',
  ],
  [
    'INIT_CWD',
    'set by npm: under `npm run cli -- ...` in a checkout, paths are relative to the directory npm was called from, not the package root',
  ],
  [
    'NODE_COMPILE_CACHE',
    "the CLI turns on Node's compile cache (V8's compiled code, and the type-stripped text of a checkout's " +
      '`.ts` sources, keyed by file content) so that later runs start faster; it lives in `node-compile-cache` ' +
      'under the OS temp directory unless this names another directory, and `NODE_DISABLE_COMPILE_CACHE=1` ' +
      'turns it off',
  ],
  [
    'XDG_CACHE_HOME',
    `base of the default cache directory on Linux (\`$XDG_CACHE_HOME/fapilog-plugins\`, else ` +
      `\`~/.cache/fapilog-plugins\`); macOS uses \`~/Library/Caches/fapilog-plugins\`, Windows ` +
      `\`%LOCALAPPDATA%\\fapilog-plugins\\cache\``,
  ],
];

const ENV_DEFAULTS: Record<string, string> = {
  [ENV.url]:
    `none: reading commands then ask the package index (\`${ENV.index}\`, default PyPI); \`publish\` ` +
    `goes to \`${DEFAULT_MARKETPLACE_URL}\``,
  [ENV.index]:
    `\`${DEFAULT_INDEX_URL}\` when neither this nor \`${ENV.url}\` is set (flags beat variables; at ` +
    `the same level the index URL wins)`,
  [ENV.token]: 'none (anonymous reads; publishing, yanking and rating need a token)',
  [ENV.cache]: 'the user cache directory (see `XDG_CACHE_HOME`)',
};

/** What every command shares: how a project is named, and what scripts can rely on. */
const COMMON_NOTES = [
  '- **Projects.** Every command that works on a project (`outdated`, `update`, `install`, `publish`, ' +
    '`version`) takes it as a positional `[path]`, relative to the current directory (default: the current ' +
    'directory); `--path <path>` is an alias. `update [path] [names...]` takes the first word as the path when ' +
    'it is `.` or `..`, contains a `/`, or names an existing directory; with `--path`, every word is a plugin ' +
    'name.',
  "- **Lists.** `--ignore` takes comma-separated names (`--ignore loki,otel`), like the Action's `ignore` " +
    'input, and may be repeated; it never takes the path after it.',
  '- **`--json`.** stdout holds one JSON document. An error is one too: `{"error": {"code": "...", "message": ' +
    '"..."}}` on stdout, as well as the `error: ...` line on stderr. `code` is stable: `usage` for a bad ' +
    "command line, the marketplace's or the core's error code otherwise (`install-refused`, " +
    '`invalid-fapilog-version`, `project-not-found`, `not-found` for an unknown plugin or release, the ' +
    "server's `not_found`...), else `error`.",
  '- **Hints.** Fix commands the CLI and the Action print are `npx fapilog-plugins@<version> ...`: they work ' +
    'without a checkout or an install, and run the release that gave the advice.',
];

/** How every command reaches the marketplace; the numbers come from the client's own defaults. */
const MARKETPLACE_NOTES = [
  `- **Cache.** Every marketplace answer (except download links) is kept in the cache directory, keyed by URL ` +
    `and token, with its ETag and fetch time: answers fetched with different tokens (a private marketplace may ` +
    `show each its own plugins), or with none, are kept apart, under a one-way fingerprint of the token. By ` +
    `default each lookup is revalidated (\`If-None-Match\`; an unchanged answer costs a body-less 304). ` +
    `\`--prefer-offline\` uses entries younger than ${DEFAULT_TTL_MS / 60_000} minutes without any request; ` +
    `\`--offline\` uses the cache only and a missing entry is an error (exit 2). The cache never holds the ` +
    `token, and several processes may share it.`,
  '- **Failures.** When the marketplace cannot be reached or keeps failing (network error, timeout, 5xx, rate ' +
    'limit) and a cached copy exists, that copy is used and a `warning: ... (stale)` line goes to stderr; with ' +
    '`--json` stdout still holds only the JSON.',
  '- **Sources.** `outdated`, `update`, `install`, `info`, `search` and `list` read one source: a marketplace ' +
    '(`--marketplace-url`) or a Python package index (`--index-url`: PyPI, devpi, Artifactory, a static ' +
    "directory, a marketplace's `/simple/`), PyPI's simple index when neither is set. On an index, each " +
    "release's fapilog compatibility comes from its `Requires-Dist: fapilog` line, read from the core metadata " +
    'file (PEP 658/714) or else from the wheel (a download of at most 32 MiB), once: releases never change, so ' +
    "that answer is cached for good. `search` and `list` filter the index's project list for `fapilog-*` names; " +
    'on PyPI that list names every project (tens of megabytes, once; then revalidated with its ETag, and only ' +
    'the plugin names are kept in the cache); ratings, downloads, types and `--type`/`--min-rating`/`--sort` ' +
    'are marketplace-only. Every report names its source.',
  `- **Retries.** Reads are retried \`--retries\` times (default ${DEFAULT_HTTP_OPTIONS.retries}) on network ` +
    `errors (except a name that does not resolve and a refused connection, which fail at once with one line ` +
    `naming the source and how to choose another), timeouts and HTTP 500/502/503/504, with exponential backoff ` +
    `and jitter; writes (publish, yank, rating) are not, except after a 429, which the server refused before ` +
    `doing anything. \`Retry-After\` (seconds or an HTTP date) on 429 and 503 is honoured, and once ` +
    `\`X-RateLimit-Remaining\` reaches 0 the next request waits for \`X-RateLimit-Reset\`. One request waits at ` +
    `most ${DEFAULT_HTTP_OPTIONS.maxWaitMs / 1000} s in total; beyond that it fails with a message saying why.`,
  `- **Requests.** Independent lookups run in parallel (at most ${DEFAULT_CONCURRENCY} at a time) and one URL ` +
    `is fetched at most once per command. Requests carry \`User-Agent: fapilog-plugins/<version>\` and, when a ` +
    `token is configured, \`Authorization: Bearer <token>\`; the token never appears in output, errors or ` +
    `\`--debug\` lines.`,
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
}

function code(text: string): string {
  return `\`${text}\``;
}

function optionRow(opt: Option): string {
  const notes: string[] = [];
  if (opt.argChoices) notes.push(`one of ${opt.argChoices.map(code).join(', ')}`);
  if (opt.defaultValue !== undefined && opt.defaultValue !== false) {
    notes.push(`default ${opt.defaultValueDescription ?? code(JSON.stringify(opt.defaultValue).replace(/^"|"$/g, ''))}`);
  }
  if (opt.envVar) notes.push(`env ${code(opt.envVar)}`);
  if (opt.mandatory) notes.push('required');
  const description = cell(opt.description) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return `| ${code(opt.flags)} | ${description} |`;
}

function optionsTable(options: readonly Option[]): string[] {
  const shown = options.filter((o) => !o.hidden && o.long !== '--help');
  if (shown.length === 0) return [];
  return ['| Option | Description |', '| --- | --- |', ...shown.map(optionRow), ''];
}

function commandPath(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names;
}

function commandSection(cmd: Command, helper: Help, depth: number): string[] {
  const fullName = commandPath(cmd).join(' ');
  const args = cmd.registeredArguments.map((a) =>
    a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`,
  );
  const subcommands = helper.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  const out: string[] = [`${'#'.repeat(Math.min(6, depth))} \`${[fullName, ...args].join(' ')}\``, ''];
  if (cmd.description()) out.push(cmd.description().replace(/^./, (c) => c.toUpperCase()) + '.', '');
  const options = cmd.options.some((o) => !o.hidden && o.long !== '--help') ? ' [options]' : '';
  const operands = args.length > 0 ? ` ${args.join(' ')}` : '';
  const usage = `fapilog-plugins ${fullName}${subcommands.length > 0 ? ' <command>' : ''}${options}${operands}`;
  out.push('```', usage, '```', '');
  const described = cmd.registeredArguments.filter((a) => a.description);
  if (described.length > 0) {
    out.push('| Argument | Description |', '| --- | --- |');
    for (const a of described) {
      const notes = [
        a.argChoices ? `one of ${a.argChoices.map(code).join(', ')}` : '',
        a.defaultValue !== undefined ? `default ${code(String(a.defaultValue))}` : '',
      ].filter(Boolean);
      out.push(`| ${code(a.name())} | ${cell(a.description)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} |`);
    }
    out.push('');
  }
  out.push(...optionsTable(cmd.options));
  for (const sub of subcommands) out.push(...commandSection(sub, helper, depth + 1));
  return out;
}

export function renderCliDocs(): string {
  const io: CliIo = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 100 };
  const program = buildProgram(io, { code: EXIT.ok }, ALL_COMMANDS);
  const helper = new Help();
  const commands = helper.visibleCommands(program).filter((c) => c.name() !== 'help');

  const out: string[] = [
    '# fapilog-plugins command-line reference',
    '',
    '<!-- Generated by scripts/gen-cli-docs.ts from the commander definitions. Do not edit by hand:',
    '     run `npx node scripts/gen-cli-docs.ts` (a test fails when this file is out of date). -->',
    '',
    program.description() + '.',
    '',
    '```',
    'fapilog-plugins [global options] <command> [options] [arguments]',
    'fapilog-plugins <command> --help',
    '```',
    '',
    'Global options may be given before or after the command name. Every command accepts `-h, --help`.',
    '',
    '## Commands',
    '',
    '| Command | Description |',
    '| --- | --- |',
    ...commands.map((c) => `| [\`${c.name()}\`](#${anchor(c, helper)}) | ${cell(c.description())} |`),
    '',
    '## Global options',
    '',
    ...optionsTable(program.options),
    '## Environment variables',
    '',
    'Flags override environment variables, which override defaults.',
    '',
    '| Variable | Meaning | Default |',
    '| --- | --- | --- |',
    ...program.options
      .filter((o) => o.envVar)
      .map(
        (o) => `| ${code(o.envVar!)} | ${cell(o.description)} (same as ${code(o.long ?? o.flags)}) | ${ENV_DEFAULTS[o.envVar!] ?? ''} |`,
      ),
    ...OTHER_ENV.map(([name, meaning]) => `| ${code(name)} | ${cell(meaning)} | |`),
    '',
    '## Exit codes',
    '',
    'Every command uses the same exit codes.',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    ...(Object.entries(EXIT) as Array<[keyof typeof EXIT, ExitCode]>).map(([key, value]) => `| ${value} | ${cell(EXIT_MEANINGS[key])} |`),
    '',
    '## Projects, lists, JSON and hints',
    '',
    ...COMMON_NOTES,
    '',
    '## Talking to the marketplace',
    '',
    ...MARKETPLACE_NOTES,
    '',
    '## Command reference',
    '',
  ];
  for (const cmd of commands) out.push(...commandSection(cmd, helper, 3));
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** GitHub's heading anchor for a command's section heading (`search <query>` -> `search-query`). */
function anchor(cmd: Command, helper: Help): string {
  void helper;
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  return `${cmd.name()} ${args}`
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const docs = renderCliDocs();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(DOCS_FILE, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== docs) {
      process.stderr.write('docs/cli.md is out of date: run `npx node scripts/gen-cli-docs.ts`\n');
      process.exitCode = 1;
    } else process.stdout.write('docs/cli.md is up to date\n');
  } else {
    writeFileSync(DOCS_FILE, docs);
    process.stdout.write(`wrote ${DOCS_FILE}\n`);
  }
}
