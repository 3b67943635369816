/** publisherChange and its one-line descriptions: every reason, and the changes that are not flagged. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describePublisher,
  describePublisherChange,
  GITHUB_OIDC_ISSUER,
  Provenance,
  publisherChange,
  workflowFile,
  type TrustedProvenance,
} from '../../../src/core/publish/provenance.ts';

const trusted = (over: Partial<TrustedProvenance> = {}): TrustedProvenance => ({
  kind: 'trusted',
  issuer: GITHUB_OIDC_ISSUER,
  repository: 'acme/fapilog-loki',
  repository_id: '123',
  repository_owner_id: '45',
  workflow_ref: 'acme/fapilog-loki/.github/workflows/release.yml@refs/tags/v1.4.0',
  ref: 'refs/tags/v1.4.0',
  sha: '0123456789abcdef0123456789abcdef01234567',
  environment: null,
  ...over,
});
const token = (owner: string) => ({ kind: 'token', owner }) as const;

test('the same publisher, or nothing known on a side: no change', () => {
  assert.equal(publisherChange(trusted(), trusted()), null);
  assert.equal(publisherChange(null, trusted()), null);
  assert.equal(publisherChange(trusted(), null), null);
  assert.equal(publisherChange(undefined, token('alice')), null);
  assert.equal(publisherChange(token('alice'), token('alice')), null);
});

test('a renamed repository, another workflow or ref in it, and token -> trusted are not flagged', () => {
  assert.equal(publisherChange(trusted(), trusted({ repository: 'acme/loki-sink' })), null);
  assert.equal(
    publisherChange(
      trusted(),
      trusted({ workflow_ref: 'acme/fapilog-loki/.github/workflows/publish.yml@refs/tags/v2', environment: 'release' }),
    ),
    null,
  );
  assert.equal(publisherChange(token('alice'), trusted()), null);
});

test('each change has its reason, and keeps both sides', () => {
  const cases: Array<[Provenance, Provenance, string]> = [
    [trusted(), trusted({ repository: 'evil/fapilog-loki', repository_id: '999', repository_owner_id: '666' }), 'another-repository'],
    [trusted(), trusted({ repository_id: '124' }), 'another-repository'],
    [trusted(), trusted({ repository_owner_id: '46' }), 'another-owner'],
    [trusted(), trusted({ issuer: 'https://ghe.example.com/_services/token' }), 'another-issuer'],
    [trusted(), token('alice'), 'token-after-trusted'],
    [token('alice'), token('mallory'), 'another-token-owner'],
  ];
  for (const [from, to, reason] of cases) {
    const c = publisherChange(from, to);
    assert.deepEqual(c, { from, to, reason }, reason);
  }
});

test('descriptions name repository, id, workflow file and environment; a change names both', () => {
  assert.equal(describePublisher(trusted()), 'trusted publisher acme/fapilog-loki (repository id 123), workflow release.yml');
  assert.equal(
    describePublisher(trusted({ environment: 'release', issuer: 'https://ghe.example.com/_services/token' })),
    'trusted publisher acme/fapilog-loki at https://ghe.example.com/_services/token (repository id 123), workflow release.yml, environment release',
  );
  assert.equal(describePublisher(token('alice')), 'token of owner alice');
  assert.match(describePublisher(null), /^unknown/);
  const c = publisherChange(trusted(), trusted({ repository: 'evil/fapilog-loki', repository_id: '999' }))!;
  assert.equal(
    describePublisherChange(c),
    'publisher changed (published from another repository): was trusted publisher acme/fapilog-loki (repository id 123), workflow release.yml, now trusted publisher evil/fapilog-loki (repository id 999), workflow release.yml',
  );
  assert.equal(workflowFile('a/b/.github/workflows/x.yaml@refs/heads/main'), 'x.yaml');
});

test('the schema refuses a trusted provenance without numeric ids', () => {
  assert.equal(Provenance.safeParse(trusted({ repository_id: 'abc' })).success, false);
  assert.equal(Provenance.safeParse({ kind: 'token' }).success, false);
  assert.equal(Provenance.safeParse(token('alice')).success, true);
});
