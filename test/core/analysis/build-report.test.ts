import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, pluginPackages, type AnalysisInput } from '../../../src/core/analysis/build-report.ts';
import { Report, hasProblems, type PluginEntry } from '../../../src/core/analysis/report.ts';
import { STATUS_PRECEDENCE } from '../../../src/core/analysis/statuses.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { FAPILOG_VERSIONS, dep, entry, release, scan } from './builders.ts';

const loki = entry(
  release('fapilog-loki', '1.0.0', '>=0.14'),
  release('fapilog-loki', '1.1.0', '>=0.14'),
  release('fapilog-loki', '1.2.0', '>=0.17'),
  release('fapilog-loki', '1.3.0', '>=0.18'),
);
const audit = entry(release('fapilog-audit', '1.9.0', '>=0.14'), release('fapilog-audit', '2.0.0', '>=0.16,<0.19'));
const legacy = entry(release('fapilog-legacy', '0.5.0', '<0.15'), release('fapilog-legacy', '0.6.0', '>=0.16'));
const shaky = entry(
  release('fapilog-shaky', '1.0.0', '>=0.14'),
  release('fapilog-shaky', '1.0.1', '<0.15', { yanked: true, yanked_reason: 'Leaks file handles.' }),
  release('fapilog-shaky', '1.0.2', '>=0.14'),
);
const beta = entry(
  release('fapilog-beta', '1.0.0', '>=0.14'),
  release('fapilog-beta', '2.0.0b1', '>=0.14'),
  release('fapilog-beta', '2.0.0b2', '>=0.14'),
);
const MARKET = {
  'fapilog-loki': loki,
  'fapilog-audit': audit,
  'fapilog-legacy': legacy,
  'fapilog-shaky': shaky,
  'fapilog-beta': beta,
  'fapilog-ghost': null,
};

function report(deps: ReturnType<typeof dep>[], opts: Partial<AnalysisInput> & { locked?: Record<string, string> } = {}) {
  return schemaShaped(
    buildReport({
      scan: scan(deps, opts.locked ?? {}),
      plugins: MARKET,
      fapilogVersions: FAPILOG_VERSIONS,
      marketplace: { url: 'http://127.0.0.1:1/api/v1', stale: false },
      ...opts,
    }),
  );
}

/** The report is not re-parsed when built: it must already be what the schema makes of it, key order included. */
function schemaShaped(r: Report): Report {
  assert.equal(JSON.stringify(Report.parse(r)), JSON.stringify(r));
  return r;
}

function only(r: Report, pkg: string): PluginEntry {
  const found = r.plugins.filter((p) => p.package === pkg);
  assert.equal(found.length, 1, `one entry for ${pkg}`);
  return found[0]!;
}

