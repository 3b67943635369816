import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compare, markdownTable, measure, median, p90, percentile, resultTable } from '../../bench/lib.ts';
import {
  benchCatalog,
  compatible,
  FORMATS,
  generateServices,
  releaseCompatibility,
  releaseVersion,
  type GeneratedService,
} from '../../bench/monorepo.ts';
import { judge, ourProposals, renovateProposals } from '../../bench/judge.ts';
import { areaOf, summarizeProfile } from '../../bench/profile.ts';
import { runNode } from '../../bench/process.ts';
import { readManifest } from '../../src/core/python/index.ts';
import { Catalog } from '../../server/catalog.ts';

describe('bench/lib statistics', () => {
  test('median of odd and even counts, unsorted input left alone', () => {
    const odd = [9, 1, 5];
    assert.equal(median(odd), 5);
    assert.deepEqual(odd, [9, 1, 5]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  test('p90 is nearest-rank', () => {
    assert.equal(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 9);
    assert.equal(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11]), 10);
    assert.equal(p90([3]), 3);
    assert.equal(percentile([5, 1, 4, 2, 3], 100), 5);
    assert.equal(percentile([5, 1, 4, 2, 3], 20), 1);
    assert.throws(() => percentile([1], 0), RangeError);
  });
});

describe('bench/lib runner and table', () => {
  test('compare runs warm-up untimed, rotates order and keeps counters', async () => {
    const order: string[] = [];
    const results = await compare(
      [
        { name: 'a', run: () => void order.push('a') },
        { name: 'b', setup: () => 41, run: (n: number) => ({ answer: n + 1 }), teardown: () => void order.push('b-down') },
      ],
      { warmup: 1, iterations: 3, maxMs: 60_000 },
    );
    assert.deepEqual(
      results.map((r) => [r.name, r.times.length]),
      [
        ['a', 3],
        ['b', 3],
      ],
    );
    assert.deepEqual(results[1]?.counters, { answer: 42 });
    // warm-up a, b; round 0 a, b; round 1 b, a; round 2 a, b
    assert.deepEqual(order, ['a', 'b-down', 'a', 'b-down', 'b-down', 'a', 'a', 'b-down']);
    assert.equal((await measure(() => undefined, { warmup: 0, iterations: 4, maxMs: 60_000 })).length, 4);
  });

  test('resultTable shows the ratio of each median to the baseline', () => {
    const table = resultTable(
      [
        { name: 'base', times: [10, 20, 30], counters: { requests: 23 } },
        { name: 'fast', times: [5, 5, 5], counters: { requests: 2 } },
      ],
      ['requests'],
    );
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[2] ?? '', /^\| base +\| 3 +\| 20\.0 +\| 30\.0 +\| 1\.00 \(baseline\) +\| 23 +\|$/);
    assert.match(lines[3] ?? '', /^\| fast +\| 3 +\| 5\.00 +\| 5\.00 +\| 0\.25 +\| 2 +\|$/);
    assert.equal(markdownTable(['x'], [['longer']]).split('\n')[1], '|--------|');
  });
});

describe('bench/monorepo generator', () => {
  test('the compatibility rule: release 1.k.0 supports fapilog >=0.(10+k),<0.(14+k)', () => {
    assert.equal(compatible('1.0.0', '0.10.0'), true);
    assert.equal(compatible('1.4.0', '0.10.0'), false);
    assert.equal(compatible('1.4.0', '0.14.0'), true);
    assert.equal(compatible('1.0.0', '0.14.0'), false);
    assert.equal(releaseCompatibility(3), '>=0.13,<0.17');
    assert.equal(releaseVersion(3), '1.3.0');
  });

  test('services cover every format, mention every distinct plugin and run a release their fapilog supports', () => {
    const services = generateServices({ services: 60, distinct: 50, releases: 5 });
    assert.deepEqual(new Set(services.map((s) => s.format)), new Set(FORMATS));
    const mentioned = new Set(services.flatMap((s) => s.plugins.map((p) => p.package)));
    assert.equal(mentioned.size, 50);
    assert.ok(new Set(services.map((s) => s.fapilog)).size > 1, 'services pin different fapilogs');
    for (const s of services)
      for (const p of s.plugins) assert.ok(compatible(p.current, s.fapilog), `${s.dir}: ${p.package} ${p.current} vs fapilog ${s.fapilog}`);
    // Deterministic: the same options give the same bytes.
    assert.deepEqual(generateServices({ services: 60, distinct: 50, releases: 5 }), services);
  });

  test('every generated file reads with the engine, and each plugin pin is found', () => {
    for (const s of generateServices({ services: 10, distinct: 50, releases: 5 })) {
      const seen = new Set<string>();
      for (const [rel, text] of Object.entries(s.files)) {
        if (/\.lock$/.test(rel)) continue;
        const kind = rel.endsWith('.txt') ? 'requirements' : undefined;
        for (const d of readManifest(rel, text, kind).dependencies) seen.add(d.name);
      }
      for (const p of s.plugins) assert.ok(seen.has(p.package), `${s.dir} (${s.format}): ${p.package} not read`);
    }
  });

  test('the catalog passes the server catalog schema', () => {
    const parsed = Catalog.parse(benchCatalog({ plugins: 3, releases: 2 }));
    assert.equal(parsed.plugins.length, 3);
    assert.deepEqual(
      parsed.plugins[0]?.releases.map((r) => r.fapilog_compatibility),
      ['>=0.10,<0.14', '>=0.11,<0.15'],
    );
  });
});

