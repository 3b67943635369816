/**
 * The npm package as a user gets it: `npm pack` in this checkout (prepack builds, postpack
 * cleans), the tarball installed into an empty project in a temp directory, and the installed
 * `fapilog-plugins` run from there, outside the checkout, on this Node 24: `--version`,
 * `outdated` against the reference server, `serve`, `demo`; its type declarations compiled by a
 * consumer. What the installed CLI prints is compared with what the sources print for the same
 * input, so the package is held to the checkout rather than to numbers written here. The bot
 * runs from the same install (production dependencies only): `bot sweep` and the webhook server
 * against the GitHub peer.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { cleanEnv, findOlderNode } from './helpers.ts';
import { createHmac, randomUUID } from 'node:crypto';
import net from 'node:net';
import { GitHubPeer } from '../bot/github-peer.ts';
import { aimAt, example, SMALL } from '../bot/harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let tmp: string;
let project: string;
let installed: string;
let bin: string;
let packedFiles: string[];
let server: TestServer;

/** Runs a command to completion; throws with its output when it fails. */
function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The installed CLI, run by this Node 24 from the temp project (outside the checkout). Asynchronous:
 * the reference server it talks to runs in this process, so a blocking spawn would starve it.
 */
function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { cwd: project, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The files npm build leaves beside the sources (scripts/build.ts): none once postpack has run. */
function builtFilesInCheckout(): string[] {
  const out: string[] = [];
  for (const dir of ['src', 'server', 'bot']) {
    for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(js|d\.ts)$/.test(entry.name)) out.push(path.join(entry.parentPath, entry.name));
    }
  }
  return out;
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fapilog-pack-'));
  const packDir = path.join(tmp, 'pack');
  mkdirSync(packDir);
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', packDir], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = packed[0]?.filename ?? assert.fail('npm pack printed no tarball');
  packedFiles = packed[0]!.files.map((f) => f.path).sort();
  // An empty project, far from the checkout: what someone who never cloned this repository has.
  project = path.join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), '{ "name": "empty-project", "private": true }\n');
  sh('npm', ['install', '--no-audit', '--no-fund', path.join(packDir, tarball)], project);
  installed = path.join(project, 'node_modules', PKG.name);
  bin = path.join(project, 'node_modules', '.bin', 'fapilog-plugins');
  server = await startTestServer({ seed: true });
});

