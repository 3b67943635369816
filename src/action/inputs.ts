/**
 * The Action's inputs and outputs: one table that action.yml, docs/action.md and the runner all
 * follow (test/action/metadata.test.ts keeps them equal). Inputs arrive as strings ('' when not
 * given); each is validated by zod and a bad one is reported by its kebab-case name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isValid as validPep440 } from '../core/pep440/index.ts';
import { z } from 'zod';
import { FAIL_ON } from '../core/analysis/policy.ts';
import { ENV } from '../core/config.ts';

export const COMMANDS = ['check', 'publish'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

/** `core.getBooleanInput` accepts exactly the YAML 1.2 core-schema booleans. */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s));

const boolean = (fallback: boolean) =>
  z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s === '' || TRUE.includes(s) || FALSE.includes(s), {
      message: 'expected true or false',
    })
    .transform((s) => (s === '' ? fallback : TRUE.includes(s)));

const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .transform((s) => s.trim())
    .transform((s) => (s === '' ? fallback : s))
    .pipe(z.enum(values, { error: (iss) => `expected one of ${values.join(', ')}, got "${String(iss.input)}"` }));

/** Plugin names separated by commas or newlines (a YAML block scalar reads naturally). */
const nameList = z
  .string()
  .transform((s) =>
    s
      .split(/[,\n]/)
      .map((n) => n.trim())
      .filter((n) => n.length > 0),
  )
  .pipe(
    z.array(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        error: (iss) => `"${String(iss.input)}" is not a plugin name`,
      }),
    ),
  );

const url = optionalString.pipe(
  z.url({ protocol: /^https?$/, error: (iss) => `expected an http(s) URL, got "${String(iss.input)}"` }).optional(),
);

const pep440Version = optionalString.pipe(
  z
    .string()
    .refine((v) => validPep440(v), { error: (iss) => `"${String(iss.input)}" is not a PEP 440 version` })
    .optional(),
);

interface InputDoc {
  description: string;
  /** The default as action.yml declares it ('' when the input has none). */
  default: string;
}

/** What action.yml and the docs say about each input. Order is the order of the docs table. */
export const INPUT_DOCS = {
  command: {
    description: 'What to run: `check` (report on the plugins a project pins) or `publish` (upload built plugin files).',
    default: 'check',
  },
  path: { description: 'Project directory, relative to the workspace; it must stay inside the workspace.', default: '.' },
  'marketplace-url': {
    description: `Marketplace API base URL. Falls back to \`${ENV.url}\`. \`publish\` goes to the public marketplace without one.`,
    default: '',
  },
  'index-url': {
    description:
      `\`check\`: a Python package index (simple API, e.g. \`https://pypi.org/simple/\`, devpi, ` +
      `Artifactory, a marketplace's \`/simple/\`) to read plugins from instead of a marketplace. Falls back to ` +
      `\`${ENV.index}\`; with neither this nor a marketplace URL, \`check\` reads PyPI's simple index.`,
    default: '',
  },
  token: {
    description:
      `Marketplace Bearer token (masked in logs). Falls back to \`${ENV.token}\`. Needed for private ` +
      `marketplaces, and for \`publish\` unless the job uses trusted publishing (\`id-token: write\`).`,
    default: '',
  },
  'fapilog-version': {
    description: 'The fapilog version to check against. Default: read from the lockfile or pins of the project.',
    default: '',
  },
  'fail-on': {
    description:
      'When the step fails: every level but `never` fails on a vulnerable plugin (an advisory affects its release); ' +
      '`incompatible` (also incompatible or yanked plugins), `publisher-changed` (also a newer release from ' +
      'another publisher than the current one), `outdated` (also outdated), `held-back` (also held back by ' +
      'fapilog), or `never`. The default fails only on what breaks the service, so a new plugin release does ' +
      'not turn CI red; `fapilog-plugins outdated` run by hand defaults to `held-back` (any problem), as `npm ' +
      'outdated` exits 1 on anything outdated.',
    default: 'incompatible',
  },
  ignore: { description: 'Plugins to skip, separated by commas or newlines.', default: '' },
  'minimum-release-age': {
    description:
      '`check`: days a release must have been public before it is proposed (`0`: at once). ' +
      'A release that fixes an advisory the current one has does not wait; one whose publish time is unknown waits. ' +
      'The report says when a newer release is waiting.',
    default: '0',
  },
  'cache-dir': {
    description: `Marketplace metadata cache directory. Falls back to \`${ENV.cache}\`, then the user cache directory.`,
    default: '',
  },
  'packages-dir': { description: '`publish`: directory with the built wheel and sdist, relative to `path`.', default: 'dist' },
  'dry-run': { description: '`publish`: validate and show what would be uploaded, without uploading.', default: 'false' },
  strict: { description: '`publish`: treat validation warnings as errors.', default: 'false' },
  build: {
    description:
      '`publish`: build the wheel and sdist (`python -m build`, with `python3` when there is no `python` on PATH) before publishing.',
    default: 'false',
  },
  comment: {
    description:
      '`check` on `pull_request`: keep one comment with the report on the pull request, edited in place on ' +
      'every run and deleted once no plugin has a problem. Needs `permissions: pull-requests: write`.',
    default: 'false',
  },
  dashboard: {
    description:
      '`check` on `schedule` (or any event but a pull request): keep one issue "fapilog plugins" with the ' +
      'report, created once and edited on every run. Needs `permissions: issues: write`.',
    default: 'false',
  },
  'github-token': { description: 'Token for `comment` and `dashboard` (masked in logs).', default: '${{ github.token }}' },
} as const satisfies Record<string, InputDoc>;

