/**
 * wrk (Debian's `wrk`, C, one event loop per thread) as a load generator: it needs far less CPU
 * per request than autocannon in the bench's own Node process, so on a 2-core machine more of
 * the cores go to the server being measured. A Lua script cycles the request over the given paths.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface WrkResult {
  reqPerSec: number;
  /** Latency percentiles (ms) from wrk's --latency distribution. */
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** `2.34ms`, `812.00us`, `1.02s` as milliseconds. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unreadable duration ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** Reads wrk's report (with --latency); throws naming what it could not find. */
export function parseWrk(out: string): WrkResult {
  const need = (re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(out);
    if (!m) throw new Error(`wrk: no ${what} in its output:\n${out.slice(0, 800)}`);
    return m;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    reqPerSec: Number(need(/Requests\/sec:\s+([\d.]+)/, 'Requests/sec')[1]),
    p50Ms: ms(need(/^\s+50%\s+(\S+)\s*$/m, '50% latency')[1]!),
    p99Ms: ms(need(/^\s+99%\s+(\S+)\s*$/m, '99% latency')[1]!),
    total: Number(need(/(\d+) requests in /, 'request count')[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errors ? errors.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}

/** `wrk -t<threads> -c<connections> -d<seconds>s --latency` over `paths` (cycled) of `url`. */
export async function wrk(
  url: string,
  paths: readonly string[],
  opts: { connections: number; threads?: number; durationS: number },
): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fapilog-bench-wrk-'));
  try {
    const script = path.join(dir, 'paths.lua');
    await writeFile(
      script,
      [
        `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }`,
        'local i = 0',
        'request = function()',
        '  i = i + 1',
        '  return wrk.format("GET", paths[(i % #paths) + 1])',
        'end',
        '',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      'wrk',
      [`-t${opts.threads ?? 2}`, `-c${opts.connections}`, `-d${opts.durationS}s`, '--latency', '-s', script, url],
      { timeout: (opts.durationS + 30) * 1000 },
    );
    return parseWrk(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
