/**
 * The part of the Actions runner protocol the Action speaks: inputs from INPUT_* variables,
 * workflow commands on stdout, outputs and the job summary in the files the runner names, and the
 * OIDC token request. Written out here, byte for byte what @actions/core 3 writes for the same
 * calls (test/action/toolkit.test.ts runs both and compares), because importing @actions/core
 * loads @actions/http-client and undici for its getIDToken: ~85 ms of CPU at every start and
 * about half of the bundle, for a request Node's own fetch makes.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { access, appendFile, constants } from 'node:fs/promises';
import { EOL } from 'node:os';
import { z } from 'zod';

type Env = NodeJS.ProcessEnv;

/** Where an annotation points (@actions/core's AnnotationProperties). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function commandValue(input: unknown): string {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || input instanceof String) return String(input);
  return JSON.stringify(input);
}

function escapeData(s: unknown): string {
  return commandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: unknown): string {
  return commandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::command key=value,...::message` on stdout; empty property values are left out. */
export function issueCommand(command: string, properties: Record<string, unknown>, message: unknown): void {
  let line = `::${command || 'missing.command'}`;
  const props = Object.entries(properties).filter(([, v]) => v);
  if (Object.keys(properties).length > 0) line += ' ';
  line += props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
  process.stdout.write(`${line}::${escapeData(message)}${EOL}`);
}

/** The value of input `name`, trimmed ('' when unset). */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function isDebug(env: Env = process.env): boolean {
  return env['RUNNER_DEBUG'] === '1';
}

function annotation(level: 'error' | 'warning' | 'notice', message: string, p: AnnotationProperties): void {
  const props = Object.keys(p).length === 0 ? {} : { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
  issueCommand(level, props, message);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  annotation('error', message, properties);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  annotation('warning', message, properties);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  annotation('notice', message, properties);
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** A step output: a heredoc block in GITHUB_OUTPUT, or the old stdout command without one. */
export function setOutput(name: string, value: unknown, env: Env = process.env): void {
  const file = env['GITHUB_OUTPUT'] || '';
  if (!file) {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, commandValue(value));
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const converted = commandValue(value);
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (converted.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${converted}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** Appends Markdown (and a line end) to the job summary file. */
export async function appendSummary(markdown: string, env: Env = process.env): Promise<void> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(file, markdown + EOL, { encoding: 'utf8' });
}

const ID_TOKEN_ATTEMPTS = 4;
const ID_TOKEN_DEADLINE_MS = 30_000;
/** The statuses @actions/http-client retries a GET on. */
const RETRY_STATUSES = new Set([502, 503, 504]);
const MAX_ANSWER_BYTES = 1024 * 1024;
const IdTokenAnswer = z.object({ value: z.string().min(1) });

/**
 * A GitHub OIDC token for `audience` (what core.getIDToken does): GET
 * ACTIONS_ID_TOKEN_REQUEST_URL + `&audience=` with the bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN,
 * answered with JSON `{ "value": "<jwt>" }`. Masked before it is returned. Bounded: 4 attempts on
 * 502/503/504 or a network error, 30 s each, at most 1 MB of answer.
 */
export async function getIDToken(audience: string, env: Env = process.env, fetchImpl: typeof fetch = fetch): Promise<string> {
  const base = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  if (!base) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
  const token = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (!token) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
  const url = audience ? `${base}&audience=${encodeURIComponent(audience)}` : base;
  debug(`ID token url is ${url}`);
  let last = '';
  for (let attempt = 1; attempt <= ID_TOKEN_ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 2)));
    let res: Response;
    try {
      res = await fetchImpl(url, {
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, 'User-Agent': 'actions/oidc-client' },
        signal: AbortSignal.timeout(ID_TOKEN_DEADLINE_MS),
      });
    } catch (err) {
      last = `cannot reach the token service (${(err as Error).message})`;
      continue;
    }
    if (RETRY_STATUSES.has(res.status)) {
      await res.body?.cancel();
      last = `HTTP ${res.status}`;
      continue;
    }
    const bytes = await res.arrayBuffer();
    if (bytes.byteLength > MAX_ANSWER_BYTES) throw new Error('Failed to get ID Token: the answer is larger than 1 MB');
    const text = new TextDecoder().decode(bytes);
    if (!res.ok) throw new Error(`Failed to get ID Token: HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error('Failed to get ID Token: the answer is not JSON');
    }
    const parsed = IdTokenAnswer.safeParse(json);
    if (!parsed.success) throw new Error(`Failed to get ID Token: the answer has no usable "value" (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    setSecret(parsed.data.value);
    return parsed.data.value;
  }
  throw new Error(`Failed to get ID Token after ${ID_TOKEN_ATTEMPTS} attempts: ${last}`);
}