export type InputName = keyof typeof INPUT_DOCS;
export const INPUT_NAMES = Object.keys(INPUT_DOCS) as InputName[];

export const ActionInputs = z.object({
  command: choice(COMMANDS, 'check'),
  path: optionalString.transform((s) => s ?? '.'),
  'marketplace-url': url,
  'index-url': url,
  token: optionalString,
  'fapilog-version': pep440Version,
  'fail-on': choice(FAIL_ON, 'incompatible'),
  ignore: nameList,
  'minimum-release-age': z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s === '' || (/^\d{1,4}$/.test(s) && Number(s) <= 3650), { message: 'expected a whole number of days from 0 to 3650' })
    .transform((s) => (s === '' ? 0 : Number(s))),
  'cache-dir': optionalString,
  'packages-dir': optionalString.transform((s) => s ?? 'dist'),
  'dry-run': boolean(false),
  strict: boolean(false),
  build: boolean(false),
  comment: boolean(false),
  dashboard: boolean(false),
  // An expression left unexpanded (a run outside GitHub reading action.yml's default) is no token.
  'github-token': optionalString.transform((s) => (s === '${{ github.token }}' ? undefined : s)),
} satisfies Record<InputName, z.ZodType>);
export type ActionInputs = z.infer<typeof ActionInputs>;

export const OUTPUT_DOCS = {
  report:
    'The check report as JSON (plugins, statuses, locations, fapilog version). Over 512 KiB (GitHub allows 1 MB ' +
    'of outputs per job) it keeps the plugins with problems first and says in `warnings` how many were left ' +
    'out.',
  'report-file': 'Path of a file (under `RUNNER_TEMP`) with the whole check report as JSON, however large.',
  'outdated-count': 'Number of plugins with a newer compatible release (status `outdated`).',
  'incompatible-count': 'Number of plugins that are incompatible with the fapilog version or yanked.',
  'vulnerable-count': 'Number of plugins whose current release an advisory affects (status `vulnerable`).',
  'has-problems': '`true` when any plugin is vulnerable, outdated, held back, incompatible or yanked.',
  version: '`publish`: the version published (or that would be).',
  status: '`publish`: `published`, `unchanged`, `dry-run` or `failed`.',
  url:
    '`publish`: the API URL of the release (`<marketplace-url>/plugins/<name>/versions/<version>`, its JSON ' +
    'record), when it was published or already was (`published`, `unchanged`); empty otherwise.',
} as const;
export type OutputName = keyof typeof OUTPUT_DOCS;

export class InputError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(`Input "${input}": ${message}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/**
 * A path input resolved against the workspace, which it must stay inside: the Action reads and
 * annotates the repository it was given, not the runner's other files (`path: ../..`, `/etc`).
 * Symlinks count by where they lead.
 */
export function insideWorkspace(workspace: string, given: string, input: InputName, base: string = workspace): string {
  const root = path.resolve(workspace);
  const target = path.resolve(base, given);
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  const within = (dir: string, p: string) => {
    const rel = path.relative(dir, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (!within(root, target) || !within(real(root), real(target))) {
    throw new InputError(input, `${given} is outside the workspace (${root}); give a path inside the repository`);
  }
  return target;
}

/** `raw` maps each input name to its string value ('' or missing when not given). */
export function parseInputs(raw: Partial<Record<InputName, string>>): ActionInputs {
  const filled = Object.fromEntries(INPUT_NAMES.map((n) => [n, raw[n] ?? '']));
  const result = ActionInputs.safeParse(filled);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'unknown');
  throw new InputError(name, issue?.message ?? 'invalid value');
}

/** Markdown table of the inputs for docs/action.md, generated so the docs cannot drift. */
export function inputsTable(): string {
  const rows = INPUT_NAMES.map((n) => {
    const d: InputDoc = INPUT_DOCS[n];
    return `| \`${n}\` | ${d.description} | ${d.default === '' ? '' : `\`${d.default}\``} |`;
  });
  return ['| Input | Description | Default |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(): string {
  const rows = (Object.keys(OUTPUT_DOCS) as OutputName[]).map((n) => `| \`${n}\` | ${OUTPUT_DOCS[n]} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}
