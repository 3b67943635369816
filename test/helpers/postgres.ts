/**
 * A real PostgreSQL (Debian's `postgresql` package) for the tests: initdb and pg_ctl in a temp
 * directory on a free 127.0.0.1 port, run as the `postgres` user (both refuse root), stopped when
 * the process exits. One cluster per test process; each server gets a fresh database in it.
 *
 * FAPILOG_TEST_DATABASE=postgres makes startTestServer (server.ts) use it: the server suite's
 * PostgreSQL leg. FAPILOG_TEST_PG_URL=postgres://…/postgres uses a running server instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env['FAPILOG_TEST_PG_BIN'] ?? findBin();

function findBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? path.join(root, versions[0], 'bin') : '';
}

export function testStore(): 'sqlite' | 'postgres' {
  return process.env['FAPILOG_TEST_DATABASE'] === 'postgres' ? 'postgres' : 'sqlite';
}

export interface PgCluster {
  /** Admin URL (database `postgres`). */
  url: string;
  port: number;
  dir: string;
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>;
  /** pg_ctl stop (fast) / start again on the same port and data. */
  stop(): void;
  start(): void;
}

let shared: Promise<PgCluster> | null = null;

/** The process's cluster (started on first use). */
export function sharedCluster(): Promise<PgCluster> {
  shared ??= process.env['FAPILOG_TEST_PG_URL'] ? Promise.resolve(external(process.env['FAPILOG_TEST_PG_URL'])) : startCluster();
  return shared;
}

function asPostgres(args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

function run(args: string[], opts: { timeout?: number } = {}): void {
  const [cmd, ...rest] = asPostgres(args);
  const r = spawnSync(cmd!, rest, { encoding: 'utf8', timeout: opts.timeout ?? 60_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let databases = 0;

async function createDatabaseAt(adminUrl: string): Promise<string> {
  const name = `fapilog_test_${process.pid}_${++databases}_${Date.now() % 100_000}`;
  // Loaded here: the SQLite leg (every startTestServer) never needs the driver.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function external(url: string): PgCluster {
  return {
    url,
    port: Number(new URL(url).port || 5432),
    dir: '',
    createDatabase: () => createDatabaseAt(url),
    stop: () => {
      throw new Error('an external PostgreSQL (FAPILOG_TEST_PG_URL) is not stopped by tests');
    },
    start: () => undefined,
  };
}

export async function startCluster(): Promise<PgCluster> {
  if (!BIN) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql; node scripts/test-deps.ts does it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-pg-'));
  fs.chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  run([path.join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    timeout: 120_000,
  });
  const port = await freePort();
  const logFile = path.join(dir, 'log');
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB`;
  const start = () => run([path.join(BIN, 'pg_ctl'), '-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => run([path.join(BIN, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  let stopped = false;
  // Synchronous: the cluster goes with the test process however it ends.
  process.once('exit', () => {
    if (!stopped)
      spawnSync(
        asPostgres([path.join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'])[0]!,
        asPostgres([path.join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']).slice(1),
      );
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dir,
    createDatabase: () => createDatabaseAt(url),
    stop: () => {
      stop();
      stopped = true;
    },
    start: () => {
      start();
      stopped = false;
    },
  };
}

/** A fresh database for one test server, when the suite runs its PostgreSQL leg. */
export async function testDatabaseUrl(): Promise<string | undefined> {
  if (testStore() !== 'postgres') return undefined;
  return (await sharedCluster()).createDatabase();
}
