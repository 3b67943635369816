/**
 * The CLI loads the embedded marketplace only when `demo` (or `serve`) runs: every other command
 * must start without node:sqlite (an experimental module that warns) or anything under server/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Imports `target` in a fresh Node process (and, when it exports `loadCommands`, loads every
 * command with it, as `--help` does) and returns every module URL that got resolved.
 */
async function modulesLoadedBy(target: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
    const m = await import(process.argv[1]);
    if (typeof m.loadCommands === 'function') await m.loadCommands();
    process.stdout.write(JSON.stringify(seen));
  `;
  const targetUrl = pathToFileURL(`${ROOT}${target}`).href;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, targetUrl], {
    cwd: ROOT,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as string[];
}

test('loading every command of the CLI (as --help does) loads neither server/ nor node:sqlite', async () => {
  const seen = await modulesLoadedBy('src/cli/commands/index.ts');
  assert.ok(
    seen.some((u) => u.endsWith('/src/cli/commands/demo.ts')),
    `demo.ts is among the loaded modules:\n${seen.join('\n')}`,
  );
  const server = seen.filter((u) => u === 'node:sqlite' || u.includes('/server/'));
  assert.deepEqual(server, [], 'the server is imported lazily, inside the commands that run it');
});
