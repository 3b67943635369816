/**
 * The only module that speaks to GitHub (@actions/core): reads inputs, masks the token, runs the
 * command, and writes outputs, the job summary, annotations and the step's result. Every decision
 * lives in check.ts / publish.ts, which the tests and the CLI share.
 */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ENV, resolveMarketplaceSettings, resolveSourceSettings, type MarketplaceSettings, type SourceSettings } from '../core/config.ts';
import { redact } from '../core/marketplace/errors.ts';
import type { Annotation } from '../core/render/annotations.ts';
import { text as markdownText } from '../core/render/markdown.ts';
import { actionMessageFor, checkMain, type CheckStepResult } from './check.ts';
import { InputError, INPUT_NAMES, insideWorkspace, parseInputs, type ActionInputs } from './inputs.ts';
import { fileLinker, forWorkspace, logGroups } from './outcome.ts';
import { logLine } from './log.ts';

type Env = NodeJS.ProcessEnv;

function annotate(a: Annotation): void {
  // No file: a job-level annotation (the "and N more" one).
  const props: core.AnnotationProperties = a.file === '' ? { title: a.title } : { title: a.title, file: a.file, startLine: a.startLine };
  if (a.file !== '' && a.endLine !== undefined) props.endLine = a.endLine;
  if (a.startColumn !== undefined) props.startColumn = a.startColumn;
  if (a.endColumn !== undefined) props.endColumn = a.endColumn;
  if (a.level === 'error') core.error(a.message, props);
  else if (a.level === 'warning') core.warning(a.message, props);
  else core.notice(a.message, props);
}

async function writeSummary(markdown: string, env: Env): Promise<void> {
  // Outside GitHub (a local run) there is no summary file; the log has the same facts.
  if (!env['GITHUB_STEP_SUMMARY']) return;
  await core.summary.addRaw(markdown, true).write();
}

function settingsFrom(inputs: ActionInputs, env: Env): MarketplaceSettings {
  try {
    return resolveMarketplaceSettings({ url: inputs['marketplace-url'], token: inputs.token, cacheDir: inputs['cache-dir'] }, env);
  } catch (err) {
    // The inputs were valid, so a bad value came from the environment fallback.
    if (err instanceof z.ZodError) {
      const field = String(err.issues[0]?.path[0] ?? '');
      const [input, variable] =
        field === 'url' ? ['marketplace-url', ENV.url] : field === 'cacheDir' ? ['cache-dir', ENV.cache] : ['token', ENV.token];
      throw new InputError(input, `the value from ${variable} is not valid (${err.issues[0]?.message ?? 'invalid'})`);
    }
    throw err;
  }
}

function sourceFrom(inputs: ActionInputs, env: Env): SourceSettings {
  try {
    return resolveSourceSettings(
      { url: inputs['marketplace-url'], indexUrl: inputs['index-url'], token: inputs.token, cacheDir: inputs['cache-dir'] },
      env,
    );
  } catch (err) {
    if (err instanceof z.ZodError)
      throw new InputError('index-url', `the value from ${ENV.index} is not valid (${err.issues[0]?.message ?? 'invalid'})`);
    throw err;
  }
}

function logReport(result: CheckStepResult, workspace: string, staleDetail: string | null): void {
  // The paths the annotations and the summary use too.
  // Every line embeds manifest or marketplace text: logLine keeps each one line, not a command.
  const info = (line: string) => core.info(logLine(line));
  const r = forWorkspace(result.report, workspace);
  info(`fapilog ${r.fapilog.version ?? 'unknown'} (${r.fapilog.source}${r.fapilog.from ? `, ${r.fapilog.from}` : ''})`);
  // The one warning about the cache (the client's own message is folded into it).
  info(`${r.marketplace.kind === 'index' ? 'package index' : 'marketplace'} ${r.marketplace.url}`);
  if (r.marketplace.stale)
    core.warning(
      `The ${r.marketplace.kind === 'index' ? 'package index' : 'marketplace'} at ${r.marketplace.url} could ` +
        `not be reached: reporting from the cache${staleDetail ? ` (${staleDetail})` : ''}.`,
    );
  for (const group of logGroups(r)) {
    // A group per manifest, folded in the log; its title counts what is fine, its lines are what is not.
    core.startGroup(logLine(group.title));
    for (const line of group.lines) info(line);
    core.endGroup();
  }
  for (const w of r.warnings) info(`note: ${w}`);
}

