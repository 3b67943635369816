/**
 * The Action's `publish` command, for `on: push: tags`: optionally builds the project, validates
 * the built files, uploads them, and renders the job summary (every file with size and sha256,
 * every finding). No @actions imports here: the runner passes @actions/exec as `deps.exec` and
 * sets the outputs, the summary and the step's failure from the returned result.
 */
import { findOnPath } from '../core/project/disk-lock-runner.ts';
import { readdir } from 'node:fs/promises';
import { ENV, type MarketplaceSettings } from '../core/config.ts';
import { MarketplaceClient } from '../core/marketplace/client.ts';
import { completePublish, tagFromRef, type Authorization, type PublishStatus } from '../core/publish/flow.ts';
import { isFailing, type Finding } from '../core/publish/findings.ts';
import { cell as markdownCell, code as markdownCode, codeCell, linkUrl, text as markdownText } from '../core/render/markdown.ts';
import { formatSize } from '../core/size.ts';
import type { PublishPlan } from '../core/publish/plan.ts';
import { preparePublishOnDisk } from '../core/publish/disk-plugin.ts';
import { forkMessage, trustedLine, trustedPublishToken, type OidcDeps } from './oidc.ts';

export interface PublishConfig {
  packagesDir: string;
  projectDir: string;
  /** GITHUB_REF: `refs/tags/v1.2.0` publishes from that tag; other refs skip the tag check. */
  ref: string | undefined;
  dryRun: boolean;
  strict: boolean;
  build: boolean;
  settings: MarketplaceSettings;
}

export interface PublishDeps {
  exec?: (cmd: string, args: string[], opts?: { cwd?: string }) => Promise<number>;
  /** Whether a command is on PATH (default: a search of process.env.PATH). */
  which?: (cmd: string) => string | null;
  log: (line: string) => void;
  /** Trusted publishing (GitHub OIDC), tried when no token is given. */
  oidc?: OidcDeps;
}

export type { PublishStatus };

export interface PublishResult {
  version: string | null;
  status: PublishStatus;
  url: string | null;
  summaryMarkdown: string;
  failed: boolean;
  failureMessage: string | null;
}

/** How the runner got the token, for 401/403 messages (the value itself never appears). */
const CREDENTIAL = `token given to the action (\`token\` input or ${ENV.token})`;

export { findOnPath };

/** `python`, else `python3` (Debian and macOS runners without setup-python have only that), else null. */
export function pythonCommand(which: (cmd: string) => string | null): 'python' | 'python3' | null {
  if (which('python')) return 'python';
  if (which('python3')) return 'python3';
  return null;
}

async function isEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

export async function publishMain(config: PublishConfig, deps: PublishDeps): Promise<PublishResult> {
  const log = deps.log;
  const tag = tagFromRef(config.ref);
  const failed = (message: string, plan: PublishPlan | null, extra?: string): PublishResult => ({
    version: plan?.version ?? null,
    status: 'failed',
    url: null,
    summaryMarkdown: renderPublishSummary({
      plan,
      status: 'failed',
      url: null,
      message,
      strict: config.strict,
      ...(extra ? { extra } : {}),
    }),
    failed: true,
    failureMessage: message,
  });

  if (config.ref && !tag) log(`${config.ref} is not a tag: the version is not compared with a tag (publish runs on \`push: tags\`)`);

  if (config.build && (await isEmpty(config.packagesDir))) {
    if (!deps.exec) return failed('build: true needs a command runner, and none was given', null);
    const python = pythonCommand(deps.which ?? ((cmd) => findOnPath(cmd)));
    if (!python)
      return failed(
        'build: true needs Python, and neither `python` nor `python3` is on PATH (add actions/setup-python before this step)',
        null,
      );
    const args = ['-m', 'build', '--outdir', config.packagesDir, config.projectDir];
    log(`building: ${python} ${args.join(' ')}`);
    let code: number;
    try {
      code = await deps.exec(python, args, { cwd: config.projectDir });
    } catch (err) {
      // @actions/exec rejects on a non-zero exit (and when python cannot be started).
      return failed(
        `${python} -m build failed: ${(err as Error).message.split('\n')[0]}; is \`build\` installed (pip install build)?`,
        null,
      );
    }
    if (code !== 0) return failed(`${python} -m build exited with ${code}; is \`build\` installed (pip install build)?`, null);
  }

  const client = new MarketplaceClient(config.settings, { warn: (m) => log(`warning: ${m}`) });
  const plan = await preparePublishOnDisk({ projectDir: config.projectDir, distDir: config.packagesDir, tag, client });
  logPlan(plan, config.strict, log);

  const verdict = await completePublish(plan, {
    strict: config.strict,
    dryRun: config.dryRun,
    marketplaceUrl: config.settings.url,
    strictOption: '`strict: true`',
    authorize: () => authorize(config, plan, deps, client),
  });
  if (verdict.status !== 'failed') log(verdict.url ? `${verdict.message}: ${verdict.url}` : verdict.message);
  if (verdict.publisher !== null) log(`publisher: ${verdict.publisher}`);
  if (verdict.status === 'failed') return failed(verdict.message, plan, verdict.markdown ?? undefined);
  return {
    version: verdict.version,
    status: verdict.status,
    url: verdict.url,
    summaryMarkdown: renderPublishSummary({
      plan,
      status: verdict.status,
      url: verdict.url,
      message: verdict.message,
      strict: config.strict,
      ...(verdict.publisher !== null ? { publisher: verdict.publisher } : {}),
    }),
    failed: false,
    failureMessage: null,
  };
}

