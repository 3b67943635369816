/**
 * The bot's pure pieces: Markdown escaping of untrusted text, the PR marker, the config parser's
 * errors, the settings and the marketplace token's destination.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../bot/config.ts';
import { cell, code, lineText, link, text } from '../../bot/markdown.ts';
import { prMarker, readIssueKind, readPrState, withPrState, issueMarker, type PrState } from '../../bot/marker.ts';
import { createBot } from '../../bot/bot.ts';
import { readSettings, SettingsError } from '../../bot/settings.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('markdown', () => {
  test('untrusted text cannot become markup, HTML, a link, a mention or a reference', () => {
    const evil = '<img src=x onerror=alert(1)> **bold** [click](http://evil.test) @admin #12 `x` | a ~~s~~ $x$ ![i](y)';
    const out = text(evil);
    // Every character that could start markup is backslash-escaped.
    assert.doesNotMatch(out.replaceAll('&#8203;', ''), /(^|[^\\])[<>*[\]`|~$!#()_]/);
    assert.ok(!out.includes('@admin'));
    assert.ok(out.includes('@&#8203;admin'));
    assert.ok(!out.includes('http://'), 'bare URLs are not autolinked');
    assert.equal(text('a\nb\r\nc\u0007'), 'a b c');
    assert.equal(text('x'.repeat(400), 10), `${'x'.repeat(9)}…`);
  });

  test('a line that starts with a list or heading marker stays a paragraph', () => {
    assert.equal(lineText('- item'), '\\- item');
    assert.equal(lineText('1. first'), '1\\. first');
    assert.equal(lineText('plain'), 'plain');
  });

  test('code spans, cells and links', () => {
    assert.equal(code('a`b\nc'), "`a'b c`");
    assert.equal(cell(null), '—');
    assert.equal(cell('a|b'), 'a\\|b');
    assert.equal(link('home', 'javascript:alert(1)'), 'home');
    assert.equal(link('home', 'https://example.test/a b(c)'), '[home](https://example.test/a%20b%28c%29)');
    assert.equal(link('home', null), 'home');
  });
});

describe('markers', () => {
  const state: PrState = {
    v: 1,
    branch: 'fapilog-plugins/fapilog-loki',
    plugins: { 'fapilog-loki': '1.4.0' },
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    handsOff: null,
    closedByBot: false,
  };

  test('round-trip, survive a body around them, and cannot be closed by a value', () => {
    const body = `text\n\n${prMarker({ ...state, plugins: { 'x-->y': '<!--' } as Record<string, string> })}`;
    assert.ok(!body.slice(body.indexOf('<!-- fapilog'), -4).includes('-->'));
    assert.deepEqual(readPrState(`hello\n${prMarker(state)}\nbye`), state);
    assert.deepEqual(
      readPrState(withPrState(`hello\n\n${prMarker(state)}`, { ...state, handsOff: 'c'.repeat(40) }))?.handsOff,
      'c'.repeat(40),
    );
    assert.equal(readPrState('no marker'), null);
    assert.equal(
      readPrState('<!-- fapilog-plugins:state {"v":1,"branch":"main"} -->'),
      null,
      'a marker that names another branch is not ours',
    );
    assert.equal(readIssueKind(`x\n${issueMarker('invalid-config')}`), 'invalid-config');
  });
});

describe('config', () => {
  test('defaults, and errors that name the key', () => {
    assert.equal(parseConfig(null)['open-pull-requests-limit'], 5);
    const cases: Array<[string, string | null, RegExp]> = [
      ['labls: [x]', 'labls', /unknown key/],
      ['groups:\n  a: [loki]\n  b: [fapilog-loki]', 'groups.b', /already in group a/],
      ['reviewers: ["not a login!"]', 'reviewers.0', /not a GitHub login/],
      ['assignees: [acme/team]', 'assignees.0', /team cannot be an assignee/],
      ['commit-message-prefix: "a\\nb"', 'commit-message-prefix', /one line/],
      ['enabled: yes please', 'enabled', /boolean/],
      ['a: [', null, /not valid YAML/],
      ['- just\n- a list', null, /expected object/],
    ];
    for (const [yaml, key, reason] of cases) {
      assert.throws(
        () => parseConfig(enc(yaml)),
        (err: unknown) => err instanceof ConfigError && err.key === key && reason.test(err.message),
        yaml,
      );
    }
    assert.throws(() => parseConfig(new Uint8Array([0x66, 0xe9, 0x0a])), /not valid UTF-8/);
    assert.throws(() => parseConfig(enc(`a: &a [x]\n${Array.from({ length: 30 }, (_, i) => `b${i}: *a`).join('\n')}\n`)), ConfigError);
  });
});

describe('settings and marketplace', () => {
  test("the marketplace token goes to the operator's marketplace only", async () => {
    const bot = createBot(
      readSettings({
        FAPILOG_MARKETPLACE_URL: 'http://127.0.0.1:1/api/v1',
        FAPILOG_MARKETPLACE_TOKEN: 'secret-token',
        FAPILOG_BOT_ALLOWED_MARKETPLACES: 'http://127.0.0.1:2/api/v1',
      }),
    );
    try {
      const own = bot.lookup(undefined) as unknown as { settings: { url: string; token?: string } };
      const other = bot.lookup('http://127.0.0.1:2/api/v1/') as unknown as { settings: { url: string; token?: string } };
      assert.equal(own.settings.token, 'secret-token');
      assert.equal(other.settings.url, 'http://127.0.0.1:2/api/v1');
      assert.equal(other.settings.token, undefined);
      assert.equal(bot.allowedMarketplace('http://127.0.0.1:2/api/v1'), true);
      assert.equal(bot.allowedMarketplace('http://127.0.0.1:3/api/v1'), false);
    } finally {
      await bot.close();
    }
  });

  test('bad settings are named', () => {
    assert.throws(
      () => readSettings({ FAPILOG_BOT_SWEEP_INTERVAL_MINUTES: '1' }),
      (e: unknown) => e instanceof SettingsError && /FAPILOG_BOT_SWEEP_INTERVAL_MINUTES/.test((e as Error).message),
    );
    assert.throws(() => readSettings({ FAPILOG_BOT_ALLOWED_MARKETPLACES: 'ftp://x' }), SettingsError);
    assert.equal(readSettings({}).writeSpacingMs, 1000);
    assert.equal(readSettings({}).marketplace.cacheDir, undefined);
  });
});
