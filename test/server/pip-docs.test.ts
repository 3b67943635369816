/**
 * docs/private-marketplace.md's pip commands, run as written against the reference marketplace,
 * with a local PEP 503 index (file://) standing in for PyPI: it holds a stand-in `fapilog` and,
 * as an attacker would publish, a `fapilog-loki 99.0`. The plugin-only install fails as the old
 * docs had it (fapilog is not on the private index), the documented two steps and the hash-pinned
 * requirements file work and install the marketplace's release, and the unpinned
 * `--extra-index-url` the warning is about installs the attacker's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DownloadInfo } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, sha256 } from './util.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PIP_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
const DOCS = fs.readFileSync(new URL('../../docs/private-marketplace.md', import.meta.url), 'utf8');

let server: TestServer;
let tmp: string;
let pypi: string;
let fapilogHash: string;
let httpxHash: string;

/** A wheel built by hatchling from a one-module project. */
async function wheel(name: string, version: string, deps: string[] = []): Promise<string> {
  const module = name.replace(/-/g, '_');
  const project = path.join(tmp, `${name}-${version}`);
  fs.mkdirSync(path.join(project, 'src', module), { recursive: true });
  fs.writeFileSync(
    path.join(project, 'pyproject.toml'),
    [
      '[build-system]',
      'requires = ["hatchling"]',
      'build-backend = "hatchling.build"',
      '',
      '[project]',
      `name = "${name}"`,
      `version = "${version}"`,
      `dependencies = ${JSON.stringify(deps)}`,
      '',
      '[tool.hatch.build.targets.wheel]',
      `packages = ["src/${module}"]`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(project, 'src', module, '__init__.py'),
    `ORIGIN = ${JSON.stringify(`${name} ${version} from the PyPI stand-in`)}\n`,
  );
  const dist = path.join(tmp, 'built', `${name}-${version}`);
  await run(PYTHON, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--wheel', '--outdir', dist, project], {
    timeout: 90_000,
  });
  const [built] = fs.readdirSync(dist).filter((f) => f.endsWith('.whl'));
  assert.ok(built, `hatchling built a wheel of ${name} ${version}`);
  return path.join(dist, built);
}

/** A PEP 503 directory index: <root>/<project>/index.html linking each file with its sha256. */
function addToIndex(root: string, project: string, file: string): string {
  const dir = path.join(root, project);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const hash = sha256(new Uint8Array(fs.readFileSync(file)));
  const links = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.whl'))
    .map((f) => `<a href="${f}#sha256=${sha256(new Uint8Array(fs.readFileSync(path.join(dir, f))))}">${f}</a>`);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!DOCTYPE html><html><body>${links.join('\n')}</body></html>\n`);
  return hash;
}

before(async () => {
  server = await startTestServer({ seed: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-pip-docs-'));
  const root = path.join(tmp, 'pypi', 'simple');
  fs.mkdirSync(root, { recursive: true });
  fapilogHash = addToIndex(root, 'fapilog', await wheel('fapilog', '0.16.0'));
  // fapilog-loki's other dependency (the seeded release needs httpx>=0.27).
  httpxHash = addToIndex(root, 'httpx', await wheel('httpx', '0.28.1'));
  addToIndex(root, 'fapilog-loki', await wheel('fapilog-loki', '99.0', ['fapilog']));
  pypi = `${pathToFileURL(root).href}/`;
});
after(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The `pip install` lines of a marked block of the docs, split as a shell would (double quotes only). */
function documented(marker: string): string[][] {
  const start = DOCS.indexOf(`<!-- ${marker}:start`);
  const end = DOCS.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `docs/private-marketplace.md has the ${marker} block`);
  return DOCS.slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('pip install '))
    .map((l) => [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
}

/** Runs a documented command with the example hosts replaced by the test's indexes, into `target`. */
async function pip(argv: string[], target: string, cwd = tmp): Promise<string> {
  const args = argv.map((a) =>
    a.replace('https://plugins.example.internal/simple/', `${server.url}/simple/`).replace('https://pypi.org/simple/', pypi),
  );
  // A command that names no index uses PyPI: here, the stand-in.
  if (!args.includes('--index-url')) args.splice(2, 0, '--index-url', pypi);
  const { stdout } = await run(PYTHON, ['-m', ...args, '--no-cache-dir', '--target', target], { cwd, env: PIP_ENV, timeout: 120_000 });
  return stdout;
}

test('the plugin alone from the private index fails: fapilog is not there', async () => {
  await assert.rejects(
    pip(['pip', 'install', '--index-url', 'https://plugins.example.internal/simple/', 'fapilog-loki==1.4.0'], path.join(tmp, 'site-fails')),
    /No matching distribution found for fapilog/,
  );
});

test('the documented two steps install fapilog from PyPI and the plugin from the marketplace', async () => {
  const commands = documented('pip');
  assert.equal(commands.length, 2);
  const target = path.join(tmp, 'site-steps');
  for (const c of commands) await pip(c, target);
  assert.ok(fs.existsSync(path.join(target, 'fapilog-0.16.0.dist-info')));
  assert.ok(fs.existsSync(path.join(target, 'fapilog_loki-1.4.0.dist-info')), fs.readdirSync(target).join(', '));
});

test("the documented hash-pinned requirements install the marketplace release, and an unpinned --extra-index-url installs the attacker's", async () => {
  const d = DownloadInfo.parse((await getJson(`${server.apiUrl}/plugins/loki/versions/1.4.0/download`)).body);
  // Every requirement pinned with its hash, dependencies included, as pip-compile --generate-hashes writes it.
  fs.writeFileSync(
    path.join(tmp, 'requirements.txt'),
    `fapilog==0.16.0 --hash=sha256:${fapilogHash}\nfapilog-loki==1.4.0 --hash=sha256:${d.sha256}\nhttpx==0.28.1 --hash=sha256:${httpxHash}\n`,
  );
  const [command] = documented('pip-hashes');
  assert.ok(command);
  const pinned = path.join(tmp, 'site-hashes');
  await pip(command, pinned);
  assert.ok(fs.existsSync(path.join(pinned, 'fapilog_loki-1.4.0.dist-info')), fs.readdirSync(pinned).join(', '));

  // What the warning is about: without pins and hashes, the higher version on PyPI wins.
  const confused = path.join(tmp, 'site-confused');
  const out = await pip(['pip', 'install', '--extra-index-url', 'https://plugins.example.internal/simple/', 'fapilog-loki'], confused);
  assert.match(out, /Successfully installed .*fapilog-loki-99\.0/);
  assert.match(DOCS, /\*\*Dependency confusion\.\*\*/);
});
