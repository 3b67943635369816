/**
 * The bot's pull request warns when the release it moves to has another publisher, as the CLI and
 * the Action do (test/e2e/publisher-change.test.ts): the reference marketplace and a local OIDC
 * issuer on 127.0.0.1, fapilog-prov-token 1.0.0 published through the trusted publisher
 * acme/fapilog-prov and 1.1.0 with the owner's API token; fapilog-prov-same's 1.1.0 through the same
 * publisher again (no warning).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';
import { shownText } from '../helpers/markdown.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, metadataFor, publish, wheelFor } from '../server/util.ts';
import { withHarness } from './harness.ts';

const ACME = { repository: 'acme/fapilog-prov', repository_id: '700123', repository_owner_id: '4501', workflow: 'release.yml' };

let issuer: TestIssuer;
let server: TestServer;

async function publishWith(token: string, name: string, version: string): Promise<void> {
  const wheel = wheelFor(name, version);
  const r = await publish(server.apiUrl, name, metadataFor(name, version, [wheel]), [wheel], token);
  assert.equal(r.status, 201, `${name} ${version}: ${JSON.stringify(r.body)}`);
}

before(async () => {
  issuer = await startIssuer();
  server = await startTestServer({ seed: true, oidc: { issuer: issuer.url } });
  const owner = await server.createToken('acme-owner');
  for (const name of ['prov-token', 'prov-same']) {
    const r = await getJson(`${server.apiUrl}/plugins/${name}/publishers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ACME, issuer: issuer.url }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const trusted = async () => {
    issuer.job = { ...issuer.job, ...ACME };
    const r = await getJson(`${server.apiUrl}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await issuer.mint(server.url) }),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.token as string;
  };
  for (const name of ['prov-token', 'prov-same']) await publishWith(await trusted(), name, '1.0.0');
  await publishWith(await trusted(), 'prov-same', '1.1.0');
  await publishWith(owner, 'prov-token', '1.1.0');
});
after(async () => {
  await server?.stop();
  await issuer?.close();
});

test("the bot's pull request carries the publisher-change warning, and only for the release whose publisher changed", async () => {
  await withHarness(server.apiUrl, async (h, inst) => {
    h.peer.addRepo(inst, 'acme/svc', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-prov-token==1.0.0\nfapilog-prov-same==1.0.0\n' });
    const r = await h.sweep();
    assert.deepEqual(r.failures, []);
    const pulls = h.peer.pulls('acme/svc');
    const changed = pulls.find((p) => p.pull!.head === 'fapilog-plugins/fapilog-prov-token');
    const same = pulls.find((p) => p.pull!.head === 'fapilog-plugins/fapilog-prov-same');
    assert.ok(changed && same, JSON.stringify(pulls.map((p) => p.title)));
    const lines = changed.body!.split('\n');
    const at = lines.indexOf('> **Publisher changed:** check that each new publisher is one you trust before merging.');
    assert.ok(at > 0 && lines[at - 1] === '> [!WARNING]', changed.body!);
    assert.match(shownText(lines[at + 2] ?? ''), /^> - fapilog-prov-token 1\.0\.0 -> 1\.1\.0: publisher changed .*acme\/fapilog-prov/);
    assert.doesNotMatch(same.body!, /Publisher changed/);
  });
});