describe('statuses against fapilog 0.16.0', () => {
  const fapilog = dep('fapilog==0.16.0');

  test('up-to-date: the newest release, and it works with the project fapilog', () => {
    const p = only(report([fapilog, dep('fapilog-audit==2.0.0')]), 'fapilog-audit');
    assert.equal(p.status, 'up-to-date');
    assert.equal(p.current, '2.0.0');
    assert.equal(p.currentSource, 'pinned');
    assert.equal(p.latest, '2.0.0');
    assert.equal(p.latestCompatible, '2.0.0');
    assert.equal(p.currentCompatibility, '>=0.16,<0.19');
    assert.match(p.note, /newest release/);
  });

  test('outdated: a newer compatible release exists (even when newer ones need a newer fapilog)', () => {
    const p = only(report([fapilog, dep('fapilog-loki==1.0.0')]), 'fapilog-loki');
    assert.equal(p.status, 'outdated');
    assert.equal(p.latestCompatible, '1.1.0');
    assert.equal(p.latest, '1.3.0');
    assert.equal(p.requiresFapilog, null);
    assert.match(p.note, /1\.1\.0 is available/);
    assert.match(p.note, /1\.3\.0 needs fapilog >=0\.18/);
  });

  test('held-back: newer releases all need a newer fapilog, and the minimum one is named', () => {
    const p = only(report([fapilog, dep('fapilog-loki==1.1.0')]), 'fapilog-loki');
    assert.equal(p.status, 'held-back');
    assert.equal(p.latestCompatible, '1.1.0');
    assert.equal(p.latest, '1.3.0');
    // 1.2.0 accepts 0.17.0: the lowest known fapilog that unlocks any newer release.
    assert.equal(p.requiresFapilog, '0.17.0');
    assert.match(p.note, /needs fapilog 0\.17\.0 or newer/);
  });

  test('a range resolves like a resolver: the newest allowed release whose fapilog requirement holds', () => {
    const p = only(report([fapilog, dep('fapilog-loki>=1.0')]), 'fapilog-loki');
    assert.equal(p.currentSource, 'range');
    assert.equal(p.current, '1.1.0');
    assert.equal(p.status, 'held-back');
  });

  test('incompatible: the current release does not admit the project fapilog', () => {
    const p = only(report([fapilog, dep('fapilog-legacy==0.5.0')]), 'fapilog-legacy');
    assert.equal(p.status, 'incompatible');
    assert.equal(p.currentCompatibility, '<0.15');
    assert.equal(p.latestCompatible, '0.6.0');
    assert.match(p.note, /requires fapilog <0\.15 but the project uses 0\.16\.0; move to 0\.6\.0/);
  });

  test('yanked: the current release was withdrawn, with its reason', () => {
    const p = only(report([fapilog, dep('fapilog-shaky==1.0.1')]), 'fapilog-shaky');
    assert.equal(p.status, 'yanked');
    assert.equal(p.latest, '1.0.2');
    assert.match(p.note, /was yanked \(Leaks file handles\); move to 1\.0\.2/);
  });

  test('unknown: not in the marketplace, or a version it does not know', () => {
    const r = report([fapilog, dep('fapilog-ghost==1.0'), dep('fapilog-loki==9.9.9'), dep('fapilog-audit>=5')]);
    const ghost = only(r, 'fapilog-ghost');
    assert.equal(ghost.status, 'unknown');
    assert.equal(ghost.current, '1.0');
    assert.equal(ghost.latest, null);
    assert.match(ghost.note, /not in the marketplace/);
    assert.equal(only(r, 'fapilog-loki').status, 'unknown');
    assert.match(only(r, 'fapilog-loki').note, /9\.9\.9 is not a release/);
    const audit5 = only(r, 'fapilog-audit');
    assert.equal(audit5.status, 'unknown');
    assert.equal(audit5.current, null);
    assert.equal(audit5.currentSource, 'none');
  });

  test('on a package index the note names the index, not "the marketplace"', () => {
    const r = report([fapilog, dep('fapilog-ghost==1.0'), dep('fapilog-loki==9.9.9')], {
      marketplace: { url: 'https://pypi.org/simple/', stale: false, kind: 'index' },
    });
    assert.equal(
      only(r, 'fapilog-ghost').note,
      'fapilog-ghost is not on the index https://pypi.org/simple/, so its releases cannot be checked.',
    );
    assert.equal(only(r, 'fapilog-loki').note, 'fapilog-loki 9.9.9 is not a release the index lists.');
    assert.doesNotMatch(JSON.stringify(r.plugins), /marketplace/);
  });

  test('a plugin missing from the batch answer altogether is unknown too', () => {
    const p = only(report([fapilog, dep('fapilog-nowhere>=1')]), 'fapilog-nowhere');
    assert.equal(p.status, 'unknown');
  });

  test('every status shows up in counts, and problems are the four that need action', () => {
    const r = report([
      fapilog,
      dep('fapilog-audit==2.0.0'),
      dep('fapilog-loki==1.0.0', { file: 'requirements-dev.txt' }),
      dep('fapilog-loki==1.1.0'),
      dep('fapilog-legacy==0.5.0'),
      dep('fapilog-shaky==1.0.1'),
      dep('fapilog-ghost'),
    ]);
    assert.deepEqual(r.counts, { 'up-to-date': 1, outdated: 1, incompatible: 1, 'held-back': 1, yanked: 1, vulnerable: 0, unknown: 1 });
    assert.equal(r.plugins.length, 6);
    assert.equal(hasProblems(r), true);
    assert.equal(hasProblems(report([fapilog, dep('fapilog-audit==2.0.0'), dep('fapilog-ghost')])), false);
    // The report survives the trip through JSON and the schema (it leaves the process as --json).
    assert.deepEqual(Report.parse(JSON.parse(JSON.stringify(r))), r);
  });

  test('one entry per manifest occurrence, each with its own location', () => {
    const a = dep('fapilog-loki==1.0.0', { file: 'requirements.txt' });
    const b = dep('fapilog-loki==1.1.0', { file: 'requirements-dev.txt' });
    const r = report([fapilog, a, b]);
    assert.deepEqual(
      r.plugins.map((p) => [p.location.file, p.location.line, p.status]),
      [
        ['requirements.txt', a.location.line, 'outdated'],
        ['requirements-dev.txt', b.location.line, 'held-back'],
      ],
    );
    assert.deepEqual(pluginPackages(scan([fapilog, a, b])), ['fapilog-loki']);
  });
});

