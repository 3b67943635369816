/**
 * The web catalog in a real browser: Debian's Chromium through playwright-core, against the
 * reference server seeded with the demo catalog plus one plugin whose README (and metadata) is
 * hostile. Also writes the screenshots docs/screenshots/*.png that README.md shows, so they are
 * always of the pages as they are.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMarketplace, type Marketplace } from '../../../server/index.ts';
import { CATALOG_FILE } from '../../helpers/server.ts';
import { launchChromium } from '../../helpers/browser.ts';

// The callbacks given to page.evaluate run in the browser; the project compiles without the DOM
// library (it would change Node's fetch types), so this module names what they use, untyped.
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: any): any;
type Element = any;
type HTMLElement = any;
type HTMLInputElement = any;

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
/** Links the pages print (the install line) use this, so the screenshots do not change with the port. */
const PUBLIC_URL = 'https://plugins.example.com';
/** Another origin: nothing on the pages may make the browser ask it for anything. */
const ELSEWHERE = 'http://127.0.0.2:9';

const HOSTILE_README = [
  '# Hostile <b>plugin</b>',
  '',
  '<script>window.__pwned = 1; alert("script")</script>',
  '',
  `<img src="${ELSEWHERE}/x.png" onerror="window.__pwned = 2; alert('img')">`,
  '',
  '[click me](javascript:alert(document.domain)) and [data](data:text/html,<script>alert(1)</script>) and [vb](vbscript:msgbox(1))',
  '',
  `<iframe src="${ELSEWHERE}/frame"></iframe>`,
  '',
  '<a href="javascript:alert(1)">raw link</a> <svg onload="alert(1)"></svg> <style>body{display:none}</style>',
  '',
  `![pixel](${ELSEWHERE}/pixel.gif "tracking") ![inline](javascript:alert(1))`,
  '',
  `<form action="${ELSEWHERE}/steal"><button>go</button></form>`,
  '',
  '<details open><summary>raw html block</summary><p onclick="alert(1)">x</p></details>',
  '',
  // 5 MB more: the page shows the start and says how much was left out.
  'filler line of text that makes this README five megabytes long.\n'.repeat(80_000),
].join('\n');

let marketplace: Marketplace;
let url: string;
let browser: Browser;
let dataDir: string;
const consoleErrors: string[] = [];

