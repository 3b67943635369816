/**
 * The shared setup of the tests that run the CLI on projects: a marketplace on 127.0.0.1 (the
 * seeded reference server unless the file starts its own) and a temp work directory for the
 * whole file, with fresh copies of examples/app and small hand-written projects inside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { runCli, type CliResult, type RunCliOptions } from './cli.ts';
import { startTestServer } from './server.ts';

export const APP_DIR = fileURLToPath(new URL('../../examples/app', import.meta.url));

export interface Workspace {
  /** The marketplace API base URL; set once the file's `before` hooks have run. */
  readonly apiUrl: string;
  /** The file's temp directory; removed after the file. */
  readonly work: string;
  tempDir(prefix: string): string;
  /** A fresh copy of examples/app. */
  copyApp(): string;
  /** A new directory holding these files (name -> text). */
  project(files: Record<string, string>): string;
  /** The CLI against the marketplace, with a fresh cache directory. */
  cli(args: string[], opts?: RunCliOptions): Promise<CliResult>;
}

export interface WorkspaceOptions {
  /** Start the marketplace; default: the reference server seeded with the demo catalog. */
  marketplace?: () => Promise<{ apiUrl: string; stop(): Promise<void> }>;
}

/** Registers `before`/`after` hooks for the calling test file and returns its workspace. */
export function useWorkspace(name: string, opts: WorkspaceOptions = {}): Workspace {
  let apiUrl: string | undefined;
  let work: string | undefined;
  let stop: (() => Promise<void>) | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the workspace is used before its before() hook ran');
    return value;
  };
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), `fapilog-${name}-test-`));
    const marketplace = await (opts.marketplace ?? (() => startTestServer({ seed: true })))();
    apiUrl = marketplace.apiUrl;
    stop = () => marketplace.stop();
  });
  after(async () => {
    await stop?.();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });
  const ws: Workspace = {
    get apiUrl() {
      return need(apiUrl);
    },
    get work() {
      return need(work);
    },
    tempDir: (prefix) => fs.mkdtempSync(path.join(ws.work, prefix)),
    copyApp() {
      const dir = ws.tempDir('app-');
      fs.cpSync(APP_DIR, dir, { recursive: true });
      return dir;
    },
    project(files) {
      const dir = ws.tempDir('proj-');
      for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
      return dir;
    },
    cli: (args, cliOpts) => runCli(['--marketplace-url', ws.apiUrl, '--cache-dir', ws.tempDir('cache-'), ...args], cliOpts),
  };
  return ws;
}
