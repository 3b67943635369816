/**
 * Test helpers for publishing: copies of examples/plugin in temp dirs (to break one thing each),
 * real builds with Debian's python3-build + hatchling (offline: --no-isolation), and wheels made
 * with fflate for metadata that hatchling refuses to build.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

export const EXAMPLE_PLUGIN = fileURLToPath(new URL('../../../examples/plugin', import.meta.url));
export const PYTHON = '/usr/bin/python3';

const made: string[] = [];

export async function tempDir(prefix = 'fapilog-publish-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function cleanupTemp(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A fresh copy of examples/plugin (without build leftovers) in a temp dir. */
export async function copyExample(): Promise<string> {
  const dir = path.join(await tempDir(), 'plugin');
  await cp(EXAMPLE_PLUGIN, dir, {
    recursive: true,
    filter: (src) => !/[\\/](dist|build|__pycache__|[^\\/]+\.egg-info)$/.test(src),
  });
  return dir;
}

export async function edit(file: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  await writeFile(file, after);
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `python3 -m build` offline; returns the output directory. Throws with the build log on failure. */
export async function build(projectDir: string, opts: { outDir?: string; only?: 'wheel' | 'sdist' } = {}): Promise<string> {
  const outDir = opts.outDir ?? path.join(await tempDir('fapilog-dist-'), 'dist');
  await mkdir(outDir, { recursive: true });
  const args = ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', outDir];
  if (opts.only) args.push(`--${opts.only}`);
  args.push(projectDir);
  const r = await run(PYTHON, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.code !== 0) throw new Error(`python -m build failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return outDir;
}

/** Runs tasks with at most `limit` at once (the machine has 2 cores). */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A minimal but valid wheel, for metadata hatchling would refuse to build. */
export function makeWheel(opts: {
  name?: string;
  version?: string;
  headers?: string[];
  description?: string;
  entryPoints?: string | null;
}): { filename: string; data: Uint8Array } {
  const name = opts.name ?? 'fapilog-stdout-json';
  const version = opts.version ?? '1.0.0';
  const dist = `${name.replace(/-/g, '_')}-${version}`;
  const headers = opts.headers ?? [
    'Requires-Dist: fapilog<0.20,>=0.14',
    'License-Expression: MIT',
    'Project-URL: Repository, https://github.com/o/r',
    'Description-Content-Type: text/markdown',
  ];
  const metadata =
    [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, 'Summary: constructed', ...headers].join('\n') +
    `\n\n${opts.description ?? '# constructed\n\nA constructed wheel.\n'}`;
  const files: Record<string, Uint8Array> = {
    [`${dist}.dist-info/METADATA`]: strToU8(metadata),
    [`${dist}.dist-info/WHEEL`]: strToU8('Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n'),
    [`${name.replace(/-/g, '_')}/__init__.py`]: strToU8(''),
  };
  const ep = opts.entryPoints === undefined ? '[fapilog.sinks]\nx = pkg:X\n' : opts.entryPoints;
  if (ep !== null) files[`${dist}.dist-info/entry_points.txt`] = strToU8(ep);
  files[`${dist}.dist-info/RECORD`] = strToU8(recordOf(files, `${dist}.dist-info/RECORD`));
  return { filename: `${dist}-py3-none-any.whl`, data: zipSync(files) };
}

/** A wheel's RECORD for these entries (sha256, size), RECORD itself listed without a hash. */
export function recordOf(files: Record<string, Uint8Array>, recordName: string): string {
  const lines = Object.entries(files)
    .filter(([name]) => name !== recordName)
    .map(([name, data]) => `${name},sha256=${createHash('sha256').update(data).digest('base64url')},${data.length}`);
  return [...lines, `${recordName},,`, ''].join('\n');
}
