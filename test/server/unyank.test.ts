/**
 * Un-yank: DELETE of a release's yank (owner's token) takes it back on either store: the release,
 * the versions list and the simple index show it installable again and the reason is gone; a
 * stranger is refused and nothing changes; a release that was not yanked answers as it is.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Release, SimpleProject, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson } from './util.ts';

let server: TestServer;
let owner: string;
let stranger: string;
before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('observability-guild');
  stranger = await server.createToken('mallory');
});
after(async () => {
  await server?.stop();
});

const yankUrl = (version: string) => `${server.apiUrl}/plugins/loki/versions/${version}/yank`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function simpleYanked(filenamePart: string): Promise<boolean | string> {
  const r = await getJson(`${server.url}/simple/fapilog-loki/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
  assert.equal(r.status, 200);
  const file = SimpleProject.parse(r.body).files.find((f) => f.filename.includes(filenamePart));
  assert.ok(file, `a file of ${filenamePart} in the simple index`);
  return file.yanked ?? false;
}

test('DELETE .../yank takes a yank back: release, versions and simple index agree; strangers are refused', async () => {
  const yanked = await getJson(yankUrl('1.3.0'), {
    method: 'POST',
    headers: { ...bearer(owner), 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: 'leaks file handles' }),
  });
  assert.equal(yanked.status, 200, JSON.stringify(yanked.body));
  assert.equal(Release.parse(yanked.body).yanked, true);
  assert.equal(await simpleYanked('-1.3.0-'), 'leaks file handles');

  const refused = await getJson(yankUrl('1.3.0'), { method: 'DELETE', headers: bearer(stranger) });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  const anonymous = await getJson(yankUrl('1.3.0'), { method: 'DELETE' });
  assert.equal(anonymous.status, 401, JSON.stringify(anonymous.body));
  assert.equal(await simpleYanked('-1.3.0-'), 'leaks file handles', 'refused: still yanked');

  const back = await getJson(yankUrl('1.3.0'), { method: 'DELETE', headers: bearer(owner) });
  assert.equal(back.status, 200, JSON.stringify(back.body));
  const release = Release.parse(back.body);
  assert.equal(release.version, '1.3.0');
  assert.equal(release.yanked, false);
  assert.equal(release.yanked_reason, null);
  const versions = VersionsResponse.parse((await getJson(`${server.apiUrl}/plugins/loki/versions`)).body);
  const listed = versions.releases.find((r) => r.version === '1.3.0')!;
  assert.deepEqual([listed.yanked, listed.yanked_reason], [false, null]);
  assert.equal(await simpleYanked('-1.3.0-'), false, 'pip may pick it again');

  const again = await getJson(yankUrl('1.3.0'), { method: 'DELETE', headers: bearer(owner) });
  assert.equal(again.status, 200, 'not yanked: answered as it is');
  assert.equal(Release.parse(again.body).yanked, false);
  const missing = await getJson(yankUrl('9.9.9'), { method: 'DELETE', headers: bearer(owner) });
  assert.equal(missing.status, 404);
});
