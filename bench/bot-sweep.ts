/**
 * The bot's sweep over 200 repositories (issue 14, scenario 5): GitHub API calls per repository
 * and wall time, against the in-process GitHub peer of the bot's tests (test/bot/github-peer.ts,
 * driven through test/bot/harness.ts: Probot built from the environment, the bot's Octokit, the
 * app loaded) and the reference marketplace on 127.0.0.1 with the demo catalog.
 *
 * Repositories (one installation), each with a manifest of its own bytes (blobs are remembered by
 * SHA across repositories, so identical files would flatter a cold sweep):
 *   quiet   nothing to do, no open issue or pull request at all (a quarter)
 *   busy    nothing to do, one open issue of a person's (a quarter)
 *   one-pr  one plugin with a newer compatible release: one new pull request (half)
 * Three sweeps by one bot process: the first (nothing remembered), the second (the pull requests
 * it opened show up in the lists once), the third (steady state). Per sweep: calls per repository
 * and kind, 304s counted apart (GitHub does not count them against the rate limit), writes, and
 * the calls by endpoint.
 *
 * Baseline: as many bare sequential GETs to the same peer (`GET /repos/{owner}/{repo}` with an
 * installation token, plain fetch, keep-alive) as the sweep sent to it: the HTTP round trips a
 * sweep of that many calls cannot avoid, on the same event loop. The ratio is what the bot adds
 * on top (Octokit, the core's analysis, the marketplace, rendering); the same GETs sent through
 * the installation's Octokit (the bot's: Probot's throttling and retries, ETags) say how much of
 * that is the client alone. Write pacing is off
 * (FAPILOG_BOT_WRITE_SPACING_MS=0, as in the tests); on GitHub each write waits about a second
 * (pull requests 3 s), which the table reports as a floor of its own.
 *
 *   npx node bench/bot-sweep.ts [--quick] [--repos N] [--rounds N] [--out FILE]
 */
import path from 'node:path';
import { startHarness, type Harness } from '../test/bot/harness.ts';
import type { Recorded } from '../test/bot/github-peer.ts';
import { banner, fmt, markdownTable, median } from './lib.ts';
import { startMarketplace, type BenchMarketplace } from './marketplace.ts';
import { argValue, targetTable, writeResults, type Target } from './results.ts';

const QUICK = process.argv.includes('--quick');
const REPOS = Number(argValue('--repos', QUICK ? '20' : '200'));
const ROUNDS = Number(argValue('--rounds', QUICK ? '1' : '2'));
const SWEEPS = ['first sweep', 'second sweep', 'third sweep'] as const;

type Kind = 'quiet' | 'busy' | 'one-pr';
const KINDS: readonly Kind[] = ['quiet', 'busy', 'one-pr'];

function kindOf(i: number): Kind {
  if (i % 2 === 1) return 'one-pr';
  return i % 4 === 0 ? 'quiet' : 'busy';
}

/** fapilog-loki 1.4.0 is current for fapilog 0.16 in the demo catalog; fapilog-otel 1.1.0 has 2.0.0 to move to. */
function manifest(name: string, kind: Kind): string {
  const plugin = kind === 'one-pr' ? 'fapilog-otel==1.1.0' : 'fapilog-loki==1.4.0';
  return `# service ${name}\nfapilog==0.16.0\n${plugin}\n`;
}

/** `GET /repos/{r}/git/trees/{branch}`: the endpoint of a recorded request, without names, SHAs or queries. */
function endpoint(r: Recorded): string {
  const p = r.path
    .replace(/\?.*$/, '')
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{r}')
    .replace(/\/[0-9a-f]{40}$/, '/{sha}')
    .replace(/\/\d+(?=\/|$)/g, '/{n}')
    .replace(/\/git\/trees\/(?!\{sha\})[^/]+$/, '/git/trees/{branch}')
    .replace(/\/branches\/.+$/, '/branches/{branch}')
    .replace(/\/git\/refs\/heads%2F.+$/, '/git/refs/{ref}')
    .replace(/\/git\/matching-refs\/.+$/, '/git/matching-refs/{prefix}');
  return `${r.method} ${p}`;
}

