/**
 * --test-global-setup of the server suite's PostgreSQL leg (`npm run test:pg`): one real
 * PostgreSQL cluster for the whole run (helpers/postgres.ts), its admin URL handed to every test
 * process as FAPILOG_TEST_PG_URL; each test server then gets a fresh database in it.
 */
import { startCluster, type PgCluster } from './postgres.ts';

let cluster: PgCluster | null = null;

export async function globalSetup(): Promise<void> {
  process.env['FAPILOG_TEST_DATABASE'] = 'postgres';
  if (process.env['FAPILOG_TEST_PG_URL']) return;
  cluster = await startCluster();
  process.env['FAPILOG_TEST_PG_URL'] = cluster.url;
}

export async function globalTeardown(): Promise<void> {
  cluster?.stop();
}