/** The token input, else trusted publishing (GitHub OIDC), else why neither is there. */
async function authorize(config: PublishConfig, plan: PublishPlan, deps: PublishDeps, client: MarketplaceClient): Promise<Authorization> {
  if (config.settings.token) return { ok: true, sender: client, credential: CREDENTIAL };
  if (deps.oidc?.available) {
    const trusted = await trustedPublishToken(config.settings.url, plan.package, deps.oidc);
    if (!trusted.ok) return { ok: false, message: trusted.message, markdown: trusted.markdown };
    deps.log(trustedLine(trusted.publisher, trusted.expiresAt));
    return {
      ok: true,
      sender: new MarketplaceClient({ ...config.settings, token: trusted.token }, { warn: (m) => deps.log(`warning: ${m}`) }),
      credential: 'publish token from trusted publishing (OIDC exchange)',
    };
  }
  if (deps.oidc?.forkPullRequest) return { ok: false, message: forkMessage(deps.oidc.forkPullRequest) };
  return {
    ok: false,
    message:
      `publishing needs a token: set the \`token\` input to a secret holding a token of the plugin's ` +
      `owner (or ${ENV.token}), or use trusted publishing: give the publish job \`permissions: id-token: ` +
      `write\` and register the workflow as the plugin's trusted publisher`,
  };
}

function logPlan(plan: PublishPlan, strict: boolean, log: (line: string) => void): void {
  log(`${plan.package ?? '(unnamed project)'} ${plan.version ?? ''}${plan.tag ? ` (tag ${plan.tag})` : ''}`);
  for (const f of plan.files) log(`  ${f.filename}  ${f.size} bytes  sha256:${f.sha256}`);
  if (plan.files.length === 0) log(`  no wheel or sdist in ${plan.distDir}`);
  for (const f of plan.findings) {
    log(`${f.severity}${isFailing(f, strict) ? '' : ' (not blocking)'} ${f.code}: ${f.message}`);
    log(`  fix: ${f.fix}`);
  }
}

const STATUS_LINE: Record<PublishStatus, string> = {
  published: '✅ published',
  unchanged: '✅ unchanged (already published with identical files)',
  'dry-run': '🧪 dry run (nothing uploaded)',
  failed: '❌ failed',
};

// Names, messages and findings come from the project and the marketplace: escaped (markdown.ts).
const cell = markdownCell;
const code = markdownCode;

/** The job summary; also what test/e2e pastes into the closing note. */
export function renderPublishSummary(args: {
  plan: PublishPlan | null;
  status: PublishStatus;
  url: string | null;
  message: string;
  strict: boolean;
  /** The release's publisher as the marketplace recorded it. */
  publisher?: string;
  /** A section of its own (trusted publishing: the token's claims and the registration to make). */
  extra?: string;
}): string {
  const { plan, status, url, message, strict } = args;
  const out: string[] = [];
  const title = plan?.package ? `${plan.package} ${plan.version ?? ''}`.trim() : 'plugin';
  out.push(`## fapilog plugins publish: ${markdownText(title)}`, '');
  const link = url ? linkUrl(url) : null;
  out.push(`**Status:** ${STATUS_LINE[status]}${link ? ` — [release](${link})` : url ? ` — ${code(url)}` : ''}`, '');
  out.push(cell(message), '');
  if (args.publisher) out.push(`**Publisher:** ${cell(args.publisher)}`, '');
  if (args.extra) out.push(args.extra.trimEnd(), '');
  if (plan) {
    const facts = [
      plan.pluginType ? `**Type:** ${cell(plan.pluginType)}` : null,
      plan.tag ? `**Tag:** ${code(plan.tag)}` : null,
      plan.metadata?.fapilog_compatibility ? `**fapilog:** ${code(plan.metadata.fapilog_compatibility)}` : null,
    ].filter((f): f is string => f !== null);
    if (facts.length > 0) out.push(facts.join(' · '), '');
    out.push('### Files', '');
    if (plan.files.length === 0) {
      out.push(`No wheel or sdist in ${code(plan.distDir)}.`, '');
    } else {
      out.push('| File | Size | sha256 |', '|---|---:|---|');
      for (const f of plan.files) out.push(`| ${codeCell(f.filename)} | ${formatSize(f.size)} (${f.size} bytes) | ${codeCell(f.sha256)} |`);
      out.push('');
    }
    out.push('### Findings', '');
    if (plan.findings.length === 0) {
      out.push('No findings.', '');
    } else {
      out.push('| Severity | Code | Message | Fix |', '|---|---|---|---|');
      for (const f of plan.findings) out.push(findingRow(f, strict));
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function findingRow(f: Finding, strict: boolean): string {
  const severity = f.severity === 'error' ? '❌ error' : isFailing(f, strict) ? '❌ warning (strict)' : '⚠️ warning';
  return `| ${severity} | ${codeCell(f.code)} | ${cell(f.message)} | ${cell(f.fix)} |`;
}
