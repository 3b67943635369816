/**
 * The bot's pure pieces: the Markdown escaping it relies on, the PR marker, the config parser's
 * errors, the settings and the marketplace token's destination.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../bot/config.ts';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { clip, code, linkUrl, quietCell, quietText } from '../../src/core/render/markdown.ts';
import { prMarker, readIssueKind, readPrState, withPrState, issueMarker, type PrState } from '../../bot/marker.ts';
import { createBot } from '../../bot/bot.ts';
import { readSettings, SettingsError } from '../../bot/settings.ts';

const enc = (s: string) => new TextEncoder().encode(s);

// The bot writes through the core's Markdown (src/core/render/markdown.ts); these are the
// properties its pull requests, issues and comments rely on, checked by rendering as GFM.
describe('markdown the bot writes', () => {
  const render = (md: string) => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

  test('untrusted text cannot become markup, HTML, a link, a mention or a reference', () => {
    const evil = '<img src=x onerror=alert(1)> **bold** [click](http://evil.test) @admin #12 `x` | a ~~s~~ $x$ ![i](y)';
    const out = quietText(evil);
    const html = render(out);
    assert.match(html, /^<p>[^<]*<\/p>\n?$/, 'no element at all');
    // GitHub finds mentions and references in the rendered text: a zero-width space breaks each.
    assert.ok(html.includes('@\u200badmin'), html);
    assert.ok(html.includes('#\u200b12'), html);
    assert.doesNotMatch(html, /@admin|#12/);
    assert.ok(!out.includes('http://'), 'bare URLs are not autolinked');
    assert.equal(quietText('a\nb\r\nc'), 'a b c');
    assert.equal(clip('x'.repeat(400), 10), `${'x'.repeat(9)}…`);
  });

  test('a line that starts with a list or heading marker stays a paragraph', () => {
    for (const line of ['- item', '1. first', '# title', '+ plus', '> quote']) assert.match(render(quietText(line)), /^<p>/, line);
    assert.equal(quietText('plain'), 'plain');
  });

  test('code spans cannot be closed early, cells stay cells, links only for http(s)', () => {
    assert.equal(render(code('a`b\nc')).trim(), '<p><code>a`b c</code></p>');
    assert.equal(quietCell(null), '—');
    assert.equal(quietCell('a|b'), 'a\\|b');
    assert.equal(linkUrl('javascript:alert(1)'), null);
    assert.equal(linkUrl('https://example.test/a b(c)'), 'https://example.test/a%20b%28c%29');
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
