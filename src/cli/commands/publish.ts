/**
 * `publish [path]`: validates the plugin project and its built files, prints every file with size
 * and sha256 and every finding, then uploads (unless --dry-run). Exit 1 when findings block the
 * publish (errors, or warnings under --strict) or the version is taken; exit 2 on other failures.
 */
import path from 'node:path';
import { Option } from 'commander';
import { ENV } from '../../core/config.ts';
import { executePublish, type PublishOutcome } from '../../core/publish/execute.ts';
import { isFailing, type Finding } from '../../core/publish/findings.ts';
import { formatSize, parseSize } from '../../core/size.ts';
import { blockingFindings, preparePublish, type PublishPlan } from '../../core/publish/plan.ts';
import { DEFAULT_MAX_FILE_SIZE } from '../../core/publish/validate.ts';
import type { CliIo, CommandContext, RegisterCommand } from '../context.ts';
import { CliError, EXIT, type ExitCode } from '../errors.ts';
import { paint, writeJson } from '../output/index.ts';
import { chosenPath, resolveProject } from '../project-path.ts';
import { stripCredentials } from '../../core/marketplace/errors.ts';

interface PublishOptions {
  dist?: string;
  dryRun?: boolean;
  strict?: boolean;
  tag?: string;
  maxFileSize?: string;
}

/** The tag a CI run is for: GITHUB_REF=refs/tags/v1.2.0, or GITHUB_REF_NAME when GITHUB_REF_TYPE=tag. */
export function tagFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  const ref = env['GITHUB_REF'];
  if (ref?.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  if (env['GITHUB_REF_TYPE'] === 'tag' && env['GITHUB_REF_NAME']) return env['GITHUB_REF_NAME'];
  return undefined;
}

export interface PublishJson {
  package: string | null;
  version: string | null;
  tag: string | null;
  plugin_type: string | null;
  files: Array<{ filename: string; size: number; sha256: string }>;
  findings: Array<Finding & { failing: boolean }>;
  status: 'published' | 'unchanged' | 'dry-run' | 'failed';
  url: string | null;
  message: string | null;
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('publish')
    .argument('[path]', 'plugin project directory (default: the current directory)')
    .option('--path <path>', 'same as the `[path]` argument')
    .description('validate a plugin project and its built files, then publish them to the marketplace')
    .option('--dist <dir>', 'directory with the built wheel and sdist (default: <path>/dist)')
    .option('--dry-run', 'validate and show what would be uploaded, without uploading')
    .option('--strict', 'treat warnings as errors')
    .addOption(new Option('--tag <tag>', 'the git tag being published (default: from GITHUB_REF when it is a tag)'))
    .option('--max-file-size <size>', `largest file accepted, e.g. 20MiB (default ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024}MiB)`)
    .addHelpText(
      'after',
      `\nThe token comes from --token or ${ENV.token}; it must belong to the plugin's owner.\nBuild first with \`python -m build\`. Exit codes: 0 published/unchanged/dry run, 1 blocking findings or version taken, 2 errors.\n`,
    )
    .action(
      act(async (ctx, projectArg: string | undefined, opts: PublishOptions & { path?: string }) => {
        const projectDir = resolveProject(ctx.io.cwd, chosenPath(projectArg, opts.path));
        const maxFileSize = opts.maxFileSize === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(opts.maxFileSize);
        if (maxFileSize === null || maxFileSize <= 0) throw new CliError(`--max-file-size: "${opts.maxFileSize}" is not a size (e.g. 20MiB)`);
        const settings = ctx.settings();
        const client = ctx.client();
        const plan = await preparePublish({
          projectDir,
          distDir: opts.dist === undefined ? undefined : path.resolve(ctx.io.cwd, opts.dist),
          tag: opts.tag ?? tagFromEnvironment(ctx.io.env),
          client,
          maxFileSize,
        });
        const strict = Boolean(opts.strict);
        const blocking = blockingFindings(plan, strict);
        const json = ctx.globals.json;
        const finish = (status: PublishJson['status'], code: ExitCode, message: string | null, url: string | null = null): ExitCode => {
          if (json) writeJson(ctx.io, toJson(plan, strict, status, url, message));
          return code;
        };
        if (!json) printPlan(ctx, plan, strict);

        if (blocking.length > 0 || !plan.metadata) {
          const message = blocking.length > 0 ? notPublishedMessage(blocking) : 'not published: the files do not describe a plugin release';
          ctx.io.stderr(`${message}\n`);
          return finish('failed', EXIT.problems, message);
        }
        if (opts.dryRun) {
          const message = plan.alreadyPublished
            ? `dry run: ${plan.package} ${plan.version} is already published with these files (a publish would report unchanged)`
            : `dry run: ${plan.package} ${plan.version} would be published to ${stripCredentials(settings.url)}`;
          if (!json) ctx.io.stdout(`${message}\n`);
          return finish('dry-run', EXIT.ok, message);
        }
        if (!settings.token) {
          throw new CliError(`publishing needs a token: pass --token or set ${ENV.token} (a token of the plugin's owner)`);
        }
        const credential = ctx.globals.token !== undefined ? 'token from --token' : `token from ${ENV.token}`;
        const outcome = await executePublish(plan, client, { apiUrl: stripCredentials(settings.url), credential });
        return report(ctx.io, outcome, plan, json, finish);
      }),
    );
};

