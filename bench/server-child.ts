/**
 * A server in a child process, for the load benchmarks (web-load, server-load): the load generator
 * and the server must not share one event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './marketplace.ts';

/**
 * `node` arguments for `serve` from the TypeScript sources (a long-running server) on a data dir,
 * or on PostgreSQL with `databaseUrl` (the data dir then holds release files), with a rate limit
 * no bench reaches; `profileDir`: under --cpu-prof, the profile written there.
 */
export function serveArgs(dataDir: string, opts: { databaseUrl?: string; profileDir?: string } = {}): string[] {
  return [
    ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []),
    path.join('src', 'cli', 'main.ts'),
    'serve',
    ...(opts.databaseUrl ? ['--database-url', opts.databaseUrl] : []),
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--quiet',
    '--rate-limit',
    '1000000',
  ];
}

/** Starts `node <args>` and resolves with the first http:// URL it prints. */
export async function startChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${err.slice(0, 500)}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err.slice(0, 500)}`)));
  });
  return { url, child };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A script (for `node --input-type=module -e`) that serves `dataDir` as `serve` would, without a
 * rate limit; with `cache: false` the response cache is off, so every request does the work.
 */
export function marketplaceScript(dataDir: string, { cache }: { cache: boolean }): string {
  const index = pathToFileURL(path.join(REPO_ROOT, 'server', 'index.ts')).href;
  const options =
    `dataDir: ${JSON.stringify(dataDir)}, rateLimit: { limit: 1e9, windowSeconds: 60 }` + (cache ? '' : ', responseCache: false');
  return `const { createMarketplace } = await import(${JSON.stringify(index)});
const m = await createMarketplace({ ${options} });
console.log(await m.listen(0, '127.0.0.1'));
process.once('SIGTERM', () => m.close().then(() => process.exit(0)));`;
}
