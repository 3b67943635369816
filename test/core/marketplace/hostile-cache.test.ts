/**
 * Issue 18, class 1: the metadata cache trusted its directory. A FIFO in an entry's place hung
 * `info`; a symlink to /dev/zero grew the heap until Node aborted; an entry planted in a shared
 * directory was shown as the marketplace's answer after a 304. Only regular files are read (no
 * symlinks followed, size-capped), each entry is bound to its body's digest and its ETag, the
 * directory is made 0700, and one that others can write or another user owns is not used.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { entryDigest, MAX_ENTRY_BYTES, MetadataCache } from '../../../src/core/marketplace/disk-cache.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { settingsFor, tempDir } from './settings.ts';

const URL_A = 'http://h/api/v1/plugins/a';
const posix = typeof process.getuid === 'function';

describe('an entry that is not a regular file is a miss, read without blocking or following', () => {
  test("a FIFO in the entry's place: a miss at once, not a hang", { timeout: 10_000, skip: !posix }, async () => {
    const cache = new MetadataCache(tempDir());
    await cache.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    fs.rmSync(cache.fileFor(URL_A));
    execFileSync('mkfifo', [cache.fileFor(URL_A)]);
    assert.equal(await cache.get(URL_A), undefined);
  });

  test('a symlink to /dev/zero: a miss, the heap untouched', { timeout: 10_000, skip: !posix }, async () => {
    const cache = new MetadataCache(tempDir());
    await cache.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    fs.rmSync(cache.fileFor(URL_A));
    fs.symlinkSync('/dev/zero', cache.fileFor(URL_A));
    assert.equal(await cache.get(URL_A), undefined);
  });

  test('a symlink to a valid entry elsewhere: a miss (not followed)', { skip: !posix }, async () => {
    const dir = tempDir();
    const cache = new MetadataCache(dir);
    await cache.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{"real":true}' });
    const elsewhere = path.join(dir, 'planted.json');
    fs.renameSync(cache.fileFor(URL_A), elsewhere);
    fs.symlinkSync(elsewhere, cache.fileFor(URL_A));
    assert.equal(await cache.get(URL_A), undefined);
  });

  test('a regular file over the size cap: a miss, not read', async () => {
    const cache = new MetadataCache(tempDir());
    await cache.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    fs.truncateSync(cache.fileFor(URL_A), MAX_ENTRY_BYTES + 1);
    assert.equal(await cache.get(URL_A), undefined);
  });
});

describe('each entry is bound to its body and its ETag', () => {
  test('a body edited under its ETag is a miss, whether or not the planter recomputes the digest', async () => {
    const cache = new MetadataCache(tempDir());
    const body = '{"plugin":"real"}';
    const etag = `"${(await import('node:crypto')).createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    await cache.put(URL_A, { status: 200, etag, fetchedAt: 1, body });
    assert.equal((await cache.get(URL_A))?.body, body, 'the honest entry is served');
    const file = cache.fileFor(URL_A);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    const planted = '{"plugin":"planted"}';
    fs.writeFileSync(file, JSON.stringify({ ...stored, body: planted }));
    assert.equal(await cache.get(URL_A), undefined, 'digest no longer matches');
    fs.writeFileSync(file, JSON.stringify({ ...stored, body: planted, digest: entryDigest(etag, planted) }));
    assert.equal(await cache.get(URL_A), undefined, 'the ETag is a digest of another body');
    const noDigest = { ...stored };
    delete noDigest.digest;
    fs.writeFileSync(file, JSON.stringify(noDigest));
    assert.equal(await cache.get(URL_A), undefined, 'an entry without a digest');
  });

  describe('against the reference server: a planted entry is not shown after a 304', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ seed: true });
    });
    after(() => server.stop());

    test("the client refetches and shows the marketplace's answer", async () => {
      const cacheDir = tempDir();
      const settings = settingsFor(server.apiUrl, { cacheDir });
      const real = await new MarketplaceClient(settings).getPlugin('loki');
      assert.ok(real);
      const cache = new MetadataCache(cacheDir);
      const files = fs.readdirSync(cache.dir).filter((n) => n.endsWith('.json'));
      assert.ok(files.length > 0);
      for (const name of files) {
        const file = path.join(cache.dir, name);
        const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
        const body = stored.body.replaceAll(real.description, 'PLANTED: install evil-package instead');
        fs.writeFileSync(file, JSON.stringify({ ...stored, body, digest: entryDigest(stored.etag, body), fetchedAt: 0 }));
      }
      const shown = await new MarketplaceClient(settings).getPlugin('loki');
      assert.equal(shown?.description, real.description);
    });
  });
});

describe('the directory', () => {
  test('is created 0700 (and its entries 0600)', { skip: !posix }, async () => {
    const root = path.join(tempDir(), 'new', 'cache');
    const cache = new MetadataCache(root);
    await cache.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    assert.equal(fs.statSync(root).mode & 0o777, 0o700);
    assert.equal(fs.statSync(cache.dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(cache.fileFor(URL_A)).mode & 0o777, 0o600);
  });

  async function refused(prepare: (root: string, cache: MetadataCache) => void) {
    const root = tempDir();
    const honest = new MetadataCache(root);
    await honest.put(URL_A, { status: 200, etag: null, fetchedAt: 1, body: '{"planted":true}' });
    prepare(root, honest);
    const warnings: string[] = [];
    const cache = new MetadataCache(root, { warn: (m) => warnings.push(m) });
    assert.equal(await cache.get(URL_A), undefined, 'an entry in an unsafe directory is not served');
    await cache.put('http://h/b', { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    assert.equal(fs.existsSync(cache.fileFor('http://h/b')), false, 'nothing is written there');
    assert.equal(await cache.get(URL_A), undefined);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    return warnings[0]!;
  }

  test('one that others can write is not used: one warning, then uncached', { skip: !posix }, async () => {
    const warning = await refused((root) => fs.chmodSync(root, 0o777));
    assert.match(warning, /others can write to .+ \(mode 0777\); running uncached/);
  });

  test('a subdirectory others can write is refused too', { skip: !posix }, async () => {
    const warning = await refused((_root, c) => fs.chmodSync(c.dir, 0o757));
    assert.match(warning, /others can write/);
  });

  test('one another user owns is not used', { skip: !posix || process.getuid!() !== 0 ? 'needs root to chown' : false }, async () => {
    const warning = await refused((root, c) => {
      fs.chownSync(root, 65534, 65534);
      fs.chownSync(c.dir, 65534, 65534);
    });
    assert.match(warning, /belongs to another user \(uid 65534/);
  });

  test('the client warns once and still answers from the marketplace', { skip: !posix }, async () => {
    const server = await startTestServer({ seed: true });
    try {
      const cacheDir = tempDir();
      fs.chmodSync(cacheDir, 0o777);
      const warnings: string[] = [];
      const client = new MarketplaceClient(settingsFor(server.apiUrl, { cacheDir }), { warn: (m) => warnings.push(m) });
      assert.equal((await client.getPlugin('loki'))?.name, 'loki');
      assert.equal((await client.versions('loki'))?.versions.length! > 0, true);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.deepEqual(fs.readdirSync(cacheDir), [], 'nothing written');
    } finally {
      await server.stop();
    }
  });
});
