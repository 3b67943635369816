/**
 * The manifest engine against plain I/O, so the ratio says what parsing costs on top of reading.
 * Per project (examples/app, and the whole fixture corpus test/fixtures/manifests scanned as one
 * tree):
 *   baseline       fs.readFile of exactly the files scanProject reads (list taken beforehand);
 *   discover+read  walking the tree for manifests (discoverFiles) and reading them, no parsing;
 *   scanProject    the real thing: discovery, every reader, includes, lockfiles.
 * And one rewrite of fapilog-request-context in a temp copy of examples/app/pyproject.toml:
 *   baseline       fs.writeFile of the already-edited text (a plain, unsafe write);
 *   rewrite        planSpecifier + applyEdits + writeManifestAtomically (temp file, re-parse,
 *                  verify, rename), the path `update` takes.
 *
 *   npx node bench/manifests.ts [--quick]
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverFiles, scanProject, writeManifestAtomically } from '../src/core/project/index.ts';
import { applyEdits, expectSpecifier, planSpecifier, readManifest } from '../src/core/python/index.ts';
import { banner, compare, iterationsFromArgv, resultTable, tempDir, type CaseResult, type Counters } from './lib.ts';
import { REPO_ROOT } from './marketplace.ts';

const PROJECTS = [
  { label: 'examples/app', root: path.join(REPO_ROOT, 'examples', 'app') },
  { label: 'test/fixtures/manifests', root: path.join(REPO_ROOT, 'test', 'fixtures', 'manifests') },
];

async function scanBench(root: string): Promise<{ results: CaseResult[]; files: number; bytes: number; deps: number }> {
  const first = await scanProject(root);
  const files = [...new Set([...first.manifests.map((m) => m.file), ...first.lockfiles])].map((f) => path.resolve(root, f));
  const bytes = (await Promise.all(files.map((f) => readFile(f)))).reduce((n, b) => n + b.length, 0);
  const deps = first.manifests.reduce((n, m) => n + m.dependencies.length, 0);
  const results = await compare(
    [
      {
        name: 'readFile of the same files (I/O only)',
        async run(): Promise<Counters> {
          let n = 0;
          for (const f of files) n += (await readFile(f, 'utf8')).length;
          return { files: files.length, chars: n };
        },
      },
      {
        name: 'discoverFiles + readFile (walk + I/O)',
        async run(): Promise<Counters> {
          const found = await discoverFiles(root);
          let n = 0;
          for (const f of found) n += (await readFile(f.path, 'utf8')).length;
          return { files: found.length, chars: n };
        },
      },
      {
        name: 'scanProject (walk + I/O + parse)',
        async run(): Promise<Counters> {
          const scan = await scanProject(root);
          return {
            files: scan.manifests.length + scan.lockfiles.length,
            deps: scan.manifests.reduce((n, m) => n + m.dependencies.length, 0),
          };
        },
      },
    ],
    { warmup: 5, iterations: iterationsFromArgv(100), maxMs: 15_000 },
  );
  return { results, files: files.length, bytes, deps };
}

async function rewriteBench(): Promise<CaseResult[]> {
  const source = path.join(REPO_ROOT, 'examples', 'app', 'pyproject.toml');
  const work = await tempDir('rewrite');
  try {
    const target = path.join(work.dir, 'pyproject.toml');
    const original = await readFile(source, 'utf8');
    const dep = readManifest('pyproject.toml', original).dependencies.find((d) => d.name === 'fapilog-request-context');
    if (!dep) throw new Error('examples/app/pyproject.toml no longer requires fapilog-request-context; pick another dependency');
    const plan = planSpecifier(dep, '0.5.0', 'auto');
    if (!plan.edit) throw new Error(`rewriting ${dep.rawSpecifier} for 0.5.0 is a no-op; pick another target`);
    const edited = applyEdits(original, [plan.edit]);
    const reset = async () => copyFile(source, target);
    return await compare(
      [
        {
          name: 'writeFile of the edited text (no checks)',
          setup: reset,
          run: async () => writeFile(target, edited, 'utf8'),
        },
        {
          name: 'read + plan + applyEdits + atomic write',
          setup: reset,
          async run(): Promise<Counters> {
            const text = await readFile(target, 'utf8');
            const d = readManifest('pyproject.toml', text).dependencies.find((x) => x.name === 'fapilog-request-context')!;
            const p = planSpecifier(d, '0.5.0', 'auto');
            const next = applyEdits(text, p.edit ? [p.edit] : []);
            await writeManifestAtomically(target, next, expectSpecifier('fapilog-request-context', p.to));
            return { changed: next === text ? 0 : 1 };
          },
        },
      ],
      { warmup: 5, iterations: iterationsFromArgv(200), maxMs: 10_000 },
    ).then(async (results) => {
      const after = await readFile(target, 'utf8');
      if (after !== edited) throw new Error('the atomic rewrite did not produce the expected text');
      console.log(
        `rewrite: fapilog-request-context ${JSON.stringify(plan.from)} -> ${JSON.stringify(plan.to)} (target 0.5.0, strategy auto)\n`,
      );
      return results;
    });
  } finally {
    await work.remove();
  }
}

async function main(): Promise<void> {
  console.log(banner('manifests: scanning and rewriting vs plain file I/O'));
  for (const p of PROJECTS) {
    const { results, files, bytes, deps } = await scanBench(p.root);
    console.log(`## ${p.label}: ${files} files, ${bytes} bytes, ${deps} dependencies\n`);
    console.log(resultTable(results, ['files', 'deps']));
    console.log();
  }
  console.log('## rewrite of one dependency\n');
  console.log(resultTable(await rewriteBench(), ['changed']));
}

await main();
