/**
 * `publish [path]`: validates the plugin project and its built files, prints every file with size
 * and sha256 and every finding, then uploads (unless --dry-run). Exit 1 when findings block the
 * publish (errors, or warnings under --strict) or the version is taken; exit 2 on other failures.
 */
import path from 'node:path';
import { Option } from 'commander';
import { ENV } from '../../core/config.ts';
import { completePublish, tagFromRef, type PublishStatus, type PublishVerdict } from '../../core/publish/flow.ts';
import { isFailing, type Finding } from '../../core/publish/findings.ts';
import { formatSize, parseSize } from '../../core/size.ts';
import type { PublishPlan } from '../../core/publish/plan.ts';
import { preparePublishOnDisk } from '../../core/publish/disk-plugin.ts';
import { DEFAULT_MAX_FILE_SIZE } from '../../core/publish/validate.ts';
import type { CliIo, CommandContext, RegisterCommand } from '../context.ts';
import { CliError, EXIT, type ExitCode } from '../errors.ts';
import { paint, writeJson } from '../output/index.ts';
import { chosenPath, resolveProject } from '../project-path.ts';

interface PublishOptions {
  dist?: string;
  dryRun?: boolean;
  strict?: boolean;
  tag?: string;
  maxFileSize?: string;
}

/** The tag a CI run is for: GITHUB_REF=refs/tags/v1.2.0, or GITHUB_REF_NAME when GITHUB_REF_TYPE=tag. */
export function tagFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  const tag = tagFromRef(env['GITHUB_REF']);
  if (tag !== undefined) return tag;
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
  status: PublishStatus;
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
      `\nThe token comes from --token or ${ENV.token}; it must belong to the plugin's owner.\nBuild first with ` +
        `\`python -m build\`. Exit codes: 0 published/unchanged/dry run, 1 blocking findings or version taken, ` +
        `2 errors.\n`,
    )
    .action(
      act(async (ctx, projectArg: string | undefined, opts: PublishOptions & { path?: string }) => {
        const projectDir = resolveProject(ctx.io.cwd, chosenPath(projectArg, opts.path));
        const maxFileSize = opts.maxFileSize === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(opts.maxFileSize);
        if (maxFileSize === null || maxFileSize <= 0)
          throw new CliError(`--max-file-size: "${opts.maxFileSize}" is not a size (e.g. 20MiB)`);
        const settings = ctx.settings();
        const client = ctx.client();
        const plan = await preparePublishOnDisk({
          projectDir,
          distDir: opts.dist === undefined ? undefined : path.resolve(ctx.io.cwd, opts.dist),
          tag: opts.tag ?? tagFromEnvironment(ctx.io.env),
          client,
          maxFileSize,
        });
        const strict = Boolean(opts.strict);
        const json = ctx.globals.json;
        if (!json) printPlan(ctx, plan, strict);
        const verdict = await ctx.withProgress(opts.dryRun ? 'validating' : 'uploading', () =>
          completePublish(plan, {
            strict,
            dryRun: Boolean(opts.dryRun),
            marketplaceUrl: settings.url,
            strictOption: '--strict',
            authorize: async () => {
              if (!settings.token)
                throw new CliError(`publishing needs a token: pass --token or set ${ENV.token} (a token of the plugin's owner)`);
              return {
                ok: true,
                sender: client,
                credential: ctx.globals.token !== undefined ? 'token from --token' : `token from ${ENV.token}`,
              };
            },
          }),
        );
        return report(ctx.io, plan, strict, verdict, json);
      }),
    );
};

function report(io: CliIo, plan: PublishPlan, strict: boolean, verdict: PublishVerdict, json: boolean | undefined): ExitCode {
  const { status, message, failure } = verdict;
  if (json) writeJson(io, toJson(plan, strict, status, verdict.url, message));
  if (failure === 'blocked' || failure === 'undescribable') {
    io.stderr(`${message}\n`);
    return EXIT.problems;
  }
  if (status === 'failed') {
    io.stderr(`error: ${message}\n`);
    return failure === 'version-taken' ? EXIT.problems : EXIT.error;
  }
  if (!json) io.stdout(verdict.url ? `${message}\n  ${verdict.url}\n` : `${message}\n`);
  return EXIT.ok;
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
      const label =
        f.severity === 'error' ? p('red', 'error') : p('yellow', isFailing(f, strict) ? 'warning (fails with --strict)' : 'warning');
      out.push(`  ${label} ${p('bold', f.code)}: ${f.message}\n`);
      out.push(`      fix: ${f.fix}\n`);
    }
  }
  ctx.io.stdout(out.join(''));
}

function toJson(plan: PublishPlan, strict: boolean, status: PublishStatus, url: string | null, message: string | null): PublishJson {
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
