/**
 * A plain static Python package index: real wheels built with Debian's hatchling from a catalog
 * (build_index.py), with PEP 658 `.metadata` files beside them, served by `python3 -m http.server`
 * on 127.0.0.1 (a free port). What a devpi or a directory behind nginx looks like to a client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CATALOG_FILE } from './server.ts';

const PYTHON = '/usr/bin/python3';
const BUILDER = fileURLToPath(new URL('./build_index.py', import.meta.url));

export interface StaticIndex {
  /** http://127.0.0.1:PORT/simple/ */
  url: string;
  dir: string;
  /** Wheel file names per project. */
  wheels: Record<string, string[]>;
  stop(): Promise<void>;
}

export async function startStaticIndex(opts: { catalog?: string; metadataFiles?: boolean } = {}): Promise<StaticIndex> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-static-index-'));
  const args = [BUILDER, opts.catalog ?? CATALOG_FILE, dir, ...(opts.metadataFiles === false ? ['--no-metadata'] : [])];
  const { stdout } = await promisify(execFile)(PYTHON, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  const wheels = JSON.parse(stdout) as Record<string, string[]>;
  const child: ChildProcess = spawn(PYTHON, ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${seen}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      seen += d;
      const m = /port (\d+)/.exec(seen);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`http.server exited (${code}): ${seen}`)));
  });
  // The access log goes to stderr: drained so the pipe never fills.
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    dir,
    wheels,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