describe('status precedence: unknown > vulnerable > yanked > incompatible > outdated > held-back > up-to-date', () => {
  test('the documented order', () => {
    assert.deepEqual(STATUS_PRECEDENCE, ['unknown', 'vulnerable', 'yanked', 'incompatible', 'outdated', 'held-back', 'up-to-date']);
  });

  test('vulnerable beats yanked and incompatible', () => {
    const advisories = [{ id: 'GHSA-1111-2222-3333', summary: 'x', aliases: [] }];
    const market = {
      'fapilog-shaky': entry(
        release('fapilog-shaky', '1.0.1', '<0.15', { yanked: true, advisories }),
        release('fapilog-shaky', '1.0.2', '>=0.14'),
      ),
    };
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-shaky==1.0.1')], { plugins: market }), 'fapilog-shaky');
    assert.equal(p.status, 'vulnerable');
    assert.equal(p.latestCompatible, '1.0.2');
  });

  test('yanked beats incompatible', () => {
    // shaky 1.0.1 is both yanked and (<0.15) incompatible with fapilog 0.16.0.
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-shaky==1.0.1')]), 'fapilog-shaky');
    assert.equal(p.currentCompatibility, '<0.15');
    assert.equal(p.status, 'yanked');
  });

  test('incompatible beats outdated', () => {
    // legacy 0.5.0 has a newer compatible release (0.6.0) but does not work now.
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-legacy==0.5.0')]), 'fapilog-legacy');
    assert.equal(p.status, 'incompatible');
  });

  test('outdated beats held-back', () => {
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-loki==1.0.0')]), 'fapilog-loki');
    assert.equal(p.status, 'outdated');
  });

  test('unknown beats everything (a version the marketplace does not know cannot be judged)', () => {
    const p = only(report([dep('fapilog==0.14.0'), dep('fapilog-shaky==0.9')]), 'fapilog-shaky');
    assert.equal(p.status, 'unknown');
  });

  test('the same pin changes status with the project fapilog', () => {
    const at = (fv: string) => only(report([dep('fapilog-loki==1.1.0')], { fapilogVersion: fv }), 'fapilog-loki');
    assert.equal(at('0.16.0').status, 'held-back');
    assert.equal(at('0.17.0').status, 'outdated');
    assert.equal(at('0.17.0').latestCompatible, '1.2.0');
    assert.equal(at('0.18.0').latestCompatible, '1.3.0');
  });
});

describe('pre-releases', () => {
  test('ignored when the project uses a final release', () => {
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-beta==1.0.0')]), 'fapilog-beta');
    assert.equal(p.status, 'up-to-date');
    assert.equal(p.latest, '1.0.0');
  });

  test('considered when the project pins one', () => {
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-beta==2.0.0b1')]), 'fapilog-beta');
    assert.equal(p.status, 'outdated');
    assert.equal(p.latestCompatible, '2.0.0b2');
  });

  test('considered when the specifier names one', () => {
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-beta>=2.0.0b1')]), 'fapilog-beta');
    assert.equal(p.current, '2.0.0b2');
    assert.equal(p.status, 'up-to-date');
  });

  test('a project on a fapilog pre-release is still matched against plain specifiers', () => {
    // loki 1.2.0 declares >=0.17, which PEP 440 alone would not let 0.18.0rc1 match.
    const p = only(report([dep('fapilog==0.18.0rc1'), dep('fapilog-loki==1.2.0')]), 'fapilog-loki');
    assert.equal(p.status, 'held-back');
    // 1.3.0 declares >=0.18, which the rc does not reach: the final 0.18.0 is the way forward.
    assert.equal(p.requiresFapilog, '0.18.0');
  });
});