async function runCheck(inputs: ActionInputs, settings: MarketplaceSettings, env: Env): Promise<void> {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  // The whole report, whatever GitHub's output limit leaves of the `report` output.
  const reportFile = env['RUNNER_TEMP'] ? path.join(env['RUNNER_TEMP'], 'fapilog-plugins-report.json') : null;
  let staleDetail: string | null = null;
  const result = await checkMain(
    {
      path: inputs.path,
      workspace,
      settings,
      source: sourceFrom(inputs, env),
      fapilogVersion: inputs['fapilog-version'],
      ignore: inputs.ignore,
      minimumReleaseAge: inputs['minimum-release-age'],
      failOn: inputs['fail-on'],
      reportFile,
      fileUrl: fileLinker(env),
    },
    {
      warn: (line) => {
        // The stale-cache notice becomes part of the runner's one warning; others are warnings of their own.
        if (/^the (marketplace|package index) could not be reached \(/.test(line))
          staleDetail = line.replace(
            /^the (?:marketplace|package index) could not be reached \((.*)\); showing cached data from (\S+), (.+?) old \(stale\)$/,
            'cached data from $2, $3 old; $1',
          );
        else core.warning(line);
      },
      debug: (line) => core.debug(line),
    },
  );
  logReport(result, workspace, staleDetail);
  if (reportFile) {
    await writeFile(reportFile, JSON.stringify(result.report), 'utf8');
    core.setOutput('report-file', reportFile);
  }
  for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
  for (const a of result.annotations) annotate(a);
  await writeSummary(result.summaryMarkdown, env);
  if (inputs.comment || inputs.dashboard) {
    // Loaded only when asked for (ncc puts @actions/github in a chunk of its own).
    const { publishToGitHub } = await import('./github.ts');
    await publishToGitHub(
      { comment: inputs.comment, dashboard: inputs.dashboard, hasProblems: result.outputs['has-problems'] === 'true' },
      { token: inputs['github-token'] ?? '', projectPath: inputs.path, summary: result.summaryMarkdown },
      { info: (line) => core.info(logLine(line)), warning: (line) => core.warning(line) },
    );
  }
  if (result.failed) core.setFailed(result.failureMessage ?? 'fapilog plugins check failed');
}

async function runPublish(inputs: ActionInputs, settings: MarketplaceSettings, env: Env): Promise<void> {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const projectDir = insideWorkspace(workspace, inputs.path, 'path');
  // Loaded only for publish (ncc puts them in a chunk of their own): a check, the common run,
  // neither parses nor compiles the archive readers, the validator and @actions/exec.
  const [{ publishMain }, { oidcEnvironment }, { exec }] = await Promise.all([
    import('./publish.ts'),
    import('./oidc.ts'),
    import('@actions/exec'),
  ]);
  const result = await publishMain(
    {
      packagesDir: insideWorkspace(workspace, inputs['packages-dir'], 'packages-dir', projectDir),
      projectDir,
      ref: env['GITHUB_REF'] || undefined,
      dryRun: inputs['dry-run'],
      strict: inputs.strict,
      build: inputs.build,
      settings,
    },
    {
      exec: (cmd, args, opts) => exec(cmd, args, opts?.cwd ? { cwd: opts.cwd } : {}),
      log: (line) => core.info(logLine(line)),
      oidc: { ...oidcEnvironment(env), getIDToken: (audience) => core.getIDToken(audience), setSecret: (value) => core.setSecret(value) },
    },
  );
  core.setOutput('version', result.version ?? '');
  core.setOutput('status', result.status);
  core.setOutput('url', result.url ?? '');
  await writeSummary(result.summaryMarkdown, env);
  if (result.failed) core.setFailed(result.failureMessage ?? 'publish failed');
}

export async function runAction(env: Env = process.env): Promise<void> {
  // Mask before anything else runs, so no later log line or error can show the token.
  const secrets = [core.getInput('token'), env[ENV.token] ?? '', core.getInput('github-token')]
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const s of secrets) core.setSecret(s);
  try {
    const inputs = parseInputs(Object.fromEntries(INPUT_NAMES.map((n) => [n, core.getInput(n)])));
    const settings = settingsFrom(inputs, env);
    if (inputs.command === 'publish') await runPublish(inputs, settings, env);
    else await runCheck(inputs, settings, env);
  } catch (err) {
    const raw = actionMessageFor(err);
    const message = secrets.reduce((m, s) => redact(m, s), raw);
    if (core.isDebug() && err instanceof Error && err.stack) core.debug(secrets.reduce((m, s) => redact(m, s), err.stack));
    await writeSummary(`## fapilog plugins\n\n**Failed:** ${markdownText(message)}\n`, env).catch(() => undefined);
    core.setFailed(message);
  }
}
