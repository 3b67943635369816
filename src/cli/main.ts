#!/usr/bin/env node
import module from 'node:module';

// Node's on-disk compile cache (in the OS temp directory, keyed by file content; NODE_COMPILE_CACHE
// moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off) keeps V8's compiled code and, for the
// TypeScript sources of a checkout, the type-stripped text: a run after the first one starts in
// about half the time. Only modules loaded after this call use it, hence the dynamic import below.
module.enableCompileCache?.();

// `fapilog-plugins list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const { run } = await import('./program.ts');
process.exitCode = await run(process.argv.slice(2));
