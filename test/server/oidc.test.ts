/**
 * Trusted publishing against the real server and a local OIDC issuer (key pair made here, JWKS
 * discovered from the issuer): the exchange, a publish with the short-lived token and the
 * provenance it records, and every rejection with its exact reason. The server's clock is a
 * variable, so the 15-minute expiry is tested without waiting.
 * `OIDC_REPORT=1 npx node --test test/server/oidc.test.ts` prints every case and its message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, metadataFor, publish, wheelFor } from './util.ts';

let issuer: TestIssuer;
let server: TestServer;
let clock = Date.now();
const nowSeconds = () => Math.floor(clock / 1000);
let owner: string;
const report: Array<[string, number, string]> = [];

const REPO = { repository: 'acme/fapilog-oidc-demo', repository_id: '700123', repository_owner_id: '4501', workflow: 'release.yml' };
const ENV_REPO = {
  repository: 'acme/envrepo',
  repository_id: '800800',
  repository_owner_id: '4501',
  workflow: 'release.yml',
  environment: 'release',
};

before(async () => {
  issuer = await startIssuer();
  issuer.job = {
    ...issuer.job,
    repository: REPO.repository,
    repository_id: REPO.repository_id,
    repository_owner_id: REPO.repository_owner_id,
  };
  server = await startTestServer({ oidc: { issuer: issuer.url }, now: () => new Date(clock) });
  owner = await server.createToken('acme-owner');
});
after(async () => {
  await server?.stop();
  await issuer?.close();
  if (process.env['OIDC_REPORT']) for (const [name, status, message] of report) console.log(`| ${name} | ${status} | ${message} |`);
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const audience = () => server.url;
const exchange = (token: string) =>
  getJson(`${server.apiUrl}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
const mint = (opts: Parameters<TestIssuer['mint']>[1] = {}) => issuer.mint(audience(), { now: nowSeconds(), ...opts });

function publishWith(token: string, name: string, version = '1.0.0') {
  const wheel = wheelFor(name, version);
  return publish(server.apiUrl, name, metadataFor(name, version, [wheel]), [wheel], token);
}

async function rejected(name: string, token: string, status: number, code: string, message: string) {
  const r = await exchange(token);
  report.push([name, r.status, r.body?.error?.message]);
  assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error.code, code, name);
  assert.equal(r.body.error.message, message, name);
}

describe('trusted publishing', () => {
  test('the audience is the marketplace URL, not the Host header', async () => {
    const r = await getJson(`${server.apiUrl}/oidc/audience`, { headers: { Host: 'evil.example' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { audience: server.url });
  });

  test('an owner registers publishers through the API: pending for a new name; strangers may not list them', async () => {
    const add = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({ ...REPO, repository_id: Number(REPO.repository_id), repository_owner_id: Number(REPO.repository_owner_id) }),
    });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    assert.equal(add.body.package, 'fapilog-oidc-demo');
    assert.equal(add.body.pending, true);
    assert.equal(add.body.repository_id, '700123', 'ids are stored as GitHub sends them: strings');
    assert.equal(add.body.issuer, 'https://token.actions.githubusercontent.com', 'the default issuer');
    // This server trusts the local issuer: register the real one for it.
    await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers/${add.body.id}`, { method: 'DELETE', headers: auth(owner) });
    for (const [name, body] of [
      ['oidc-demo', REPO],
      ['oidc-env', ENV_REPO],
    ] as const) {
      const r = await getJson(`${server.apiUrl}/plugins/${name}/publishers`, {
        method: 'POST',
        headers: auth(owner),
        body: JSON.stringify({ ...body, issuer: issuer.url }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const dup = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({ ...REPO, issuer: issuer.url }),
    });
    assert.equal(dup.status, 409);
    const bad = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({ ...REPO, workflow: '../x.yml' }),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^workflow: a workflow file name/);
    const list = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, { headers: auth(owner) });
    assert.deepEqual(
      list.body.publishers.map((p: any) => [p.repository, p.workflow, p.pending]),
      [['acme/fapilog-oidc-demo', 'release.yml', true]],
    );
    const anon = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`);
    assert.equal(anon.status, 401);
  });

  test('exchange, then publish with the short-lived token: the release records repository and workflow', async () => {
    const r = await exchange(await mint());
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.body.token, /^fpo_[A-Za-z0-9_-]{40,}$/);
    assert.equal(r.body.expires_in, 900);
    assert.deepEqual(r.body.plugins, ['fapilog-oidc-demo']);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const pub = await publishWith(r.body.token, 'oidc-demo');
    assert.equal(pub.status, 201, JSON.stringify(pub.body));
    const expected = {
      kind: 'trusted',
      issuer: issuer.url,
      repository: 'acme/fapilog-oidc-demo',
      repository_id: '700123',
      repository_owner_id: '4501',
      workflow_ref: 'acme/fapilog-oidc-demo/.github/workflows/release.yml@refs/tags/v1.0.0',
      ref: 'refs/tags/v1.0.0',
      sha: issuer.job.sha,
      environment: null,
    };
    assert.deepEqual(pub.body.provenance, expected);
    const rel = await getJson(`${server.apiUrl}/plugins/oidc-demo/versions/1.0.0`);
    assert.deepEqual(rel.body.provenance, expected);
    const list = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, { headers: auth(owner) });
    assert.equal(list.body.publishers[0].pending, false, 'the pending publisher now stands for a published plugin');
    // The first publish through a pending publisher made its registrant the owner.
    const yank = await getJson(`${server.apiUrl}/plugins/oidc-demo/versions/1.0.0/yank`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({ reason: 'test' }),
    });
    assert.equal(yank.status, 200);
  });

  test('a token publish records the token owner', async () => {
    const pub = await publishWith(owner, 'oidc-demo', '1.0.1');
    assert.equal(pub.status, 201, JSON.stringify(pub.body));
    assert.deepEqual(pub.body.provenance, { kind: 'token', owner: 'acme-owner' });
  });

  test('the publish token publishes only its plugins, cannot yank, and stops at expiry', async () => {
    const r = await exchange(await mint());
    assert.equal(r.status, 200);
    const other = await publishWith(r.body.token, 'oidc-other');
    report.push(['publish token used for another plugin', other.status, other.body.error.message]);
    assert.equal(other.status, 403);
    assert.equal(
      other.body.error.message,
      'this trusted-publishing token from acme/fapilog-oidc-demo (acme/fapilog-oidc-demo/.github/workflows/release.yml@refs/tags/v1.0.0) may publish only fapilog-oidc-demo, not fapilog-oidc-other',
    );
    const yank = await getJson(`${server.apiUrl}/plugins/oidc-demo/versions/1.0.0/yank`, {
      method: 'POST',
      headers: auth(r.body.token),
      body: JSON.stringify({ reason: 'x' }),
    });
    assert.equal(yank.status, 403);
    assert.match(yank.body.error.message, /^a trusted-publishing token can only publish releases/);

    const expiresAt = r.body.expires_at;
    clock += 14 * 60 * 1000;
    const inTime = await publishWith(r.body.token, 'oidc-demo', '1.0.2');
    assert.equal(inTime.status, 201, 'valid for its 15 minutes');
    clock += 60 * 1000 + 1;
    const late = await publishWith(r.body.token, 'oidc-demo', '1.0.3');
    report.push(['publish token used after expiry', late.status, late.body.error.message]);
    assert.equal(late.status, 401);
    assert.equal(late.body.error.code, 'token_expired');
    assert.equal(
      late.body.error.message,
      `this trusted-publishing token expired at ${expiresAt} (it lives 15 minutes); exchange a new OIDC token at POST /api/v1/oidc/token`,
    );
    const rel = await getJson(`${server.apiUrl}/plugins/oidc-demo/versions/1.0.3`);
    assert.equal(rel.status, 404, 'nothing published after expiry');
  });

  test('a removed publisher ends the right of the tokens it granted', async () => {
    const r = await exchange(await mint());
    const list = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, { headers: auth(owner) });
    const id = list.body.publishers[0].id;
    const del = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers/${id}`, { method: 'DELETE', headers: auth(owner) });
    assert.equal(del.status, 204);
    const pub = await publishWith(r.body.token, 'oidc-demo', '1.0.4');
    assert.equal(pub.status, 403);
    assert.match(
      pub.body.error.message,
      /^the trusted publisher that let acme\/fapilog-oidc-demo .* publish fapilog-oidc-demo was removed$/,
    );
    const again = await getJson(`${server.apiUrl}/plugins/oidc-demo/publishers`, {
      method: 'POST',
      headers: auth(owner),
      body: JSON.stringify({ ...REPO, issuer: issuer.url }),
    });
    assert.equal(again.status, 201);
  });

  test('every rejection names the claim that failed', async () => {
    const iss = issuer.url;
    const at = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const now = () => at(nowSeconds());

    await rejected(
      'wrong repository',
      await mint({ claims: { repository: 'evil/fapilog-oidc-demo', repository_id: '999', repository_owner_id: '666' } }),
      403,
      'publisher_mismatch',
      `repository: no trusted publisher is registered for evil/fapilog-oidc-demo (repository id 999) at ${iss}; register one with \`fapilog-plugins admin publisher add\` or POST /api/v1/plugins/{name}/publishers`,
    );
    await rejected(
      'same name, another repository id',
      await mint({ claims: { repository_id: '700124' } }),
      403,
      'publisher_mismatch',
      "repository_id: acme/fapilog-oidc-demo is registered with repository id 700123, the token's is 700124 (a deleted and re-created repository does not inherit the right to publish)",
    );
    await rejected(
      'another owner id',
      await mint({ claims: { repository_owner_id: '4502' } }),
      403,
      'publisher_mismatch',
      "repository_owner_id: acme/fapilog-oidc-demo is registered with owner id 4501, the token's is 4502",
    );
    await rejected(
      'wrong workflow',
      await mint({ claims: { job_workflow_ref: 'acme/fapilog-oidc-demo/.github/workflows/ci.yml@refs/heads/main' } }),
      403,
      'publisher_mismatch',
      `job_workflow_ref: the token's workflow is acme/fapilog-oidc-demo/.github/workflows/ci.yml@refs/heads/main; trusted publisher #4 of fapilog-oidc-demo allows only .github/workflows/release.yml of acme/fapilog-oidc-demo`,
    );
    const envJob = {
      repository: ENV_REPO.repository,
      repository_id: ENV_REPO.repository_id,
      workflow_ref: 'acme/envrepo/.github/workflows/release.yml@refs/tags/v1.0.0',
      job_workflow_ref: 'acme/envrepo/.github/workflows/release.yml@refs/tags/v1.0.0',
    };
    await rejected(
      'wrong environment',
      await mint({ claims: { ...envJob, environment: 'staging' } }),
      403,
      'publisher_mismatch',
      "environment: trusted publisher #3 of fapilog-oidc-env requires the environment release, the token's job runs in staging",
    );
    await rejected(
      'no environment where one is registered',
      await mint({ claims: envJob }),
      403,
      'publisher_mismatch',
      "environment: trusted publisher #3 of fapilog-oidc-env requires the environment release, the token's job runs in no environment",
    );
    const old = nowSeconds() - 600;
    await rejected(
      'expired',
      await mint({ now: old }),
      401,
      'invalid_token',
      `exp: the token expired at ${at(old + 300)} (now ${now()}, leeway 30s); request a new one`,
    );
    const future = nowSeconds() + 300;
    await rejected(
      'not yet valid',
      await mint({ claims: { nbf: future } }),
      401,
      'invalid_token',
      `nbf: the token is not valid before ${at(future)} (now ${now()}, leeway 30s)`,
    );
    await rejected(
      'wrong audience',
      await issuer.mint('https://other-marketplace.example', { now: nowSeconds() }),
      401,
      'invalid_token',
      `aud: the token is for https://other-marketplace.example, this marketplace expects ${server.url} (GET /api/v1/oidc/audience)`,
    );
    await rejected(
      'wrong issuer',
      await mint({ claims: { iss: 'https://token.actions.evil.example' } }),
      401,
      'invalid_token',
      `iss: the token was issued by https://token.actions.evil.example, this marketplace trusts ${iss}`,
    );
    await rejected(
      'bad signature',
      await mint({ alg: 'other-key' }),
      401,
      'invalid_token',
      `signature: the token's signature does not verify against the keys of ${iss}`,
    );
    await rejected(
      'alg: none',
      await mint({ alg: 'none' }),
      401,
      'invalid_token',
      'alg: none is not allowed (an unsigned token); allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512',
    );
    await rejected(
      'HS256 signed with the public key',
      await mint({ alg: 'HS256-public' }),
      401,
      'invalid_token',
      'alg: HS256 is not allowed (a symmetric algorithm: the issuer signs with a private key); allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512',
    );
    const issuedLater = nowSeconds() + 600;
    await rejected(
      'issued in the future',
      await mint({ claims: { iat: issuedLater, nbf: nowSeconds() - 5 } }),
      401,
      'invalid_token',
      `iat: the token says it was issued at ${at(issuedLater)}, which is in the future (now ${now()}, leeway 30s)`,
    );
    await rejected(
      'no repository_id claim',
      await mint({ omit: ['repository_id'] }),
      401,
      'invalid_token',
      'repository_id: missing from the token',
    );
    await rejected('not a JWT', 'not-a-jwt', 401, 'invalid_token', 'token: not a JWT (expected a signed GitHub Actions OIDC token)');

    const once = await mint();
    const first = await exchange(once);
    assert.equal(first.status, 200);
    const jti = JSON.parse(Buffer.from(once.split('.')[1]!, 'base64url').toString()).jti as string;
    await rejected(
      'replayed jti',
      once,
      401,
      'invalid_token',
      `jti: this OIDC token (jti ${jti}) was already exchanged; each token is accepted once, request a new one`,
    );
  });

  test('a failed exchange does not burn the jti', async () => {
    const token = await mint({ claims: { repository_owner_id: '4502' } });
    assert.equal((await exchange(token)).status, 403);
    assert.equal((await exchange(token)).status, 403, 'still a mismatch, not a replay');
  });
});

describe('trusted publishing, other setups', () => {
  test('one repository may publish several plugins: the token is scoped to all of them', async () => {
    const mono = {
      repository: 'acme/monorepo',
      repository_id: '900900',
      repository_owner_id: '4501',
      workflow: 'release.yml',
      issuer: issuer.url,
    };
    for (const name of ['mono-a', 'mono-b']) {
      const r = await getJson(`${server.apiUrl}/plugins/${name}/publishers`, {
        method: 'POST',
        headers: auth(owner),
        body: JSON.stringify(mono),
      });
      assert.equal(r.status, 201);
    }
    const ref = 'acme/monorepo/.github/workflows/release.yml@refs/tags/v2.0.0';
    const r = await exchange(
      await mint({ claims: { repository: 'acme/monorepo', repository_id: '900900', job_workflow_ref: ref, workflow_ref: ref } }),
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.plugins, ['fapilog-mono-a', 'fapilog-mono-b']);
    assert.equal((await publishWith(r.body.token, 'mono-b')).status, 201);
  });

  test('keys that cannot be fetched are a 503 naming the issuer, not a verdict on the token', async (t) => {
    const closed = await startIssuer();
    const jwksUrl = `${closed.url}/.well-known/jwks`;
    await closed.close();
    const broken = await startTestServer({ oidc: { issuer: issuer.url, jwksUrl } });
    t.after(() => broken.stop());
    const r = await getJson(`${broken.apiUrl}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await issuer.mint(broken.url) }),
    });
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, 'issuer_unavailable');
    assert.match(r.body.error.message, new RegExp(`^cannot fetch the keys of ${issuer.url.replace(/\./g, '\\.')}: `));
  });
});
