/**
 * Runs the Action the way a GitHub runner does: a child process with INPUT_* variables and
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, so exit codes, stdout commands and files are real.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SOURCE_ENTRY = path.join(REPO, 'src', 'action', 'index.ts');
export const BUNDLE_ENTRY = path.join(REPO, 'dist', 'index.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface Workspace {
  dir: string;
  cacheDir: string;
  cleanup(): void;
}

/** A temp GITHUB_WORKSPACE holding a copy of `fixture` at `<workspace>/<as>`. */
export function makeWorkspace(fixture: string, as = 'app'): Workspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-ws-'));
  cpSync(fixture, path.join(dir, as), { recursive: true });
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-cache-'));
  return { dir, cacheDir, cleanup: () => [dir, cacheDir].forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

/**
 * `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes GITHUB_OUTPUT. A name written twice
 * is an error: the runner would take the last one, and every Action test should see each once.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m?.[1] || !m[2]) continue;
    const end = lines.indexOf(m[2], i + 1);
    if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing delimiter for ${m[1]}`);
    if (Object.hasOwn(out, m[1])) throw new Error(`GITHUB_OUTPUT: ${m[1]} written twice`);
    out[m[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

export interface AnnotationLine {
  level: string;
  props: Record<string, string>;
  message: string;
}

function unescape(s: string): string {
  return s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/** `::warning file=...,line=...::message` lines of stdout. */
export function annotationLines(stdout: string): AnnotationLine[] {
  const out: AnnotationLine[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m?.[1] || m[3] === undefined) continue;
    const props: Record<string, string> = {};
    for (const kv of m[2] ? m[2].split(',') : []) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
    }
    out.push({ level: m[1], props, message: unescape(m[3]) });
  }
  return out;
}

/** The environment of a clean runner: nothing of the test process's own GitHub/marketplace setup. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|FAPILOG_|ACTIONS_)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export async function runAction(opts: {
  entry?: string;
  workspace: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
}): Promise<Run> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-run-'));
  const outputFile = path.join(tmp, 'output');
  const summaryFile = path.join(tmp, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...opts.env,
  };
  // @actions/core reads INPUT_<name uppercased, spaces to underscores>: hyphens stay.
  for (const [name, value] of Object.entries(opts.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  // process.execPath is the Node 24 the tests run on (npx node): the Action's runtime.
  const child = spawn(process.execPath, [opts.entry ?? SOURCE_ENTRY], { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  try {
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
