#!/usr/bin/env node
// Plain JavaScript without static imports, so that any Node can run this far: an older one gets
// one line and exit 2 instead of a stack trace from type stripping or node:sqlite it lacks.
var major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write('fapilog-plugins needs Node.js 24 or newer (this is ' + process.version + ')\n');
  process.exitCode = 2;
} else {
  // A checkout runs the TypeScript sources (Node 24 strips types); the npm package ships only the
  // bundled CLI, lib/cli/main.js and its chunks (scripts/cli-bundle.ts; Node refuses to strip
  // types in node_modules). Sources first, so that a build left in the checkout never shadows
  // later edits.
  import('node:fs').then(function (fs) {
    var source = new URL('../src/cli/main.ts', import.meta.url);
    return import(fs.existsSync(source) ? source.href : new URL('../lib/cli/main.js', import.meta.url).href);
  });
}
