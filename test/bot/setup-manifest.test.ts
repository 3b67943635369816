/**
 * Issue 18, class 7: Probot's setup page put the manifest into `value='…'` unescaped, and app.yml's
 * description has an apostrophe, so GitHub received broken JSON. The setup page `npm run bot`
 * serves (no APP_ID) is read here as a browser reads it: the button's value, an attribute value
 * with its character references decoded, must parse as JSON and carry app.yml's text exactly.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { serveBot } from '../../bot/main.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** An HTML attribute value as the browser sees it: the character references decoded. */
function decodeAttribute(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(ref[1]?.toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return named[ref.toLowerCase()] ?? whole;
  });
}

/** The manifest the setup page's button posts: its single-quoted `value` attribute. */
function postedManifest(html: string): string {
  const m = /<button[^>]*\bname="manifest"[^>]*\bvalue='([^']*)'/.exec(html);
  assert.ok(m, 'the setup page has the manifest button');
  return decodeAttribute(m[1]!);
}

async function setupPage(cwd: string): Promise<string> {
  const before = process.cwd();
  const saved = { NO_SMEE_SETUP: process.env['NO_SMEE_SETUP'], NODE_ENV: process.env['NODE_ENV'] };
  process.env['NO_SMEE_SETUP'] = 'true'; // Probot reads it from process.env: no smee.io channel
  delete process.env['NODE_ENV'];
  process.chdir(cwd); // Probot reads app.yml from the working directory
  const port = await freePort();
  let bot: Awaited<ReturnType<typeof serveBot>> | undefined;
  try {
    bot = await serveBot({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'fatal', NO_SMEE_SETUP: 'true' });
    const res = await fetch(`http://127.0.0.1:${port}/probot`);
    assert.equal(res.status, 200);
    return await res.text();
  } finally {
    process.chdir(before);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await bot?.stop();
  }
}

describe('the setup page serves a manifest that parses', () => {
  test("with the repository's app.yml (its description has an apostrophe)", async () => {
    const appYml = parseYaml(fs.readFileSync(path.join(ROOT, 'app.yml'), 'utf8')) as { description: string; name: string };
    assert.match(appYml.description, /'/, 'the case of the issue is still in app.yml');
    const manifest = JSON.parse(postedManifest(await setupPage(ROOT))) as Record<string, unknown>;
    assert.equal(manifest['description'], appYml.description);
    assert.equal(manifest['name'], appYml.name);
  });

  test('whatever the text: quotes, markup and references in every field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-setup-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const description = `It's "quoted" & <b>bold</b> '></button><script>alert(1)</script> &amp; &#39; \\u0027 ünïcode`;
    const name = `o'brien & <co>`;
    fs.writeFileSync(
      path.join(dir, 'app.yml'),
      `name: ${JSON.stringify(name)}\ndescription: ${JSON.stringify(description)}\nurl: https://example.com/a'b\npublic: false\n`,
    );
    const html = await setupPage(dir);
    assert.doesNotMatch(html, /<script>alert/, 'no markup from app.yml reaches the page');
    const manifest = JSON.parse(postedManifest(html)) as Record<string, unknown>;
    assert.equal(manifest['description'], description);
    assert.equal(manifest['name'], name);
    assert.equal(manifest['url'], "https://example.com/a'b");
  });
});
