/**
 * Loaded with `--import` into a benchmarked child: at exit, writes the process's own resource
 * usage (CPU time, peak RSS) to the file named by FAPILOG_BENCH_RUSAGE_FILE. Synchronous, since
 * nothing asynchronous runs in an 'exit' listener.
 *
 * Peak RSS: on Linux, getrusage's maxrss survives exec, so a child forked from a big parent (the
 * bench, holding a seeded server) would report the parent's size; VmHWM in /proc/self/status
 * belongs to the exec'd image alone, so it is preferred where it exists.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env['FAPILOG_BENCH_RUSAGE_FILE'];
if (file) {
  process.on('exit', () => {
    let vmHWMkB = null;
    try {
      const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) vmHWMkB = Number(m[1]);
    } catch {
      // not Linux: maxRSS it is
    }
    writeFileSync(file, JSON.stringify({ ...process.resourceUsage(), vmHWMkB }));
  });
}