describe('the project fapilog version and its source', () => {
  const plugin = dep('fapilog-loki==1.1.0');

  test('override wins over everything', () => {
    const r = report([dep('fapilog==0.16.0'), plugin], { fapilogVersion: '0.17.0', locked: { fapilog: '0.15.0' } });
    // `from` names no front end's flag: the CLI and the Action each say where an override came from.
    assert.deepEqual(r.fapilog, { version: '0.17.0', source: 'override', specifier: '==0.16.0', from: null });
  });

  test('an invalid override is refused with a typed error that names no flag', () => {
    assert.throws(
      () => report([plugin], { fapilogVersion: 'latest' }),
      (e: unknown) => e instanceof CoreError && e.code === 'invalid-fapilog-version' && e.subject === 'latest' && !e.message.includes('--'),
    );
  });

  test('locked wins over a pin', () => {
    const r = report([dep('fapilog==0.16.0'), plugin], { locked: { fapilog: '0.15.0' } });
    assert.equal(r.fapilog.source, 'locked');
    assert.equal(r.fapilog.version, '0.15.0');
    assert.equal(r.fapilog.from, 'uv.lock');
  });

  test('pinned with ==, from file:line', () => {
    const pin = dep('fapilog==0.16.0', { file: 'requirements.txt' });
    const r = report([pin, plugin]);
    assert.deepEqual(r.fapilog, {
      version: '0.16.0',
      source: 'pinned',
      specifier: '==0.16.0',
      from: `requirements.txt:${pin.location.line}`,
    });
  });

  test('conflicting pins: the first one is used and a warning says so', () => {
    const r = report([dep('fapilog==0.16.0'), dep('fapilog==0.15.0', { file: 'requirements-dev.txt' }), plugin]);
    assert.equal(r.fapilog.version, '0.16.0');
    assert.ok(r.warnings.some((w) => /pinned to different versions/.test(w)));
  });

  test('range: the newest known final release the specifiers allow', () => {
    const r = report([dep('fapilog>=0.15,<0.17'), plugin]);
    assert.equal(r.fapilog.source, 'range');
    assert.equal(r.fapilog.version, '0.16.0');
    assert.equal(r.fapilog.specifier, '>=0.15,<0.17');
  });

  test('range: specifiers from several manifests are intersected', () => {
    const r = report([dep('fapilog>=0.15'), dep('fapilog<0.16', { file: 'requirements-dev.txt' }), plugin]);
    assert.equal(r.fapilog.version, '0.15.1');
  });

  test('range: a pre-release is taken only when the specifier names one', () => {
    const fapilogVersions = ['0.16.0', '0.17.0', '0.18.0rc1'];
    assert.equal(report([dep('fapilog>=0.16'), plugin], { fapilogVersions }).fapilog.version, '0.17.0');
    assert.equal(report([dep('fapilog>=0.18.0rc1'), plugin], { fapilogVersions }).fapilog.version, '0.18.0rc1');
  });

  test('range that admits no known release: judged against the newest, with a warning', () => {
    const r = report([dep('fapilog>=1.0'), plugin]);
    assert.equal(r.fapilog.source, 'range');
    assert.equal(r.fapilog.version, '0.18.0');
    assert.ok(r.warnings.some((w) => /no fapilog release known to the marketplace satisfies >=1\.0/.test(w)));
  });

  test('unconstrained: listed without a specifier means the newest final release', () => {
    const r = report([dep('fapilog'), plugin]);
    assert.equal(r.fapilog.source, 'unconstrained');
    assert.equal(r.fapilog.version, '0.18.0');
  });

  test('unknown: fapilog is not a dependency; statuses use the newest fapilog and a warning says so', () => {
    const r = report([plugin]);
    assert.equal(r.fapilog.source, 'unknown');
    assert.equal(r.fapilog.version, '0.18.0');
    assert.equal(r.fapilog.from, null);
    assert.ok(r.warnings.some((w) => /fapilog is not a dependency/.test(w)));
    assert.equal(only(r, 'fapilog-loki').status, 'outdated');
  });

  test('no known fapilog at all: every release counts as compatible', () => {
    const r = report([plugin], { fapilogVersions: [] });
    assert.equal(r.fapilog.version, null);
    const p = only(r, 'fapilog-loki');
    assert.equal(p.status, 'outdated');
    assert.equal(p.latestCompatible, '1.3.0');
  });
});