after(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed and installed package', () => {
  test('holds compiled JavaScript and declarations for every shipped source, no TypeScript, and leaves the checkout clean', () => {
    const sources = execFileSync('git', ['ls-files', 'src', 'server'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.startsWith('src/action/'));
    assert.ok(sources.length > 20);
    for (const source of sources) {
      assert.ok(packedFiles.includes(source.replace(/\.ts$/, '.js')), `${source} compiled`);
      assert.ok(packedFiles.includes(source.replace(/\.ts$/, '.d.ts')), `${source} declared`);
    }
    assert.deepEqual(
      packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
    );
    assert.deepEqual(
      packedFiles.filter((f) => /^(test|bench|dist|scripts|src\/action)\//.test(f)),
      [],
    );
    // The bot, compiled like the rest, its app manifest and its settings' example.
    for (const f of ['bot/main.js', 'bot/main.d.ts', 'bot/app.js', 'app.yml', '.env.example']) assert.ok(packedFiles.includes(f), f);
    assert.ok(packedFiles.includes('bin/fapilog-plugins.js'));
    // The bundled CLI the bin runs (scripts/cli-bundle.ts): its entry, chunks and the README worker.
    for (const f of ['lib/cli/main.js', 'lib/cli/markdown-worker.js']) assert.ok(packedFiles.includes(f), f);
    assert.ok(packedFiles.filter((f) => f.startsWith('lib/cli/')).length > 10, 'the bundle is split into chunks');
    assert.ok(packedFiles.includes('examples/catalog/catalog.json'));
    // The sources stay the only thing in src/ and server/ (all .js and .d.ts there are build output).
    assert.deepEqual(builtFilesInCheckout(), []);
    assert.equal(existsSync(path.join(ROOT, 'lib', 'cli')), false, 'postpack removed the bundle');
    assert.equal(
      execFileSync(
        'git',
        ['ls-files', 'src/**/*.js', 'src/**/*.d.ts', 'server/**/*.js', 'server/**/*.d.ts', 'bot/**/*.js', 'bot/**/*.d.ts'],
        { cwd: ROOT, encoding: 'utf8' },
      ),
      '',
    );
  });

  test('package.json: public, Node 24, a bin, and exports that all resolve to installed files', () => {
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['private'], undefined);
    assert.deepEqual(manifest['engines'], { node: '>=24' });
    assert.deepEqual(manifest['bin'], { 'fapilog-plugins': 'bin/fapilog-plugins.js' });
    for (const [subpath, target] of Object.entries(PKG.exports)) {
      const files = typeof target === 'string' ? [target] : Object.values(target as Record<string, string>);
      for (const file of files) assert.ok(existsSync(path.join(installed, file)), `exports[${subpath}] -> ${file}`);
    }
  });

  test('the bin runs the bundle, and a command loads only its own chunks: `outdated` none of the server, publish or the bot', async () => {
    // A load hook in the child records every file Node loads; esbuild's `// path` comments (the
    // bundle is not minified) name the modules each chunk holds.
    const hook = path.join(tmp, 'record-loads.mjs');
    const record = path.join(tmp, 'loaded.txt');
    writeFileSync(
      hook,
      [
        "import module from 'node:module';",
        "import fs from 'node:fs';",
        'const seen = [];',
        'module.registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } });',
        'const builtinsAtStart = new Set(process.moduleLoadList);',
        'const builtinsSince = () => process.moduleLoadList.filter((m) => !builtinsAtStart.has(m));',
        `process.on('exit', () => fs.writeFileSync(${JSON.stringify(record)}, [...seen, ...builtinsSince()].join('\\n')));`,
      ].join('\n'),
    );
    const modulesLoaded = async (
      argv: string[],
      env: NodeJS.ProcessEnv = {},
    ): Promise<{ files: string[]; modules: string[]; builtins: string[] }> => {
      const r = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, bin, ...argv], {
          cwd: project,
          env: cleanEnv(env),
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
      assert.ok(r === 0 || r === 1, `${argv.join(' ')} exited ${r}`);
      const lines = readFileSync(record, 'utf8').split('\n');
      const files = lines.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
      const builtins = lines.filter((u) => u.startsWith('NativeModule ')).map((u) => u.slice('NativeModule '.length));
      const modules = files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/^\/\/ ((?:src|server|bot|node_modules)\/\S+)$/gm)].map((m) => m[1]!),
      );
      return { files, modules, builtins };
    };
    const app = path.join(tmp, 'lazy-service');
    mkdirSync(app);
    writeFileSync(path.join(app, 'requirements.txt'), 'fapilog==0.16.0\nfapilog-otel==1.1.0\n');
    const outdated = await modulesLoaded(['outdated', app, '--json'], {
      FAPILOG_MARKETPLACE_URL: server.apiUrl,
      FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'lazy-cache'),
    });
    const ours = outdated.files.filter((f) => f.startsWith(installed));
    // Nothing of the tsc output (src/**/*.js): the bin, then lib/cli/ alone.
    assert.deepEqual(
      ours.filter((f) => !f.startsWith(path.join(installed, 'lib', 'cli')) && f !== path.join(installed, 'bin', 'fapilog-plugins.js')),
      [],
    );
    assert.ok(outdated.modules.includes('src/core/python/scan.ts'), 'the scan came from the bundle');
    assert.ok(outdated.modules.includes('src/core/marketplace/schemas.ts'), "the client's schemas came from the bundle");
    for (const prefix of [
      'server/',
      'bot/',
      'src/core/publish/flow.ts',
      'src/core/publish/rules.ts',
      'src/cli/commands/serve.ts',
      'node_modules/tar/',
      'node_modules/probot/',
    ]) {
      assert.deepEqual(
        outdated.modules.filter((m) => m.startsWith(prefix)),
        [],
        `outdated loads no ${prefix}`,
      );
    }
    // Built-in modules come from process.getBuiltinModule, not an ES import whose namespace would
    // read every export: node:crypto's `webcrypto` getter loads WebCrypto, which outdated never uses.
    assert.ok(outdated.builtins.includes('internal/http'), 'the record holds the built-in modules loaded');
    assert.deepEqual(
      outdated.builtins.filter((m) => m === 'internal/crypto/webcrypto' || m === 'internal/fs/streams'),
      [],
    );
    // zod is bundled with its English messages only (scripts/cli-bundle.ts).
    assert.deepEqual(
      outdated.modules.filter((m) => /zod\/v4\/locales\/(?!en\.js)/.test(m)),
      [],
    );
    // `--version` registers every command (commander's help needs them all) but runs none: the
    // server and the bot load only when `serve`, `demo`, `admin` or `bot` runs.
    const version = await modulesLoaded(['--version']);
    assert.ok(version.modules.includes('src/cli/commands/serve.ts'));
    assert.deepEqual(
      version.modules.filter((m) => m.startsWith('server/') || m.startsWith('bot/')),
      [],
    );
  });

  test('--version prints the package version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${PKG.version}\n`);
    assert.equal(r.code, 0);
  });

  test('the entry points load in a plain Node program: run() of the CLI and the npx hint', async () => {
    const script = [
      `import { run } from '${PKG.name}/cli';`,
      `import { checkProject } from '${PKG.name}';`,
      `import { createMarketplace } from '${PKG.name}/server';`,
      `import { npxCommand } from './node_modules/${PKG.name}/src/core/render/npx.js';`,
      `console.log(typeof run, typeof checkProject, typeof createMarketplace, npxCommand('update', 'fapilog-otel'));`,
    ].join('\n');
    writeFileSync(path.join(project, 'entry.mjs'), script);
    const out = sh(process.execPath, ['entry.mjs'], project);
    assert.equal(out, `function function function npx ${PKG.name}@${PKG.version} update fapilog-otel\n`);
  });

  test('outdated against the reference server prints what the sources print', async () => {
    const app = path.join(tmp, 'service');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'pyproject.toml'),
      [
        '[project]',
        'name = "service"',
        'version = "1.0.0"',
        'dependencies = [',
        '    "fapilog==0.16.0",',
        '    "fapilog-loki>=1.4.0",',
        '    "fapilog-otel~=1.1",',
        '    "fapilog-request-context==0.4.0",',
        ']',
        '',
      ].join('\n'),
    );
    for (const format of [['--json'], []]) {
      const env = { FAPILOG_MARKETPLACE_URL: server.apiUrl, FAPILOG_MARKETPLACE_CACHE: mkdtempSync(path.join(tmp, 'cache-')) };
      const packaged = await cli([...format, 'outdated', app], env);
      const source = await runCli([...format, 'outdated', app], {
        cwd: project,
        env: { ...env, FAPILOG_MARKETPLACE_CACHE: mkdtempSync(path.join(tmp, 'cache-')) },
      });
      assert.equal(packaged.stderr, source.stderr);
      assert.equal(packaged.stdout, source.stdout);
      assert.equal(packaged.code, source.code);
    }
    const report = JSON.parse(
      (
        await cli(['--json', 'outdated', app], {
          FAPILOG_MARKETPLACE_URL: server.apiUrl,
          FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'cache-json'),
        })
      ).stdout,
    ) as {
      plugins: { package: string; status: string }[];
    };
    // The marketplace answered: every plugin of the service is known to the seeded catalog.
    assert.deepEqual(report.plugins.map((p) => p.package).sort(), ['fapilog-loki', 'fapilog-otel', 'fapilog-request-context']);
    assert.ok(
      report.plugins.every((p) => p.status !== 'unknown'),
      JSON.stringify(report.plugins),
    );
  });

  test('serve starts from the package, listens, answers like the reference server, and stops on SIGTERM', async () => {
    const dataDir = path.join(tmp, 'serve-data');
    const child = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--seed',
        path.join(installed, 'examples', 'catalog', 'catalog.json'),
        '--quiet',
      ],
      { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${stdout}\n${stderr}`)));
      });
      for (const route of ['/api/v1/fapilog/versions', '/api/v1/plugins?per_page=100']) {
        const [mine, reference] = await Promise.all([fetch(url + route), fetch(server.url + route)]);
        assert.equal(mine.status, 200, route);
        assert.deepEqual(await mine.json(), await reference.json(), route);
      }
      assert.ok(existsSync(dataDir), 'the data dir was created');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /received SIGTERM, shutting down/);
  });

  test('demo runs on the sample app and catalog shipped in the package', async () => {
    const normalise = (text: string) =>
      text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/^\$ fapilog-plugins outdated .*$/m, '$ fapilog-plugins outdated APP');
    const env = { FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'demo-cache') };
    const packaged = await cli(['demo'], env);
    const source = await runCli(['demo'], { cwd: project, env });
    assert.equal(packaged.code, 0, packaged.stderr);
    assert.match(packaged.stdout, /\$ fapilog-plugins outdated node_modules\/fapilog-plugins\/examples\/app\n/);
    assert.equal(normalise(packaged.stdout), normalise(source.stdout));
    assert.equal(packaged.stderr, source.stderr);
  });

  test('the type declarations: a TypeScript consumer compiles, and a misuse is caught', () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const consumer = path.join(tmp, 'consumer');
    mkdirSync(consumer);
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2024',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      },
      files: ['good.ts', 'bad.ts'],
    };
    writeFileSync(path.join(consumer, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(
      path.join(consumer, 'good.ts'),
      [
        `import { checkProject, type CheckOptions } from '${PKG.name}';`,
        `import { run } from '${PKG.name}/cli';`,
        `import { createMarketplace } from '${PKG.name}/server';`,
        `import { decide } from '${PKG.name}/analysis';`,
        `export const code: Promise<number> = run(['--version']);`,
        `export type Opts = CheckOptions;`,
        `export { checkProject, createMarketplace, decide };`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(consumer, 'bad.ts'), `import { run } from '${PKG.name}/cli';\nexport const n: string = run(['--version']);\n`);
    // The consumer's node_modules is the installed project's.
    rmSync(path.join(consumer, 'node_modules'), { force: true, recursive: true });
    execFileSync('ln', ['-s', path.join(project, 'node_modules'), path.join(consumer, 'node_modules')]);
    const r = spawnSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    const errors = (r.stdout + r.stderr).trim().split('\n').filter(Boolean);
    // Only the deliberate misuse: Promise<ExitCode> is not a string. Types that failed to resolve
    // would be `any` and let it through, or fail good.ts.
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^bad\.ts\(2,14\): error TS2322: Type 'Promise<.*>' is not assignable to type 'string'/);
  });

  test('on Node < 24 the installed CLI prints one line and exits 2', () => {
    const old = findOlderNode();
    for (const argv of [['--version'], ['serve']]) {
      const r = spawnSync(old.path, [bin, ...argv], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
      assert.equal(r.stderr, `fapilog-plugins needs Node.js 24 or newer (this is ${old.version})\n`);
      assert.equal(r.stdout, '');
      assert.equal(r.status, 2);
    }
  });

  test('the installed npx hint names the installed release', async () => {
    const mod = (await import(pathToFileURL(path.join(installed, 'src', 'core', 'render', 'npx.js')).href)) as { NPX_PACKAGE: string };
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { name: string; version: string };
    assert.equal(mod.NPX_PACKAGE, `${manifest.name}@${manifest.version}`);
  });
});

/** A free port on 127.0.0.1 (Probot takes PORT=0 for its default, 3000). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('the bot from the installed package, production dependencies only', () => {
  let peer: GitHubPeer;
  let botEnv: NodeJS.ProcessEnv;
  before(async () => {
    peer = new GitHubPeer();
    await peer.start();
    botEnv = {
      APP_ID: String(peer.appId),
      PRIVATE_KEY: peer.privateKey,
      WEBHOOK_SECRET: 'pack-secret',
      GHE_HOST: peer.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'fatal',
      FAPILOG_MARKETPLACE_URL: server.apiUrl,
      FAPILOG_BOT_WRITE_SPACING_MS: '0',
    };
  });
  after(async () => {
    await peer?.stop();
  });

  test('npm installed the production dependencies the bot needs, and none of the development ones', () => {
    const modules = path.join(project, 'node_modules');
    for (const name of ['probot', 'ioredis', 'bottleneck', 'yaml']) {
      assert.ok(PKG.dependencies[name], `${name} is a production dependency`);
      assert.ok(existsSync(path.join(modules, name, 'package.json')), `${name} installed`);
    }
    for (const name of ['typescript', '@vercel/ncc', '@actions/core', '@actions/github', '@actions/exec', 'fast-check', 'node']) {
      assert.ok(PKG.devDependencies[name], `${name} is a devDependency`);
      assert.ok(!existsSync(path.join(modules, name, 'package.json')), `${name} not installed for users`);
    }
  });

  test('`bot sweep` sweeps every installation against the GitHub peer and exits 0', async () => {
    const inst = peer.addInstallation('acme');
    peer.addRepo(inst, 'acme/sweep-me', { 'requirements.txt': SMALL });
    const r = await cli(['bot', 'sweep'], botEnv);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^acme\/sweep-me: /m);
    const [pr] = peer.pulls('acme/sweep-me', 'open');
    assert.ok(pr, 'a pull request was opened');
    assert.match(pr.title, /fapilog-otel/);
    assert.equal(
      peer.file('acme/sweep-me', 'fapilog-plugins/fapilog-otel', 'requirements.txt')?.toString(),
      'fapilog==0.16.0\nfapilog-otel==2.0.0\n',
    );
  });

  test('`bot sweep` without the app credentials: one line, exit 2', async () => {
    const r = await cli(['bot', 'sweep'], { FAPILOG_MARKETPLACE_URL: server.apiUrl });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'fapilog-plugins bot: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set\n');
  });

  test('`bot` serves webhooks: a signed push syncs the repository, a forged one is refused', async () => {
    const inst = peer.addInstallation('acme-hooks');
    peer.addRepo(inst, 'acme-hooks/svc', { 'requirements.txt': SMALL });
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'bot'], {
      cwd: project,
      env: cleanEnv({ ...botEnv, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => void (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let ready = false;
      for (let i = 0; i < 400 && !ready && child.exitCode === null; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/ping`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(ready, `the bot did not start: ${output}`);
      const payload = aimAt(
        example('push', (p) => Array.isArray(p.commits)),
        peer,
        'acme-hooks/svc',
        inst,
      );
      payload.ref = 'refs/heads/main';
      payload.deleted = false;
      payload.commits = [{ ...(payload.commits[0] ?? {}), added: [], removed: [], modified: ['requirements.txt'] }];
      const body = JSON.stringify(payload);
      const send = (signature: string) =>
        fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': signature,
          },
        });
      assert.equal((await send(`sha256=${'0'.repeat(64)}`)).status, 400);
      assert.equal(peer.pulls('acme-hooks/svc').length, 0);
      const ok = await send(`sha256=${createHmac('sha256', 'pack-secret').update(body).digest('hex')}`);
      assert.equal(ok.status, 200, output);
      assert.equal(peer.pulls('acme-hooks/svc', 'open').length, 1, output);
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
  });

  test('`bot` without APP_ID and without app.yml names the shipped app.yml, exit 2', async () => {
    const r = await cli(['bot'], {});
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /APP_ID is not set\. To register the GitHub App, run this from a directory holding app\.yml \(cp .*node_modules\/fapilog-plugins\/app\.yml \.\)/,
    );
  });
});