function watch(page: Page): Page {
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function newPage(ctx?: BrowserContext): Promise<Page> {
  return watch(await (ctx ?? browser).newPage());
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-web-'));
  const catalog = JSON.parse(fs.readFileSync(CATALOG_FILE, 'utf8'));
  catalog.plugins.push({
    name: 'hostile-readme',
    description: 'Looks harmless <img src=x onerror=alert(1)> but is not',
    author: '<script>alert("author")</script>',
    owner: 'mallory',
    plugin_type: 'filter',
    license: 'MIT',
    homepage: 'javascript:alert(1)',
    repository: `${ELSEWHERE}/repo`,
    releases: [{ version: '0.1.0', fapilog_compatibility: '>=0.10', published_at: '2026-01-01T00:00:00+00:00', readme: HOSTILE_README }],
  });
  const seedFile = path.join(dataDir, 'catalog.json');
  fs.writeFileSync(seedFile, JSON.stringify(catalog));
  marketplace = await createMarketplace({
    dataDir: path.join(dataDir, 'data'),
    seedFile,
    publicUrl: PUBLIC_URL,
    rateLimit: { limit: 100_000, windowSeconds: 60 },
  });
  url = await marketplace.listen(0, '127.0.0.1');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await marketplace?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Names of the plugins in the result list, in order. */
async function resultNames(page: Page): Promise<string[]> {
  return page.locator('#results h3 a').allTextContents();
}

describe('web catalog in Chromium', () => {
  test('search finds a plugin by name and by description, through the form', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${url}/`);
    assert.equal(await page.title(), 'Search · fapilog plugins');
    assert.ok((await resultNames(page)).includes('fapilog-loki'), 'the home page lists every plugin');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png') });

    await page.fill('#q', 'loki');
    await page.press('#q', 'Enter');
    await page.waitForURL(/\?q=loki/);
    assert.deepEqual(await resultNames(page), ['fapilog-loki']);

    await page.fill('#q', 'probabilistic');
    await page.click('button[type=submit]');
    await page.waitForURL(/\?q=probabilistic/);
    assert.deepEqual(await resultNames(page), ['fapilog-sampling'], 'a word only in the description finds it');
    await page.close();
  });

  test('filters: type, "works with fapilog", sorting and pagination', async () => {
    const page = await newPage();
    await page.goto(`${url}/?type=sink&fapilog=0.8.0&sort=name`);
    const names = await resultNames(page);
    assert.ok(names.includes('fapilog-loki'), 'loki 1.0.0 works with fapilog 0.8.0');
    for (const n of names) assert.match((await page.locator('#results li', { hasText: n }).first().textContent()) ?? '', /sink/);
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
    assert.match(
      (await page.locator('#results li', { hasText: 'fapilog-loki' }).textContent()) ?? '',
      /1\.0\.0 works with fapilog 0\.8\.0/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search.png') });

    await page.goto(`${url}/?per_page=5&sort=name`);
    const first = await resultNames(page);
    assert.equal(first.length, 5);
    await page.click('a[rel=next]');
    const second = await resultNames(page);
    assert.equal(second.length, 5);
    assert.equal(first.filter((n) => second.includes(n)).length, 0, 'page 2 shows other plugins');
    await page.close();
  });

  test('keyboard navigation reaches the results, after the skip link and the form', async () => {
    const page = await newPage();
    await page.goto(`${url}/?q=redact`);
    const stops: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        if (el.closest('#results')) return `result:${el.textContent}`;
        return el.id || el.getAttribute('href') || el.tagName;
      });
      stops.push(where);
      if (where.startsWith('result:')) break;
    }
    assert.equal(stops[0], '#main', 'the skip link comes first');
    assert.ok(
      stops.indexOf('q') < stops.findIndex((s) => s.startsWith('result:')),
      `the search field comes before the results: ${stops.join(' ')}`,
    );
    assert.match(stops.at(-1)!, /^result:fapilog-/, `a result link is reached by Tab: ${stops.join(' ')}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/plugins\//);
    assert.match((await page.locator('h1').textContent()) ?? '', /^fapilog-/);
    await page.close();
  });

  test('the plugin page shows the compatibility matrix, install line and facts', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    // Some downloads today, so the chart has a bar: the wheel as pip fetches it, and the API call.
    const versions = (await (await fetch(`${url}/api/v1/plugins/loki/versions`)).json()) as {
      releases: Array<{ version: string; files: Array<{ url: string }> }>;
    };
    // One wheel of each release (a file fetched again over the same connection counts once).
    for (const r of versions.releases) assert.equal((await fetch(`${url}${new URL(r.files[0]!.url).pathname}`)).status, 200);
    assert.equal((await fetch(`${url}/api/v1/plugins/loki/versions/1.3.0/download`)).status, 200);
    await page.goto(`${url}/plugins/loki`);
    assert.equal(await page.locator('[data-recent-downloads]').textContent(), '5');
    assert.equal(await page.locator('td[data-downloads="1.4.0"]').textContent(), String(2975 + 1));
    assert.equal(await page.locator('td[data-downloads="1.3.0"]').textContent(), String(5480 + 2));
    assert.equal(await page.locator('svg.chart rect[height]:not([height="0.0"])').count(), 1, 'one day with downloads');
    const cellOf = (version: string, fapilog: string) =>
      page.locator(`#matrix tr[id="v-${version}"] td[data-fapilog="${fapilog}"]`).getAttribute('data-cell');
    const expected: Record<string, Record<string, string>> = {
      '0.12.0': { '1.0.0': 'works', '1.2.0': 'works', '1.3.0': 'no', '1.4.0': 'no' },
      '0.16.0': { '1.0.0': 'no', '1.2.0': 'works', '1.3.0': 'works', '1.4.0': 'works' },
      '0.19.0rc1': { '1.0.0': 'no', '1.2.0': 'no', '1.3.0': 'no', '1.4.0': 'works' },
    };
    for (const [fapilog, row] of Object.entries(expected)) {
      for (const [version, want] of Object.entries(row))
        assert.equal(await cellOf(version, fapilog), want, `loki ${version} with fapilog ${fapilog}`);
    }
    // Default: the newest final fapilog (0.18.1).
    assert.equal(await page.locator('#install-version').textContent(), '1.4.0');
    assert.match(
      (await page.locator('pre.install').textContent()) ?? '',
      /^pip install --index-url https:\/\/plugins\.example\.com\/simple\/ "fapilog-loki==1\.4\.0"$/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plugin.png'), fullPage: true });

    await page.selectOption('#fapilog', '0.12.0');
    await page.click('text=Show install line');
    await page.waitForURL(/fapilog=0\.12\.0/);
    assert.equal(await page.locator('#install-version').textContent(), '1.2.0', 'the newest release that works with 0.12.0');

    await page.goto(`${url}/plugins/sampling`);
    assert.equal(await page.locator('#matrix tr[id="v-1.2.0"] td[data-fapilog="0.16.0"]').getAttribute('data-cell'), 'yanked');
    assert.equal(await page.locator('#matrix tr[id="v-1.2.1"] td[data-fapilog="0.16.0"]').getAttribute('data-cell'), 'works');
    await page.close();
  });

  test('/fapilog/{version} lists each plugin with its newest release that works', async () => {
    const page = await newPage();
    await page.goto(`${url}/fapilog/0.12.0`);
    const row = page.locator('#working tr', { hasText: 'fapilog-loki' });
    assert.match((await row.textContent()) ?? '', /1\.2\.0/);
    assert.equal(await page.locator('#working tr', { hasText: 'fapilog-otel' }).locator('td').first().textContent(), '1.1.0');
    await page.close();
  });

  test('a hostile README runs no script, injects no element and asks no other origin', async () => {
    const page = await newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const response = await page.goto(`${url}/plugins/hostile-readme`);
    assert.equal(response?.status(), 200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    const body = await response!.body();
    assert.ok(body.length < 1_000_000, `the page is bounded (${body.length} bytes for a 5 MB README)`);
    // Links and the page's own controls are followed by nothing here; give any load a moment.
    await page.waitForLoadState('networkidle');
    const facts = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      iframes: document.querySelectorAll('iframe, object, embed, form[action*="127.0.0.2"]').length,
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      badLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
        /^\s*(javascript|data|vbscript):/i.test(a.getAttribute('href') ?? ''),
      ).length,
      images: document.querySelectorAll('main img, main svg:not(.chart)').length,
      styles: document.querySelectorAll('style, link[rel=stylesheet]:not([href="/static/site.css"])').length,
      readmeText: document.querySelector('.readme')?.textContent ?? '',
      author: document.querySelector('dl.facts')?.textContent ?? '',
      hasHomepage: [...document.querySelectorAll('dl.facts dt')].some((dt) => dt.textContent === 'Homepage'),
      visible: getComputedStyle(document.body).display,
    }));
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    assert.equal(facts.pwned, null);
    assert.equal(facts.scripts, 0);
    assert.equal(facts.iframes, 0);
    assert.equal(facts.handlers, 0);
    assert.equal(facts.badLinks, 0);
    assert.equal(facts.images, 0, 'README images become links');
    assert.equal(facts.styles, 0);
    assert.equal(facts.visible, 'block');
    assert.ok(facts.readmeText.includes('<script>window.__pwned = 1'), 'raw HTML shows as text');
    assert.ok(/The README continues for \d+ more characters/.test(facts.readmeText), `the cut is said: ${facts.readmeText.slice(-300)}`);
    assert.match(facts.author, /<script>alert\("author"\)<\/script>/);
    assert.equal(facts.hasHomepage, false, 'a javascript: homepage is not linked');

    // Searching for it shows its hostile description as text too.
    await page.goto(`${url}/?q=harmless`);
    assert.match((await page.locator('#results').textContent()) ?? '', /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.locator('#results img').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    await page.close();
  });

  test('pages render and search works with JavaScript disabled', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await newPage(ctx);
    await page.goto(`${url}/`);
    await page.fill('#q', 'kafka');
    await page.click('button[type=submit]');
    await page.waitForURL(/\?q=kafka/);
    assert.deepEqual(await resultNames(page), ['fapilog-kafka']);
    await page.click('#results a');
    await page.waitForURL(/\/plugins\/kafka/);
    assert.ok((await page.locator('#matrix td[data-cell]').count()) > 0);
    await page.goto(`${url}/fapilog/0.16.0`);
    assert.ok((await page.locator('#working tbody tr').count()) > 5);
    await ctx.close();
  });

  test('usable on a phone: no sideways scrolling of the page, landmarks and labels in place', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await newPage(ctx);
    for (const p of ['/', '/?q=loki', '/plugins/loki', '/fapilog/0.16.0', '/plugins/hostile-readme']) {
      await page.goto(`${url}${p}`);
      const f = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        landmarks: ['header', 'nav', 'main', 'footer'].map((t) => document.querySelectorAll(t).length > 0),
        unlabelled: [...document.querySelectorAll('input, select')].filter((el) => (el as HTMLInputElement).labels?.length === 0).length,
        h1: document.querySelectorAll('h1').length,
      }));
      assert.ok(f.overflow <= 0, `${p} scrolls sideways by ${f.overflow}px`);
      assert.deepEqual(f.landmarks, [true, true, true, true], p);
      assert.equal(f.unlabelled, 0, p);
      assert.equal(f.h1, 1, p);
    }
    await ctx.close();
  });

  test('text has a contrast of at least 4.5:1 against its background', async () => {
    const page = await newPage();
    for (const p of ['/?q=loki', '/plugins/sampling']) {
      await page.goto(`${url}${p}`);
      const low = await page.evaluate(() => {
        const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bg = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length < 4 || c[3]! > 0) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const out: string[] = [];
        for (const el of document.querySelectorAll('body *')) {
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
          if (!own || (el as HTMLElement).offsetParent === null) continue;
          const a = lum(rgb(getComputedStyle(el).color));
          const b = lum(bg(el));
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < 4.5) out.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
        }
        return out;
      });
      assert.deepEqual(low, [], p);
    }
    await page.close();
  });

  test('no console errors on any page visited', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
