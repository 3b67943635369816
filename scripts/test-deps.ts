/**
 * First step of `npm test`: makes sure the Debian packages the tests run for real are installed
 * (Python tooling for /usr/bin/python3, the interpreter the tests call; redis-server; chromium;
 * postgresql). What is
 * missing is installed with apt-get when this machine allows it (root, or sudo without a
 * password); otherwise the run stops at once with the one command to run.
 *
 * Packages are checked with dpkg-query (so DPKG_ADMINDIR points it at another database, as the
 * test of this script does). Without dpkg (not Debian or Ubuntu) the tools are checked by what the
 * tests use instead, and a machine that has them from elsewhere passes as it is.
 *
 * Usage: node scripts/test-deps.ts [--check]   (--check: say what is missing and what would run; install nothing)
 * Exit: 0 everything is here (silent), 1 something is missing and was not installed.
 */
import { spawnSync } from 'node:child_process';
import { findOnPath } from '../src/core/project/disk-lock-runner.ts';

interface Need {
  deb: string;
  /** Without dpkg: a Python module /usr/bin/python3 must import, or a command that must be on PATH. */
  module?: string;
  command?: string;
}

const NEEDS: readonly Need[] = [
  { deb: 'python3-build', module: 'build' },
  { deb: 'python3-hatchling', module: 'hatchling' },
  { deb: 'python3-httpx', module: 'httpx' },
  { deb: 'python3-packaging', module: 'packaging' },
  // `python3 -m venv` makes a venv with pip in it only with ensurepip, which Debian ships in python3-venv.
  { deb: 'python3-venv', module: 'ensurepip' },
  { deb: 'python3-pip', module: 'pip' },
  { deb: 'redis-server', command: 'redis-server' },
  // The web catalog's browser tests drive Debian's Chromium through playwright-core (test/server/web/).
  { deb: 'chromium', command: 'chromium' },
  // The PostgreSQL leg of the server suite starts its own cluster with initdb and pg_ctl.
  { deb: 'postgresql', command: 'psql' },
  // bench/server-load.ts (in `npm run bench:quick`, after the tests in CI) loads the server with wrk.
  { deb: 'wrk', command: 'wrk' },
];

/** The interpreter the tests run (test/core/publish/helpers.ts and the others name it). */
const PYTHON = '/usr/bin/python3';

const env = process.env;

/** The first executable called `name` on PATH, as a shell would find it. */
const onPath = (name: string): string | null => findOnPath(name, env);

/** The packages of NEEDS that dpkg does not list as installed. */
function missingDebs(dpkgQuery: string): Need[] {
  // Exit 1 and a line on stderr for each package dpkg has never heard of: those are missing too.
  const result = spawnSync(dpkgQuery, ['-W', '--showformat=${Package} ${db:Status-Status}\\n', ...NEEDS.map((n) => n.deb)], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const installed = new Set(
    (result.stdout ?? '')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => (name ?? '').replace(/:.*$/, '')),
  );
  return NEEDS.filter((n) => !installed.has(n.deb));
}

/** Without dpkg: what the tests would miss, checked by running them (modules) or finding them (commands). */
function missingTools(): Need[] {
  const modules = NEEDS.flatMap((n) => (n.module ? [n.module] : []));
  const probe = 'import importlib.util, sys\nprint(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
  const result = spawnSync(PYTHON, ['-c', probe, ...modules], { encoding: 'utf8', timeout: 20_000 });
  const lacking = new Set(result.status === 0 ? result.stdout.split(/\s+/).filter(Boolean) : modules);
  return NEEDS.filter((n) => (n.module ? lacking.has(n.module) : !onPath(n.command ?? '')));
}

function missingNeeds(): Need[] {
  const dpkgQuery = onPath('dpkg-query');
  return dpkgQuery ? missingDebs(dpkgQuery) : missingTools();
}

type Privilege = 'root' | 'sudo' | 'none';

function privilege(): Privilege {
  if (process.getuid?.() === 0) return 'root';
  const sudo = onPath('sudo');
  if (sudo && spawnSync(sudo, ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0) return 'sudo';
  return 'none';
}

function say(text: string): void {
  process.stderr.write(`test-deps: ${text}\n`);
}

const missing = missingNeeds();
if (missing.length === 0) process.exit(0);

const debs = missing.map((n) => n.deb);
const install = `apt-get install -y ${debs.join(' ')}`;
const apt = onPath('apt-get');
const priv = privilege();
say(`npm test needs Debian packages that are not installed: ${debs.join(' ')}.`);

if (!apt) {
  const tools = missing.map((n) => (n.module ? `Python module ${n.module} for ${PYTHON}` : `${n.command} on PATH`));
  say(`this machine has no apt-get: install what they provide (${tools.join(', ')}), then run npm test again.`);
  process.exit(1);
}
if (priv === 'none') {
  say('this user cannot install them (not root, no sudo without a password). Run this, then npm test again:');
  process.stderr.write(`  sudo apt-get update && sudo ${install}\n`);
  process.exit(1);
}
const prefix = priv === 'sudo' ? 'sudo ' : '';
if (process.argv.includes('--check')) {
  say(`would run (as ${priv}): ${prefix}apt-get update && ${prefix}${install}`);
  process.exit(1);
}

say(`installing them (as ${priv}): ${prefix}apt-get update && ${prefix}${install}`);
function aptGet(args: string[]): void {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, argv] =
    priv === 'sudo'
      ? [onPath('sudo') as string, ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', apt as string, ...args]]
      : [apt as string, args];
  // apt's progress goes to stderr, so that the test run's stdout stays the test report.
  const result = spawnSync(cmd, argv, { env: aptEnv, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    say(`apt-get ${args[0]} failed (exit ${result.status ?? result.signal}). Run this, then npm test again:`);
    process.stderr.write(`  ${prefix}apt-get update && ${prefix}${install}\n`);
    process.exit(1);
  }
}
aptGet(['update', '-qq']);
aptGet(['install', '-y', '-qq', ...debs]);

const still = missingNeeds();
if (still.length > 0) {
  say(`still not installed after apt-get: ${still.map((n) => n.deb).join(' ')}.`);
  process.exit(1);
}
say('installed.');
