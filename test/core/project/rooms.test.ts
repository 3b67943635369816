/**
 * The rooms hold what they say, and every import rule README.md states holds: core never imports
 * a front end; front ends never import each other but for the CLI commands that load server/ or
 * bot/ on demand; the manifest engine, the analysis, the PEP 440 module and the renderers import
 * nothing that touches the disk or runs processes; in src/core only modules whose names say so
 * (disk-*, atomic-file) do, publishing included (it reads the plugin through ProjectFiles, like
 * the rest of the core); the ground floor (PEP 440, ProjectFiles, errors, bytes, LRU, sha256)
 * imports nothing of the project, so the engine and the operations both stand on it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const CORE = path.resolve(import.meta.dirname, '../../../src/core');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IO = /from ['"](?:node:)?(?:fs|fs\/promises|child_process)['"]/;

const REPO = path.resolve(CORE, '../..');
const ROOMS = ['src/core', 'src/cli', 'src/action', 'bot', 'server'] as const;

interface Import {
  from: string;
  /** The room (or top-level folder) the import lands in. */
  to: string;
  spec: string;
  /** `dynamic`: loaded on demand (`await import(...)`); `type`: erased, never loaded. */
  how: 'static' | 'type' | 'dynamic';
}

function roomOf(abs: string): string {
  const rel = path.relative(REPO, abs).split(path.sep).join('/');
  return ROOMS.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? rel.split('/')[0]!;
}

/** Every relative import of every file of a room, static, type-only or dynamic. */
async function importsOf(room: string): Promise<Import[]> {
  const out: Import[] = [];
  for (const f of await sources(path.join(REPO, room))) {
    const text = await readFile(f, 'utf8');
    const re = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]|(typeof\s+)?import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
    for (const m of text.matchAll(re)) {
      const spec = (m[2] ?? m[4])!;
      const how = m[4] ? (m[3] ? 'type' : 'dynamic') : m[1] ? 'type' : 'static';
      out.push({ from: path.relative(REPO, f).split(path.sep).join('/'), to: roomOf(path.resolve(path.dirname(f), spec)), spec, how });
    }
  }
  return out;
}

