/**
 * The manifest engine against Python's own parsers on the same files, in one process each, texts
 * already in memory (file I/O is bench/manifests.ts's subject):
 *   baseline  python3 with packaging + tomllib (Debian's python3-packaging): PEP 508 strings with
 *             packaging.requirements.Requirement, TOML with tomllib, lockfile versions with
 *             packaging.version.Version (bench/engine_python.py)
 *   ours      readManifest / readLockfile: every dependency with its spans, sections, markers,
 *             hashes, Poetry and Pipfile constraints translated to PEP 440
 * and rewrites: one plugin per manifest moved to a new version and the result re-parsed to verify
 * it, in memory. Ours is planSpecifier + applyEdits + readManifest; Python's is a naive text
 * replacement after the package name + a re-parse. Files per second and rewrites per second,
 * ratio ours / Python (above 1 is faster than Python). Inputs: the generated monorepo of
 * bench/monorepo.ts (1,000 services; 100 with --quick).
 *
 *   npx node bench/engine.ts [--quick] [--out FILE]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyEdits, planSpecifier, readLockfile, readManifest } from '../src/core/python/index.ts';
import type { ManifestKind } from '../src/core/python/types.ts';
import { banner, fmt, markdownTable, median, tempDir } from './lib.ts';
import { generateServices, writeServices } from './monorepo.ts';
import { targetTable, writeResults } from './results.ts';

const QUICK = process.argv.includes('--quick');
// Debian's interpreter, whose python3-packaging `npm test` installs (a PATH python3 may be a pyenv one without it).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SERVICES = QUICK ? 100 : 1000;
const PASSES = QUICK ? 3 : 10;
const TARGET_VERSION = '1.9.0';

type Kind = ManifestKind | 'lockfile';

function kindOf(rel: string): Kind {
  const base = path.posix.basename(rel);
  if (['uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock'].includes(base)) return 'lockfile';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'setup.cfg') return 'setup.cfg';
  if (base === 'Pipfile') return 'pipfile';
  return 'requirements';
}

function python(
  job: unknown,
): Promise<{ files: number; deps: number; passSeconds: number[]; rewrites: number; rewritePassSeconds: number[] }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [path.join(import.meta.dirname, 'engine_python.py')],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`python3 failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout));
      },
    );
    child.stdin!.end(JSON.stringify(job));
  });
}

async function main(): Promise<void> {
  console.log(banner('manifest engine vs Python packaging + tomllib, same files, in memory'));
  const work = await tempDir('engine');
  try {
    const services = generateServices({ services: SERVICES, distinct: 50, releases: 5 });
    await writeServices(work.dir, services);
    const files = await Promise.all(
      services
        .flatMap((s) => Object.keys(s.files).map((f) => `${s.dir}/${f}`))
        .map(async (rel) => ({
          rel,
          abs: path.join(work.dir, rel),
          kind: kindOf(rel),
          text: await readFile(path.join(work.dir, rel), 'utf8'),
        })),
    );
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    const parseAll = (): number => {
      let deps = 0;
      for (const f of files) {
        if (f.kind === 'lockfile') deps += readLockfile(f.rel, f.text).length;
        else deps += readManifest(f.rel, f.text, f.kind).dependencies.length;
      }
      return deps;
    };
    // The rewrites: the first plugin of each manifest that has one, to a version no file holds.
    const rewrites = files.flatMap((f) => {
      if (f.kind === 'lockfile') return [];
      const dep = readManifest(f.rel, f.text, f.kind).dependencies.find((d) => d.name.startsWith('fapilog-') && d.specifierSpan);
      return dep ? [{ f, name: dep.name, current: dep.pinned ?? dep.rawSpecifier.replace(/^[=~^<>!]+/, '').replace(/^"|"$/g, '') }] : [];
    });
    const rewriteAll = (): number => {
      let changed = 0;
      for (const r of rewrites) {
        const dep = readManifest(r.f.rel, r.f.text, r.f.kind as ManifestKind).dependencies.find((d) => d.name === r.name)!;
        const plan = planSpecifier(dep, TARGET_VERSION, 'auto');
        const after = applyEdits(r.f.text, plan.edit ? [plan.edit] : []);
        const reread = readManifest(r.f.rel, after, r.f.kind as ManifestKind).dependencies.find((d) => d.name === r.name);
        if (!reread || !reread.rawSpecifier.includes(TARGET_VERSION)) throw new Error(`rewrite of ${r.name} in ${r.f.rel} did not take`);
        changed += after !== r.f.text ? 1 : 0;
      }
      return changed;
    };
    for (let i = 0; i < 2; i++) {
      parseAll();
      rewriteAll();
    }
    const parseTimes: number[] = [];
    const rewriteTimes: number[] = [];
    let deps = 0;
    let changed = 0;
    for (let i = 0; i < PASSES; i++) {
      let t = performance.now();
      deps = parseAll();
      parseTimes.push(performance.now() - t);
      t = performance.now();
      changed = rewriteAll();
      rewriteTimes.push(performance.now() - t);
    }
    const py = await python({
      files: files.map((f) => ({ path: f.abs, kind: f.kind })),
      passes: PASSES,
      rewrites: rewrites.map((r) => ({ path: r.f.abs, kind: r.f.kind, package: r.name, current: r.current, target: TARGET_VERSION })),
    });
    if (py.files !== files.length) throw new Error(`python parsed ${py.files} files, expected ${files.length}`);
    const pyParseMs = median(py.passSeconds) * 1000;
    const pyRewriteMs = median(py.rewritePassSeconds) * 1000;
    const ourParseMs = median(parseTimes);
    const ourRewriteMs = median(rewriteTimes);
    const rows = [
      { name: 'python3 packaging + tomllib (baseline)', parseMs: pyParseMs, deps: py.deps, rewriteMs: pyRewriteMs, rewrites: py.rewrites },
      { name: 'ours: readManifest / readLockfile', parseMs: ourParseMs, deps, rewriteMs: ourRewriteMs, rewrites: changed },
    ];
    console.log(
      `${files.length} files (${(bytes / 1024).toFixed(0)} KB) from ${SERVICES} generated services; ${rewrites.length} rewrites per pass; median of ${PASSES} passes\n`,
    );
    console.log(
      markdownTable(
        ['engine', 'parse pass ms', 'files/s', 'ratio vs baseline', 'deps read', 'rewrite pass ms', 'rewrites/s', 'ratio vs baseline'],
        rows.map((r, i) => [
          r.name,
          fmt(r.parseMs),
          ((files.length * 1000) / r.parseMs).toFixed(0),
          i === 0 ? '1.00 (baseline)' : (pyParseMs / r.parseMs).toFixed(2),
          String(r.deps),
          fmt(r.rewriteMs),
          ((r.rewrites * 1000) / r.rewriteMs).toFixed(0),
          i === 0 ? '1.00 (baseline)' : (pyRewriteMs / r.rewriteMs).toFixed(2),
        ]),
      ),
    );
    console.log(
      '\n(ratio: our speed / Python speed; Python keeps no spans and does not translate Poetry or Pipfile constraints, so it does less work per file)\n',
    );
    const targets = [
      {
        what: 'files parsed per second vs Python',
        value: `${(pyParseMs / ourParseMs).toFixed(2)}x`,
        target: 'reported (no goal set)',
        met: true,
      },
      {
        what: 'rewrites per second vs Python',
        value: `${(pyRewriteMs / ourRewriteMs).toFixed(2)}x`,
        target: 'reported (no goal set)',
        met: true,
      },
    ];
    console.log(targetTable(targets));
    const file = await writeResults('engine', {
      files: files.length,
      bytes,
      passes: PASSES,
      ours: {
        parseMedianMs: ourParseMs,
        filesPerS: (files.length * 1000) / ourParseMs,
        deps,
        rewriteMedianMs: ourRewriteMs,
        rewritesPerS: (changed * 1000) / ourRewriteMs,
      },
      python: {
        parseMedianMs: pyParseMs,
        filesPerS: (files.length * 1000) / pyParseMs,
        deps: py.deps,
        rewriteMedianMs: pyRewriteMs,
        rewritesPerS: (py.rewrites * 1000) / pyRewriteMs,
      },
      targets,
    });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await work.remove();
  }
}

await main();