interface KindCount {
  repos: number;
  /** Calls GitHub counts (not 304), per repository: the largest and the median. */
  maxCounted: number;
  medianCounted: number;
  notModifiedPerRepo: number;
  writesPerRepo: number;
}

interface SweepNumbers {
  sweep: string;
  wallMs: number;
  baselineMs: number;
  octokitMs: number;
  githubRequests: number;
  notModified: number;
  writes: number;
  marketplace: Record<string, number>;
  /** Per installation and process: installations, a token, the repository list, the app. */
  overhead: string[];
  byKind: Record<Kind, KindCount>;
  byEndpoint: Record<string, { counted: number; notModified: number }>;
  opened: number;
  failures: number;
}

/**
 * What GitHub's pacing would add at least, in seconds: writes go about 1 s apart, and requests
 * that notify people (pull requests, issues, comments) 3 s apart (bot/octokit.ts, Probot's throttling).
 */
function pacingFloorS(s: SweepNumbers): number {
  const notifying = Object.entries(s.byEndpoint)
    .filter(([e]) => /^POST \/repos\/\{r\}\/(pulls|issues)(\/\{n\}\/comments)?$/.test(e))
    .reduce((n, [, c]) => n + c.counted, 0);
  return Math.max(s.writes, 3 * notifying);
}

/** The same GETs through the installation's Octokit as the bot builds it (throttling, retries, conditional requests). */
async function octokitRequests(
  octokit: { request: (route: string, params: object) => Promise<unknown> },
  n: number,
  owner: string,
  names: string[],
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await octokit.request('GET /repos/{owner}/{repo}', { owner, repo: names[i % names.length] });
  return performance.now() - start;
}