describe('what is left out, and where versions come from', () => {
  test('ignore comments and --ignore names are left out and counted in warnings', () => {
    const r = report(
      [dep('fapilog==0.16.0'), dep('fapilog-loki==1.0.0', { ignored: true }), dep('fapilog-legacy==0.5.0'), dep('fapilog-audit==2.0.0')],
      { ignore: ['legacy'] },
    );
    assert.deepEqual(
      r.plugins.map((p) => p.package),
      ['fapilog-audit'],
    );
    assert.ok(r.warnings.some((w) => /^2 plugin dependencies were ignored: fapilog-loki \(.*\), fapilog-legacy/.test(w)));
  });

  test('a locked plugin version wins over its pin', () => {
    const p = only(report([dep('fapilog==0.16.0'), dep('fapilog-loki>=1.0')], { locked: { 'fapilog-loki': '1.0.0' } }), 'fapilog-loki');
    assert.equal(p.current, '1.0.0');
    assert.equal(p.currentSource, 'locked');
    assert.equal(p.status, 'outdated');
  });

  test('batch answers keyed by short name are found, names are normalised', () => {
    const r = schemaShaped(
      buildReport({
        scan: scan([dep('fapilog==0.16.0'), dep('Fapilog_Loki==1.0.0')]),
        plugins: new Map([['loki', loki]]),
        fapilogVersions: FAPILOG_VERSIONS,
        marketplace: { url: 'http://x/api/v1', stale: true },
      }),
    );
    assert.equal(only(r, 'fapilog-loki').status, 'outdated');
    assert.equal(only(r, 'fapilog-loki').name, 'loki');
    assert.equal(r.marketplace.stale, true);
    assert.ok(r.warnings.some((w) => /stale/.test(w)));
  });

  test('fapilog itself and non-plugin packages are not plugins', () => {
    const r = report([dep('fapilog==0.16.0'), dep('httpx>=0.27'), dep('fapilog-audit==2.0.0')]);
    assert.deepEqual(
      r.plugins.map((p) => p.package),
      ['fapilog-audit'],
    );
  });
});

describe('constraints the resolver reads specially', () => {
  test('a Poetry union (alternatives) admits releases from any of its ranges', () => {
    // ^1.0 || ^2.0 with loki 1.x only: the newest compatible release in the union is current.
    const union = dep('fapilog-loki>=1.0,<1.1 || >=1.3', { alternatives: ['>=1.0,<1.1', '>=1.3'], syntax: 'poetry' });
    const r = report([dep('fapilog==0.18.0'), union]);
    const p = only(r, 'fapilog-loki');
    assert.equal(p.currentSource, 'range');
    assert.equal(p.current, '1.3.0');
    assert.equal(p.status, 'up-to-date');
    const fv = report([dep('fapilog==0.16.0'), union]);
    assert.equal(only(fv, 'fapilog-loki').current, '1.0.0', 'the 1.3.0 branch needs fapilog 0.18, so the resolver stays on 1.0.0');
    assert.equal(only(fv, 'fapilog-loki').status, 'outdated');
  });

  test('a fapilog Poetry union resolves to the newest known release in it', () => {
    const r = report([dep('fapilog>=0.14,<0.15 || >=0.17,<0.18', { alternatives: ['>=0.14,<0.15', '>=0.17,<0.18'], syntax: 'poetry' })]);
    assert.equal(r.fapilog.source, 'range');
    assert.equal(r.fapilog.version, '0.17.0');
  });

  test('a direct reference cannot be judged', () => {
    const p = only(
      report([dep('fapilog==0.16.0'), dep('fapilog-loki', { url: 'git+https://example.com/loki.git', specifierSpan: null })]),
      'fapilog-loki',
    );
    assert.equal(p.status, 'unknown');
    assert.match(p.note, /direct reference/);
  });

  test('a range that only admits yanked releases is reported as yanked', () => {
    const p = only(report([dep('fapilog==0.14.0'), dep('fapilog-shaky>1.0.0,<1.0.2')]), 'fapilog-shaky');
    assert.equal(p.current, '1.0.1');
    assert.equal(p.status, 'yanked');
  });
});

test('notes do not claim the project uses a fapilog it does not depend on', () => {
  const p = only(report([dep('fapilog-legacy==0.5.0')]), 'fapilog-legacy');
  assert.equal(p.status, 'incompatible');
  assert.match(p.note, /statuses assume the newest fapilog, 0\.18\.0/);
  assert.doesNotMatch(p.note, /the project uses/);
});