describe('rooms', () => {
  test('core never imports a front end (the CLI, the Action, the bot, the server)', async () => {
    const imports = await importsOf('src/core');
    assert.ok(imports.length > 100, 'the imports are read');
    assert.deepEqual(
      imports.filter((i) => i.to !== 'src/core').map((i) => `${i.from}: ${i.spec}`),
      [],
    );
  });

  test('front ends never import each other; the CLI loads server/ and bot/ on demand, in the commands that run them', async () => {
    // serve and demo run the server, admin opens its store, bot runs the bot: nothing else loads them.
    const onDemand = /^src\/cli\/commands\/(serve|demo|admin|bot)\.ts$/;
    const crossing: string[] = [];
    let loaded = 0;
    for (const room of ROOMS.filter((r) => r !== 'src/core')) {
      for (const i of await importsOf(room)) {
        if (i.to === room || i.to === 'src/core' || i.how === 'type') continue;
        if (i.how === 'dynamic' && onDemand.test(i.from) && (i.to === 'server' || i.to === 'bot')) loaded += 1;
        else crossing.push(`${i.from} -> ${i.to} (${i.how}): ${i.spec}`);
      }
    }
    assert.deepEqual(crossing, []);
    assert.ok(loaded > 0, 'the CLI does load the server on demand (the rule is exercised)');
  });

  test('ProjectFiles sits below the engine and the operations: files.ts imports nothing, python/ nothing of project/', async () => {
    const engine = await importsOf('src/core/python');
    assert.ok(
      engine.some((i) => i.spec.endsWith('/files.ts')),
      'the engine reads through ProjectFiles',
    );
    assert.deepEqual(
      engine.filter((i) => /\/project\//.test(i.spec)).map((i) => `${i.from}: ${i.spec}`),
      [],
      'the engine imports nothing of the operations',
    );
    for (const name of ['files.ts', 'errors.ts', 'bytes.ts']) {
      const imports = [...(await readFile(path.join(CORE, name), 'utf8')).matchAll(/from ['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
      assert.deepEqual(imports, [], `${name} is ground floor`);
    }
  });

  test('engine, analysis, PEP 440 and renderers import neither node:fs nor node:child_process', async () => {
    const pure = ['python', 'analysis', 'pep440', 'render'];
    const offenders: string[] = [];
    for (const room of pure) {
      for (const f of await sources(path.join(CORE, room))) if (IO.test(await readFile(f, 'utf8'))) offenders.push(path.relative(CORE, f));
    }
    assert.deepEqual(offenders, []);
  });

  test('disk I/O in src/core sits only in modules whose names say so', async () => {
    const users: string[] = [];
    for (const f of await sources(CORE)) {
      const rel = path.relative(CORE, f).split(path.sep).join('/');
      if (IO.test(await readFile(f, 'utf8'))) users.push(rel);
    }
    assert.ok(users.length > 0);
    for (const u of users) assert.match(u, /(^|\/)(disk-[a-z-]+|atomic-file)\.ts$/, `${u} does disk I/O but its name does not say so`);
  });

  test('publishing reads through ProjectFiles: only its disk-* adapter (and the index) picks the disk', async () => {
    const publish = path.join(CORE, 'publish');
    const adapters: string[] = [];
    for (const f of await sources(publish)) {
      const name = path.basename(f);
      const text = await readFile(f, 'utf8');
      if (name.startsWith('disk-')) {
        adapters.push(name);
        continue;
      }
      if (name === 'index.ts') continue;
      assert.doesNotMatch(text, /from ['"][^'"]*disk-[a-z-]+\.ts['"]/, `${name} imports a disk adapter; it should take ProjectFiles`);
    }
    assert.ok(adapters.length > 0);
    for (const reader of ['plan.ts', 'project.ts', 'artifacts.ts', 'bump.ts']) {
      assert.match(
        await readFile(path.join(publish, reader), 'utf8'),
        /\bProjectFiles\b/,
        `${reader} reads the plugin through ProjectFiles`,
      );
    }
  });

  test('the PEP 440 room is the ground floor: it imports nothing else of the project', async () => {
    for (const f of await sources(path.join(CORE, 'pep440'))) {
      const imports = [...(await readFile(f, 'utf8')).matchAll(/from ['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
      for (const i of imports) assert.ok(!i.startsWith('..'), `${path.basename(f)} imports ${i}`);
    }
  });

  test('the shared low-level modules (lru, sha256) import nothing of the project either', async () => {
    for (const name of ['lru.ts', 'sha256.ts']) {
      const imports = [...(await readFile(path.join(CORE, name), 'utf8')).matchAll(/from ['"](\.[^'"]+)['"]/g)].map((m) => m[1] as string);
      assert.deepEqual(imports, [], `${name} imports ${imports.join(', ')}`);
    }
  });

  test("the bot calls the core's operations only through bot/engine.ts", async () => {
    const bot = path.resolve(CORE, '../../bot');
    // The operations: checking, planning, the policy. Types (files.ts, report.ts) are for everyone.
    const operations = /from ['"]\.\.\/src\/core\/(project\/(?!files\.ts)[^'"]+|analysis\/(?!report\.ts)[^'"]+)['"]/;
    const offenders: string[] = [];
    for (const f of await sources(bot)) {
      if (path.basename(f) === 'engine.ts') continue;
      const m = operations.exec(await readFile(f, 'utf8'));
      if (m) offenders.push(`${path.relative(bot, f)}: ${m[1]}`);
    }
    assert.deepEqual(offenders, []);
  });

  test('the server and the core use the one PEP 440 module, not the library directly', async () => {
    const roots = [path.resolve(CORE, '../../server'), path.resolve(CORE, '..')];
    const direct: string[] = [];
    for (const r of roots) {
      for (const f of await sources(r)) {
        const rel = path.relative(path.resolve(CORE, '../..'), f);
        if (rel.startsWith('src/core/pep440/')) continue;
        if (/from ['"]@renovatebot\/pep440['"]/.test(await readFile(f, 'utf8'))) direct.push(rel);
      }
    }
    assert.deepEqual(direct, []);
  });
});
