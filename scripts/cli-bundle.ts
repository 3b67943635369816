/**
 * The CLI the npm package runs: src/cli/main.ts bundled by esbuild into lib/cli/, one ESM entry
 * (main.js) and the chunks its `import()`s load, so that a command loads only its own code
 * (`outdated` never the server, publish or the bot), and Node reads a few files instead of ~200
 * modules of the tsc output. The library entry points (package.json `exports`) stay the tsc output.
 *
 * - Flat output: chunks sit beside main.js and beside `markdown-worker.js` (the web catalog's
 *   README worker, an entry of its own), which server/web/readme.ts finds relative to its own URL.
 * - External: probot, pg and ioredis (bot and PostgreSQL only; Probot's logger loads worker files
 *   by path), resolved from the package's own dependencies at run time.
 * - Not minified: esbuild's `// path/to/module.ts` comments stay, so a stack trace and the pack
 *   test can tell which of our modules a chunk holds; V8 parses lazily, so the size costs little.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';

export const CLI_BUNDLE_DIR = path.join('lib', 'cli');

/** Packages left to Node's resolution at run time (see above). */
const EXTERNAL = ['probot', 'pg', 'ioredis'];

/**
 * CommonJS dependencies (commander, tar's helpers...) call `require` for Node's built-in modules;
 * in an ESM bundle that needs a real require.
 */
const BANNER = "import { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);";

/**
 * zod's namespace object carries every locale's messages (~340 KB of the ~750 KB zod brings);
 * nothing here calls `z.config()` with another locale, so only English, zod's default, is bundled.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](?:classic|core)[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

export async function bundleCli(root: string, outDir: string = path.join(root, CLI_BUNDLE_DIR)): Promise<Metafile> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/main.ts', 'markdown-worker': 'server/web/markdown-worker.ts' },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    banner: { js: BANNER },
    plugins: [zodEnglishOnly],
    metafile: true,
    logLevel: 'warning',
    sourcemap: false,
  });
  await Promise.all(
    Object.keys(result.metafile.outputs)
      .filter((file) => file.endsWith('.js'))
      .map(async (file) => {
        const abs = path.resolve(root, file);
        const text = await readFile(abs, 'utf8');
        const taken = builtinsOnDemand(text);
        if (taken !== text) await writeFile(abs, taken);
      }),
  );
  return result.metafile;
}

// One static import of a module, as esbuild writes it: `import a from "x";`, `import { b, c as d }
// from "x";`, `import * as e from "x";`, `import a, { b } from "x";`.
const STATIC_IMPORT = /^import ([\w$]+)?(?:, )?(?:\{ ([^}]*) \}|\* as ([\w$]+))? from "([^"]+)";$/gm;

/**
 * Node's built-in modules taken with `process.getBuiltinModule` instead of a static import: an
 * import builds the module's ESM namespace, which reads every export once, lazy getters included
 * (`node:crypto`'s `webcrypto` loads WebCrypto, `node:fs`'s `promises` fs/promises and its streams,
 * `node:http`'s `WebSocket` undici); a destructuring reads only the names the chunk uses. One
 * `outdated` of one service: ~0.1 s less CPU and ~9 MB less memory. Imports are hoisted, so the
 * constants go to the top of the chunk (after the banner), before any of its code runs; through
 * `globalThis`, since a chunk may bind `process` itself (commander imports node:process).
 */
export function builtinsOnDemand(chunk: string): string {
  const taken: string[] = [];
  const rest = chunk.replace(
    STATIC_IMPORT,
    (line, def: string | undefined, named: string | undefined, ns: string | undefined, from: string) => {
      if (!isBuiltin(from) || (def === undefined && named === undefined && ns === undefined)) return line;
      const get = `globalThis.process.getBuiltinModule(${JSON.stringify(from)})`;
      const whole = def ?? ns;
      if (whole !== undefined) taken.push(`const ${whole} = ${get};`);
      if (named !== undefined) {
        const names = named.split(', ').map((n) => n.replace(/^([\w$]+) as ([\w$]+)$/, '$1: $2'));
        taken.push(`const { ${names.join(', ')} } = ${whole ?? get};`);
      }
      return '';
    },
  );
  if (taken.length === 0) return chunk;
  const banner = rest.indexOf(BANNER);
  if (banner < 0) throw new Error('builtinsOnDemand: a chunk without the banner');
  const afterBanner = banner + BANNER.length + 1;
  return `${rest.slice(0, afterBanner)}${taken.join('\n')}\n${rest.slice(afterBanner)}`;
}
