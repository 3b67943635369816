#!/usr/bin/env node
// Runs the compiled CLI when it is built (npm run build), else the TypeScript source:
// Node 24 strips types itself, so a checkout works without a build step.
import { existsSync } from 'node:fs';

const built = new URL('../lib/src/cli/main.js', import.meta.url);
const source = new URL('../src/cli/main.ts', import.meta.url);
await import(existsSync(built) ? built.href : source.href);
