/**
 * The repository's `.github/fapilog-plugins.yml`: one zod schema that parses it, names the bad key
 * when it is wrong (that message becomes the invalid-config issue), and generates the key table in
 * docs/bot.md (test/bot/docs.test.ts keeps the two equal).
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { RANGE_STRATEGIES } from '../src/core/python/strategies.ts';

export const CONFIG_PATH = '.github/fapilog-plugins.yml';

/** A config above this size is refused before parsing (YAML aliases can expand a small file a lot). */
export const MAX_CONFIG_BYTES = 64 * 1024;

const pluginName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: (iss) => `"${String(iss.input)}" is not a plugin name` });
const groupName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,49}$/, {
  error: (iss) => `"${String(iss.input)}" is not a group name (lowercase letters, digits, ".", "_", "-"; at most 50)`,
});
const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?$/, {
  error: (iss) => `"${String(iss.input)}" is not a GitHub login (or org/team)`,
});

export const BotConfig = z
  .strictObject({
    enabled: z.boolean().default(true).describe('`false` stops the bot for this repository: no pull requests are opened or updated.'),
    ignore: z
      .array(pluginName)
      .default([])
      .describe(
        'Plugins never proposed (short or package names, e.g. `loki` or `fapilog-loki`). A single requirement can also be skipped with `# fapilog-plugins: ignore` on its line.',
      ),
    groups: z
      .record(groupName, z.array(pluginName).min(1))
      .default({})
      .describe(
        'Named groups: the plugins of one group share one pull request, on the branch `fapilog-plugins/<group>`. A plugin in no group gets a pull request of its own, on `fapilog-plugins/<package>`.',
      ),
    strategy: z
      .enum(RANGE_STRATEGIES)
      .default('auto')
      .describe(
        'How specifiers are rewritten: `auto` (keep the style), `bump` (raise the lower bound), `pin` (`==X`), `widen` (extend the upper bound), `replace`.',
      ),
    'open-pull-requests-limit': z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(5)
      .describe(
        'Most pull requests of this bot open at once in the repository; new ones wait until others are merged or closed. `0` opens none (existing ones are still kept current). Security pull requests (moving off a release a security advisory affects) are opened first and outside this limit.',
      ),
    'minimum-release-age': z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(0)
      .describe(
        'Days a release must have been public before it is proposed (a release whose publish time is unknown waits too). ' +
          'A release that moves off one a security advisory affects does not wait. `0`: no waiting.',
      ),
    labels: z
      .array(z.string().min(1).max(50))
      .max(10)
      .default([])
      .describe('Labels put on every pull request; a security pull request also gets `security`.'),
    reviewers: z
      .array(login)
      .max(15)
      .default([])
      .describe('Reviewers requested on every new pull request: logins, or `org/team` for a team.'),
    assignees: z
      .array(login.refine((s) => !s.includes('/'), 'a team cannot be an assignee'))
      .max(10)
      .default([])
      .describe('Assignees of every new pull request.'),
    'commit-message-prefix': z
      .string()
      .max(50)
      .refine((s) => !/[\r\n]/.test(s), 'must be one line')
      .default('')
      .describe('Put before every commit message and pull-request title, e.g. `chore(deps):`.'),
    'marketplace-url': z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "Marketplace API base URL for this repository. Only URLs the bot operator allows (`FAPILOG_BOT_ALLOWED_MARKETPLACES`) are used; by default the bot's own `FAPILOG_MARKETPLACE_URL`.",
      ),
    'index-url': z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "A Python package index (simple API, e.g. `https://pypi.org/simple/`) to read this repository's plugins from instead of a marketplace. PyPI, the operator's own `FAPILOG_INDEX_URL` and the URLs in `FAPILOG_BOT_ALLOWED_MARKETPLACES` are allowed. Not together with `marketplace-url`.",
      ),
    'propose-fapilog-upgrade': z
      .boolean()
      .default(false)
      .describe(
        "Keep one issue open that proposes the fapilog upgrade unlocking the plugins held back by the project's fapilog (their newer releases need a newer fapilog), and close it when none are.",
      ),
    'fapilog-upgrade-pull-request': z
      .boolean()
      .default(false)
      .describe(
        'Keep one pull request per environment open that moves fapilog to the lowest release unlocking its held-back plugins and moves those plugins with it (branch `fapilog-plugins/fapilog-upgrade`, or `fapilog-plugins/fapilog-upgrade--<environment>` in a repository of several); kept current like the others and closed when nothing is held back.',
      ),
  })
  .superRefine((cfg, ctx) => {
    if (cfg['index-url'] !== undefined && cfg['marketplace-url'] !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['index-url'], message: 'give either index-url or marketplace-url, not both' });
    }
    const seen = new Map<string, string>();
    for (const [group, members] of Object.entries(cfg.groups)) {
      for (const m of members) {
        const key = m
          .toLowerCase()
          .replace(/[-_.]+/g, '-')
          .replace(/^fapilog-/, '');
        const other = seen.get(key);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['groups', group], message: `${m} is already in group ${other}` });
        }
        seen.set(key, group);
      }
    }
  });