function report(
  io: CliIo,
  outcome: PublishOutcome,
  plan: PublishPlan,
  json: boolean | undefined,
  finish: (status: PublishJson['status'], code: ExitCode, message: string | null, url?: string | null) => ExitCode,
): ExitCode {
  if (outcome.status === 'failed') {
    io.stderr(`error: ${outcome.message}\n`);
    return finish('failed', outcome.reason === 'version-taken' ? EXIT.problems : EXIT.error, outcome.message);
  }
  const message =
    outcome.status === 'unchanged'
      ? `unchanged: ${plan.package} ${outcome.release.version} is already published with identical files`
      : `published ${plan.package} ${outcome.release.version}`;
  if (!json) io.stdout(`${message}\n  ${outcome.url}\n`);
  return finish(outcome.status, EXIT.ok, message, outcome.url);
}

export function notPublishedMessage(blocking: readonly Finding[]): string {
  const errors = blocking.filter((f) => f.severity === 'error').length;
  const warnings = blocking.length - errors;
  const parts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'} (--strict)` : ''].filter(
    (p) => p !== '',
  );
  const codes = [...new Set(blocking.map((f) => f.code))].join(', ');
  return `not published: ${parts.join(' and ')} (${codes})`;
}

function printPlan(ctx: CommandContext, plan: PublishPlan, strict: boolean): void {
  const p = paint(ctx.color);
  const out: string[] = [];
  const title = plan.package ? `${plan.package} ${plan.version ?? '(no version)'}` : '(unnamed project)';
  const details = [plan.pluginType, plan.tag ? `${plan.tagGiven ? 'tag' : 'tag to push'} ${plan.tag}` : null].filter(Boolean).join(', ');
  out.push(`${p('bold', title)}${details ? `  ${p('dim', `(${details})`)}` : ''}\n`);
  out.push(`files in ${displayPath(ctx.io.cwd, plan.distDir)}:\n`);
  if (plan.files.length === 0) out.push('  (none)\n');
  const width = Math.max(0, ...plan.files.map((f) => f.filename.length));
  for (const f of plan.files) {
    out.push(`  ${f.filename.padEnd(width)}  ${formatSize(f.size).padStart(8)}  sha256:${f.sha256}\n`);
  }
  for (const name of plan.ignored) out.push(`  ${p('dim', `${name} (ignored: not a wheel or sdist)`)}\n`);
  if (plan.findings.length === 0) {
    out.push(`${p('green', 'no findings')}\n`);
  } else {
    out.push('findings:\n');
    for (const f of plan.findings) {
      const label = f.severity === 'error' ? p('red', 'error') : p('yellow', isFailing(f, strict) ? 'warning (fails with --strict)' : 'warning');
      out.push(`  ${label} ${p('bold', f.code)}: ${f.message}\n`);
      out.push(`      fix: ${f.fix}\n`);
    }
  }
  ctx.io.stdout(out.join(''));
}

function toJson(plan: PublishPlan, strict: boolean, status: PublishJson['status'], url: string | null, message: string | null): PublishJson {
  return {
    package: plan.package,
    version: plan.version,
    tag: plan.tag,
    plugin_type: plan.pluginType,
    files: plan.files.map((f) => ({ filename: f.filename, size: f.size, sha256: f.sha256 })),
    findings: plan.findings.map((f) => ({ ...f, failing: isFailing(f, strict) })),
    status,
    url,
    message,
  };
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(cwd: string, target: string): string {
  const rel = path.relative(cwd, target);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? target : rel;
}
