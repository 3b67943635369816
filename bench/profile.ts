/**
 * A V8 CPU profile (`node --cpu-prof`) reduced to what a reader needs to see where time goes:
 * self time per function and per source area (our rooms, each dependency, Node internals).
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { markdownTable, fmt } from './lib.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byArea: Array<{ area: string; ms: number }>;
  byFunction: Array<{ fn: string; ms: number }>;
}

/** Per bundle file: the lines where esbuild's `// path/of/module` comments start each module. */
const bundleModules = new Map<string, Array<[number, string]>>();
const BUNDLED = /[\\/](?:\.tmp[\\/]bench-cli-\d+|lib[\\/]cli)[\\/][^\\/]+\.js$/;

/**
 * The module a line of the bundled CLI came from (bench/compiled.ts, scripts/cli-bundle.ts: not
 * minified, so each module's code follows a comment naming its path), as a path in the checkout.
 */
function bundledModule(file: string, line: number, repoRoot: string): string | undefined {
  let marks = bundleModules.get(file);
  if (!marks) {
    marks = [];
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // gone already: attributed to the bundle file itself
    }
    text.split('\n').forEach((l, i) => {
      const m = /^\/\/ ((?:node_modules|src|server|bot)\/\S+)$/.exec(l);
      if (m) marks!.push([i, m[1]!]);
    });
    bundleModules.set(file, marks);
  }
  let found: string | undefined;
  for (const [at, mod] of marks) {
    if (at > line) break;
    found = mod;
  }
  return found === undefined ? undefined : path.join(repoRoot, found);
}

/** Our rooms by folder, node_modules by package, the rest as Node internals / GC / idle. */
export function areaOf(url: string, repoRoot: string, line = 0): string {
  if (!url) return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node internals';
  // Node's type stripping (amaro) and fetch's HTTP parser (llhttp) run as WebAssembly.
  if (url.startsWith('wasm://')) return 'wasm (amaro type stripping, llhttp)';
  let file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  if (BUNDLED.test(file)) file = bundledModule(file, line, repoRoot) ?? file;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (file.startsWith(repoRoot)) {
    // The shipped form the benches build (bench/compiled.ts) counts as the sources it came from.
    const rel = path
      .relative(repoRoot, file)
      .replace(/^\.tmp[\\/]bench-lib-\d+[\\/]/, '')
      .split(path.sep);
    return rel.slice(0, Math.min(3, rel.length - 1)).join('/') || rel[0]!;
  }
  return path.basename(file);
}

export function summarizeProfile(profile: CpuProfile, repoRoot: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    total += ms;
    const area = areaOf(n.callFrame.url, repoRoot, n.callFrame.lineNumber);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const where = n.callFrame.url ? `${area}/${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    byArea: sorted(areas).map(([area, ms]) => ({ area, ms })),
    byFunction: sorted(fns).map(([fn, ms]) => ({ fn, ms })),
  };
}

/** The newest `.cpuprofile` in `dir`, summarised. */
export async function summarizeProfileDir(dir: string, repoRoot: string): Promise<ProfileSummary> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir}`);
  return summarizeProfile(JSON.parse(await readFile(path.join(dir, files.at(-1)!), 'utf8')) as CpuProfile, repoRoot);
}

export function profileTables(s: ProfileSummary, top = 15): string {
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)} %`;
  return [
    `sampled ${fmt(s.totalMs)} ms`,
    '',
    markdownTable(
      ['area (self time)', 'ms', 'share'],
      s.byArea.slice(0, top).map((a) => [a.area, fmt(a.ms), pct(a.ms)]),
    ),
    '',
    markdownTable(
      ['function (self time)', 'ms', 'share'],
      s.byFunction.slice(0, top).map((f) => [f.fn, fmt(f.ms), pct(f.ms)]),
    ),
  ].join('\n');
}
