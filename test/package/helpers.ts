/** Shared by the package tests: an older Node to prove the version gate, and a clean environment. */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';

export interface OlderNode {
  path: string;
  /** e.g. v20.20.2, as process.version prints it. */
  version: string;
}

/**
 * A `node` older than 24 on this machine: the system Node on PATH (node_modules/.bin left out, it
 * holds the node@24 devDependency), or a usual install place. Throws, never skips: without one the
 * version gate would go untested.
 */
export function findOlderNode(): OlderNode {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter((d) => d && !d.split(path.sep).includes('node_modules'));
  const seen = new Set<string>();
  const tried: string[] = [];
  for (const dir of [...dirs, '/usr/local/bin', '/usr/bin', '/bin']) {
    const candidate = path.join(dir, 'node');
    let real: string;
    try {
      accessSync(candidate, constants.X_OK);
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const version = execFileSync(candidate, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    tried.push(`${candidate} ${version}`);
    if (Number(version.replace(/^v/, '').split('.')[0]) < 24) return { path: candidate, version };
  }
  throw new Error(
    `no Node.js older than 24 found (tried: ${tried.join(', ') || 'none'}); the version gate of bin/fapilog-plugins.js ` +
      'needs one to be tested: install the system Node (apt-get install nodejs) or put one on PATH',
  );
}

/** The outer environment without FAPILOG_* and npm's lifecycle variables, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(FAPILOG_|NO_COLOR$|FORCE_COLOR$|npm_lifecycle_|npm_package_|npm_config_local_prefix$|INIT_CWD$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