describe('bench/judge', () => {
  const services = generateServices({ services: 2, distinct: 50, releases: 5 });
  const [a, b] = services as [GeneratedService, GeneratedService];

  test('judge counts entries judged against another service fapilog and incompatible proposals', () => {
    const report = {
      fapilog: { version: a.fapilog },
      plugins: [
        { location: { file: `${a.dir}/requirements.txt` }, status: 'outdated', latestCompatible: '1.0.0' },
        { location: { file: `${b.dir}/requirements.txt` }, status: 'outdated', latestCompatible: '1.4.0' },
        { location: { file: `${b.dir}/requirements.txt` }, status: 'held-back', latestCompatible: '1.4.0' },
      ],
    };
    const j = judge(JSON.stringify(report), services);
    assert.equal(j.entries, 3);
    assert.equal(j.wrongFapilog, a.fapilog === b.fapilog ? 0 : 2);
    assert.equal(j.proposals, 2);
    assert.equal(j.incompatibleProposals, [compatible('1.0.0', a.fapilog), compatible('1.4.0', b.fapilog)].filter((c) => !c).length);
    assert.throws(
      () =>
        judge(
          JSON.stringify({
            fapilog: { version: null },
            plugins: [{ location: { file: 'elsewhere/x' }, status: 'outdated', latestCompatible: null }],
          }),
          services,
        ),
      /no generated service/,
    );
  });

  test('renovateProposals reads the updates of plugin dependencies from a JSON log', () => {
    const log = [
      'not json',
      JSON.stringify({ msg: 'Repository timing splits (milliseconds)', splits: { init: 90, lookup: 500 } }),
      JSON.stringify({
        msg: 'packageFiles with updates',
        config: {
          pip_requirements: [
            {
              deps: [
                { depName: 'fapilog', currentValue: '==0.10.0', updates: [{ newVersion: '0.19.0' }] },
                { depName: 'Fapilog_Kafka_0000', currentValue: '==1.0.0', updates: [{ newVersion: '1.4.0' }] },
                { depName: 'fapilog-loki-0001', currentValue: '==1.0.0', updates: [] },
                { depName: 'httpx', currentValue: '>=0.27', updates: [{ newVersion: '1.0.0' }] },
              ],
            },
          ],
        },
      }),
    ].join('\n');
    const svc = { ...a, fapilog: '0.10.0' };
    const r = renovateProposals(log, svc);
    assert.equal(r.pluginDeps, 2);
    assert.deepEqual(r.proposals, [{ package: 'fapilog-kafka-0000', from: '==1.0.0', to: '1.4.0', compatible: false }]);
    assert.deepEqual(r.splits, { init: 90, lookup: 500 });
    assert.throws(() => renovateProposals('{"msg":"other"}', svc), /no "packageFiles with updates"/);
  });

  test('ourProposals takes outdated entries only', () => {
    const svc = { ...a, fapilog: '0.14.0' };
    const json = JSON.stringify({
      plugins: [
        { package: 'fapilog-x', current: '1.1.0', latestCompatible: '1.4.0', status: 'outdated' },
        { package: 'fapilog-y', current: '1.4.0', latestCompatible: '1.4.0', status: 'up-to-date' },
      ],
    });
    assert.deepEqual(ourProposals(json, svc), {
      proposals: [{ package: 'fapilog-x', from: '1.1.0', to: '1.4.0', compatible: true }],
      pluginDeps: 2,
    });
  });
});

describe('bench/profile and bench/process', () => {
  test('summarizeProfile sums self time per area and function', () => {
    const root = '/repo';
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
        { id: 2, callFrame: { functionName: 'parse', url: 'file:///repo/src/core/python/pep440.ts', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'check', url: 'file:///repo/node_modules/zod/v4/core/schemas.js', lineNumber: 0 } },
      ],
      samples: [2, 2, 3, 1],
      timeDeltas: [1000, 2000, 500, 250],
    };
    const s = summarizeProfile(profile, root);
    assert.equal(s.totalMs, 3.75);
    assert.deepEqual(s.byArea[0], { area: 'src/core/python', ms: 3 });
    assert.equal(s.byArea.find((x) => x.area === 'npm:zod')?.ms, 0.5);
    assert.equal(s.byFunction[0]?.fn, 'parse src/core/python/pep440.ts:10');
    assert.equal(areaOf('node:internal/fs', root), 'node internals');
    assert.equal(areaOf('file:///repo/node_modules/@actions/core/lib/core.js', root), 'npm:@actions/core');
  });

  test('runNode reports the exit code, output and the child own CPU time and peak memory', async () => {
    const r = await runNode(['-e', 'process.stdout.write("hi"); process.exitCode = 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'hi');
    assert.ok(r.cpuMs > 0 && Number.isFinite(r.cpuMs), `cpu ${r.cpuMs}`);
    assert.ok(r.maxRssMb > 1 && r.maxRssMb < 4096, `rss ${r.maxRssMb}`);
    assert.ok(r.wallMs > 0);
  });
});

describe('bench/wrk', () => {
  test("reads wrk's report: rate, latency percentiles in any unit (a trailing space after seconds too), counts", async () => {
    const { parseWrk } = await import('../../bench/wrk.ts');
    const out = [
      'Running 5s test @ http://127.0.0.1:38049',
      '  Latency Distribution',
      '     50%  812.00us',
      '     75%   40.84ms',
      '     99%    1.16s ',
      '  13346 requests in 5.10s, 44.57MB read',
      '  Socket errors: connect 0, read 2, write 0, timeout 3',
      '  Non-2xx or 3xx responses: 4',
      'Requests/sec:   2618.22',
      '',
    ].join('\n');
    assert.deepEqual(parseWrk(out), { reqPerSec: 2618.22, p50Ms: 0.812, p99Ms: 1160, total: 13346, non2xx: 4, errors: 5 });
    assert.throws(() => parseWrk('Requests/sec: 1\n'), /no 50% latency/);
  });
});
