/**
 * The line-width habit (140 columns) for what Biome's formatter cannot shorten: a file may not get more lines
 * over 140 characters than it had when the check came in (scripts/line-width-baseline.json). New
 * files start at zero. `--update` writes the baseline from the tree (after lines were shortened).
 * Part of `npm run lint` (in .ci/run), after Biome's formatter, which shortens every line it can; what
 * is left over 140 is strings and comments.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const WIDTH = 140;
const ROOT = path.resolve(import.meta.dirname, '..');
const BASELINE = path.join(ROOT, 'scripts', 'line-width-baseline.json');

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'src', 'server', 'bot', 'test', 'bench', 'scripts'],
  { cwd: ROOT, encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => f.endsWith('.ts'));

const long = new Map<string, number[]>();
for (const f of files) {
  let text: string;
  try {
    text = readFileSync(path.join(ROOT, f), 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  const over = text.split('\n').flatMap((line, i) => ([...line].length > WIDTH ? [i + 1] : []));
  if (over.length > 0) long.set(f, over);
}

if (process.argv.includes('--update')) {
  writeFileSync(
    BASELINE,
    `${JSON.stringify(Object.fromEntries([...long].sort(([a], [b]) => a.localeCompare(b)).map(([f, l]) => [f, l.length])), null, 2)}\n`,
  );
  console.log(
    `line-width: baseline written, ${[...long.values()].reduce((n, l) => n + l.length, 0)} lines over ${WIDTH} in ${long.size} files`,
  );
  process.exit(0);
}

const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, number>;
const worse = [...long].filter(([f, l]) => l.length > (baseline[f] ?? 0));
for (const [f, l] of worse)
  console.error(`${f}: ${l.length} lines over ${WIDTH} characters (allowed ${baseline[f] ?? 0}), lines ${l.join(', ')}`);
if (worse.length > 0) {
  console.error(`line-width: shorten the new lines to ${WIDTH} characters or fewer`);
  process.exit(1);
}
console.log(`line-width: no file has more lines over ${WIDTH} characters than its baseline`);
