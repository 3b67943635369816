/**
 * The design story's own Python MarketplaceClient (copied verbatim into fixtures/) runs against
 * the reference server unchanged: the contract keeps the story's field names and shapes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let server: TestServer;
let tmp: string;
before(async () => {
  server = await startTestServer({ seed: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-story-client-'));
});
after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const DRIVER = `
import asyncio, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from story_marketplace import MarketplaceClient

async def main(base_url, cache_dir):
    async with MarketplaceClient(base_url=base_url, cache_dir=Path(cache_dir)) as client:
        found = await client.search("loki", plugin_type="sink")
        plugin = await client.get_plugin("redact-pii")
        missing = await client.get_plugin("does-not-exist")
        versions = await client.get_versions("kafka")
        url = await client.download_url("sampling", "1.2.1")
    print(json.dumps({
        "search": [p.name for p in found.plugins],
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "plugin": {
            "name": plugin.name,
            "version": plugin.version,
            "plugin_type": plugin.plugin_type,
            "rating": plugin.rating,
            "license": plugin.license,
            "fapilog_compatibility": plugin.fapilog_compatibility,
            "dependencies": plugin.dependencies,
            "checksum": plugin.checksum,
            "published_at": plugin.published_at.isoformat(),
            "utcoffset": plugin.published_at.utcoffset().total_seconds(),
        },
        "missing": missing,
        "versions": versions,
        "download_url": url,
    }))

asyncio.run(main(sys.argv[1], sys.argv[2]))
`;

test("the story's MarketplaceClient works against the server unchanged", async () => {
  const driver = path.join(tmp, 'driver.py');
  fs.writeFileSync(driver, DRIVER);
  const { stdout } = await run('/usr/bin/python3', [driver, server.apiUrl, path.join(tmp, 'cache'), FIXTURES], {
    timeout: 60_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const out = JSON.parse(stdout);
  assert.deepEqual(out.search, ['loki']);
  assert.equal(out.total, 1);
  assert.equal(out.page, 1);
  assert.equal(out.per_page, 20);
  assert.equal(out.plugin.name, 'redact-pii');
  assert.equal(out.plugin.version, '1.1.0');
  assert.equal(out.plugin.plugin_type, 'redactor');
  assert.equal(out.plugin.license, 'Apache-2.0');
  assert.equal(out.plugin.fapilog_compatibility, '>=0.14,<0.20');
  assert.deepEqual(out.plugin.dependencies, ['phonenumbers>=8.13']);
  assert.match(out.plugin.checksum, /^[0-9a-f]{64}$/);
  assert.equal(out.plugin.published_at, '2025-12-01T09:00:00+00:00', 'datetime.fromisoformat parsed it');
  assert.equal(out.plugin.utcoffset, 0);
  assert.ok(out.plugin.rating > 4.5);
  assert.equal(out.missing, null, 'a 404 becomes None');
  assert.deepEqual(out.versions, ['2.0.0', '2.1.0', '3.0.0', '3.1.0']);
  assert.equal(out.download_url, `${server.url}/files/fapilog-sampling/fapilog_sampling-1.2.1-py3-none-any.whl`);
});
