/**
 * Loaded with `--import` into a benchmarked child: at exit, writes the process's own resource
 * usage (CPU time, peak RSS) to the file named by FAPILOG_BENCH_RUSAGE_FILE. Synchronous, since
 * nothing asynchronous runs in an 'exit' listener.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['FAPILOG_BENCH_RUSAGE_FILE'];
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