export type BotConfig = z.infer<typeof BotConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The key at fault (`groups.observability`, `labels.0`) or null for the whole file. */
  readonly key: string | null;
  constructor(key: string | null, reason: string) {
    super(key === null ? reason : `${key}: ${reason}`);
    this.key = key;
  }
}

/** Parses the config file's bytes; a missing file (null) is the defaults. Throws ConfigError. */
export function parseConfig(bytes: Uint8Array | null): BotConfig {
  if (bytes === null) return BotConfig.parse({});
  if (bytes.byteLength > MAX_CONFIG_BYTES) throw new ConfigError(null, `the file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(null, 'the file is not valid UTF-8');
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    throw new ConfigError(null, `not valid YAML${line ? ` (line ${line})` : ''}: ${yamlError.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 }) ?? {};
  } catch (err) {
    throw new ConfigError(null, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = BotConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.join('.');
      throw new ConfigError(
        where === '' ? issue.keys.join(', ') : `${where}.${issue.keys[0]}`,
        `unknown key (known: ${Object.keys(BotConfig.shape).join(', ')})`,
      );
    }
    throw new ConfigError(issue.path.join('.') || null, issue.message);
  }
  return parsed.data;
}

/** The docs table: one row per key, from the schema's JSON Schema (types, defaults, descriptions). */
export function configTable(): string {
  const schema = z.toJSONSchema(BotConfig, { io: 'input' }) as { properties: Record<string, JsonProp> };
  const rows = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [key, prop] of Object.entries(schema.properties)) {
    const def = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
    rows.push(`| \`${key}\` | ${typeOf(prop)} | ${def} | ${(prop.description ?? '').replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n');
}

interface JsonProp {
  type?: string;
  enum?: string[];
  items?: JsonProp;
  additionalProperties?: JsonProp;
  default?: unknown;
  description?: string;
  format?: string;
}

function typeOf(p: JsonProp): string {
  if (p.enum) return p.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (p.type === 'array') return `list of ${typeOf(p.items ?? {})}s`;
  if (p.type === 'object' && p.additionalProperties) return `map of name to ${typeOf(p.additionalProperties)}`;
  if (p.format === 'uri') return 'URL';
  return p.type ?? 'any';
}

/** The source a repository's config names (`index-url` or `marketplace-url`), or undefined for the operator's own. */
export function configSource(
  config: Pick<BotConfig, 'index-url' | 'marketplace-url'>,
): { kind: 'marketplace' | 'index'; url: string } | undefined {
  if (config['index-url'] !== undefined) return { kind: 'index', url: config['index-url'] };
  if (config['marketplace-url'] !== undefined) return { kind: 'marketplace', url: config['marketplace-url'] };
  return undefined;
}