async function bareRequests(h: Harness, token: string, n: number, owner: string, names: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${h.peer.url}/api/v3/repos/${owner}/${names[i % names.length]}`, {
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`baseline request: ${res.status}`);
  }
  return performance.now() - start;
}

async function oneRound(market: BenchMarketplace): Promise<SweepNumbers[]> {
  // The bot's default: marketplace answers kept in memory (FAPILOG_MARKETPLACE_CACHE unset).
  const h = await startHarness(market.apiUrl, { FAPILOG_MARKETPLACE_CACHE: '' });
  try {
    const inst = h.peer.addInstallation('acme');
    const kinds = new Map<string, Kind>();
    const names: string[] = [];
    for (let i = 0; i < REPOS; i++) {
      const name = `svc-${String(i).padStart(3, '0')}`;
      const kind = kindOf(i);
      h.peer.addRepo(inst, `acme/${name}`, { 'requirements.txt': manifest(name, kind), 'README.md': `# ${name}\n` });
      if (kind === 'busy') h.peer.openIssueAsPerson(`acme/${name}`, 'logs arrive late');
      kinds.set(`acme/${name}`, kind);
      names.push(name);
    }
    // An installation token for the baseline, as the bot gets one (not counted in any sweep).
    const app = (await h.probot.auth()) as unknown as { request: (route: string, params: object) => Promise<{ data: { token: string } }> };
    const { token } = (await app.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: inst })).data;
    const installation = (await h.probot.auth(inst)) as unknown as { request: (route: string, params: object) => Promise<unknown> };

    const out: SweepNumbers[] = [];
    for (const sweep of SWEEPS) {
      const from = h.peer.requests.length;
      market.resetCounts();
      const start = performance.now();
      const result = await h.sweep();
      const wallMs = performance.now() - start;
      const requests = h.peer.requests.slice(from);
      const marketplace = Object.fromEntries([...market.paths].sort());
      const baselineMs = await bareRequests(h, token, requests.length, 'acme', names);
      const octokitMs = await octokitRequests(installation, requests.length, 'acme', names);

      const perRepo = new Map<string, { counted: number; notModified: number; writes: number }>();
      const byEndpoint: SweepNumbers['byEndpoint'] = {};
      const overhead: string[] = [];
      for (const r of requests) {
        const e = endpoint(r);
        const slot = (byEndpoint[e] ??= { counted: 0, notModified: 0 });
        if (r.status === 304) slot.notModified++;
        else slot.counted++;
        const m = /^\/repos\/([^/]+\/[^/]+)\//.exec(r.path);
        if (!m) {
          overhead.push(`${e} ${r.status}`);
          continue;
        }
        const c = perRepo.get(m[1]!) ?? { counted: 0, notModified: 0, writes: 0 };
        if (r.status === 304) c.notModified++;
        else c.counted++;
        if (r.method !== 'GET') c.writes++;
        perRepo.set(m[1]!, c);
      }
      const byKind = {} as Record<Kind, KindCount>;
      for (const kind of KINDS) {
        const repos = [...kinds]
          .filter(([, k]) => k === kind)
          .map(([full]) => perRepo.get(full) ?? { counted: 0, notModified: 0, writes: 0 });
        byKind[kind] = {
          repos: repos.length,
          maxCounted: Math.max(0, ...repos.map((c) => c.counted)),
          medianCounted: median(repos.map((c) => c.counted)),
          notModifiedPerRepo: repos.reduce((n, c) => n + c.notModified, 0) / Math.max(1, repos.length),
          writesPerRepo: repos.reduce((n, c) => n + c.writes, 0) / Math.max(1, repos.length),
        };
      }
      out.push({
        sweep,
        wallMs,
        baselineMs,
        octokitMs,
        githubRequests: requests.length,
        notModified: requests.filter((r) => r.status === 304).length,
        writes: requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens')).length,
        marketplace,
        overhead,
        byKind,
        byEndpoint,
        opened: result.results.reduce((n, r) => n + r.opened.length, 0),
        failures: result.failures.length,
      });
      if (result.failures.length > 0)
        throw new Error(`${sweep}: ${result.failures.length} repositories failed, e.g. ${JSON.stringify(result.failures[0])}`);
    }
    return out;
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  const market = await startMarketplace();
  try {
    const rounds: SweepNumbers[][] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await oneRound(market));
    // Calls are the same every round (checked below); times are the medians over rounds.
    const last = rounds[rounds.length - 1]!;
    for (const round of rounds) {
      for (let i = 0; i < SWEEPS.length; i++) {
        if (JSON.stringify(round[i]!.byKind) !== JSON.stringify(last[i]!.byKind))
          throw new Error(`${SWEEPS[i]}: the calls differ between rounds`);
      }
    }
    const wall = SWEEPS.map((_, i) => median(rounds.map((r) => r[i]!.wallMs)));
    const base = SWEEPS.map((_, i) => median(rounds.map((r) => r[i]!.baselineMs)));
    const viaOctokit = SWEEPS.map((_, i) => median(rounds.map((r) => r[i]!.octokitMs)));

    console.log(
      banner(`bot-sweep: ${REPOS} repositories, one installation, ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} (a fresh bot process each)`),
    );
    console.log(`quiet: nothing to do, nothing open; busy: nothing to do, a person's issue open; one-pr: one new pull request\n`);
    console.log(
      markdownTable(
        ['sweep', 'kind', 'repos', 'calls counted per repo (max)', 'median', '304s per repo', 'writes per repo'],
        last.flatMap((s) =>
          KINDS.map((k) => {
            const c = s.byKind[k];
            return [
              s.sweep,
              k,
              String(c.repos),
              String(c.maxCounted),
              String(c.medianCounted),
              c.notModifiedPerRepo.toFixed(2),
              c.writesPerRepo.toFixed(2),
            ];
          }),
        ),
      ),
    );
    console.log(
      `\nper sweep besides the repositories: ${last[0]!.overhead.join(', ')} (first); ${last[1]!.overhead.join(', ') || 'none'} (second)\n`,
    );
    const endpoints = [...new Set(last.flatMap((s) => Object.keys(s.byEndpoint)))].sort();
    console.log(
      markdownTable(
        ['endpoint', ...last.flatMap((s) => [`${s.sweep}: counted`, '304'])],
        endpoints.map((e) => [
          e,
          ...last.flatMap((s) => [String(s.byEndpoint[e]?.counted ?? 0), String(s.byEndpoint[e]?.notModified ?? 0)]),
        ]),
      ),
    );
    console.log('');
    console.log(
      markdownTable(
        [
          'sweep',
          'GitHub requests',
          'of them 304',
          'writes',
          'pull requests opened',
          'marketplace requests',
          'wall median ms',
          'baseline ms (as many bare GETs)',
          'ratio vs baseline',
          "the same GETs through the bot's Octokit ms",
          'ratio',
          'ms per repo',
          'GitHub write pacing floor s',
        ],
        last.map((s, i) => [
          s.sweep,
          String(s.githubRequests),
          String(s.notModified),
          String(s.writes),
          String(s.opened),
          Object.entries(s.marketplace)
            .map(([k, n]) => `${n}x ${k}`)
            .join(', ') || 'none',
          fmt(wall[i]!),
          fmt(base[i]!),
          (wall[i]! / base[i]!).toFixed(2),
          fmt(viaOctokit[i]!),
          (viaOctokit[i]! / base[i]!).toFixed(2),
          fmt(wall[i]! / REPOS),
          String(pacingFloorS(s)),
        ]),
      ),
    );

    const first = last[0]!;
    const later = last.slice(1);
    const targets: Target[] = [
      {
        what: 'nothing to do, nothing open, first sweep',
        value: `${first.byKind.quiet.maxCounted} calls`,
        target: '<= 2 not 304',
        met: first.byKind.quiet.maxCounted <= 2,
      },
      {
        what: "nothing to do, a person's issue open, first sweep",
        value: `${first.byKind.busy.maxCounted} calls`,
        target: '<= 2 not 304',
        met: first.byKind.busy.maxCounted <= 2,
      },
      {
        what: 'nothing to do, later sweeps',
        value: `${Math.max(...later.flatMap((s) => [s.byKind.quiet.maxCounted, s.byKind.busy.maxCounted]))} calls`,
        target: '<= 2 not 304',
        met: later.every((s) => s.byKind.quiet.maxCounted <= 2 && s.byKind.busy.maxCounted <= 2),
      },
      {
        what: 'one new pull request, first sweep (the whole repository)',
        value: `${first.byKind['one-pr'].maxCounted} calls`,
        target: '<= 8',
        met: first.byKind['one-pr'].maxCounted <= 8,
      },
      {
        what: 'the repository with the pull request open, later sweeps',
        value: `${Math.max(...later.map((s) => s.byKind['one-pr'].maxCounted))} calls`,
        target: '<= 2 not 304',
        met: later.every((s) => s.byKind['one-pr'].maxCounted <= 2),
      },
    ];
    console.log(`\n${targetTable(targets)}`);
    const file = await writeResults('bot-sweep', {
      repos: REPOS,
      rounds: ROUNDS,
      sweeps: last.map((s, i) => ({
        ...s,
        wallMedianMs: wall[i],
        baselineMedianMs: base[i],
        ratio: wall[i]! / base[i]!,
        octokitMedianMs: viaOctokit[i],
        pacingFloorS: pacingFloorS(s),
      })),
      wallMsByRound: rounds.map((r) => r.map((s) => s.wallMs)),
      targets,
    });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await market.stop();
  }
}

await main();
