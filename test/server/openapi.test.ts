/**
 * openapi.yaml agrees with the zod contract (src/core/marketplace/schemas.ts) and with the routes
 * the server registers: same property names, required fields, types and enums, every route documented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import * as contract from '../../src/core/marketplace/schemas.ts';
import { buildRouter } from '../../server/index.ts';

type Schema = Record<string, any>;
const doc = parse(fs.readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Schema;

function resolve(s: Schema): Schema {
  let cur = s;
  for (let i = 0; cur && cur['$ref'] && i < 10; i++) {
    const ref = cur['$ref'] as string;
    assert.ok(ref.startsWith('#/'), ref);
    cur = ref
      .slice(2)
      .split('/')
      .reduce((o: Schema, k) => o?.[k], doc);
    assert.ok(cur, `unresolved ${ref}`);
  }
  // allOf: merge (used for PublishResponse = Release + status)
  if (cur && cur['allOf']) {
    const parts = (cur['allOf'] as Schema[]).map(resolve);
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p['properties'] ?? {})),
      required: parts.flatMap((p) => p['required'] ?? []),
    };
  }
  return cur;
}

function types(s: Schema): Set<string> {
  const r = resolve(s);
  const out = new Set<string>();
  const alts = (r['anyOf'] ?? r['oneOf']) as Schema[] | undefined;
  if (alts) for (const a of alts) for (const t of types(a)) out.add(t);
  if (r['type'] !== undefined) for (const t of [r['type']].flat()) out.add(t === 'integer' ? 'integer' : String(t));
  return out;
}

function objectPart(s: Schema): Schema | undefined {
  const r = resolve(s);
  const alts = (r['anyOf'] ?? r['oneOf']) as Schema[] | undefined;
  if (alts) return alts.map(resolve).find((a) => a['type'] === 'object');
  return r;
}

/** Compare an OpenAPI schema with zod's JSON Schema, recursively. */
function agree(oa: Schema, js: Schema, where: string): void {
  const a = resolve(oa);
  assert.deepEqual([...types(a)].sort(), [...types(js)].sort(), `${where}: types`);
  const ao = objectPart(a);
  const jo = objectPart(js);
  if (jo?.['enum']) assert.deepEqual([...(ao?.['enum'] ?? [])].sort(), [...jo['enum']].sort(), `${where}: enum`);
  if (jo?.['properties']) {
    assert.ok(ao?.['properties'], `${where}: properties documented`);
    assert.deepEqual(Object.keys(ao['properties']).sort(), Object.keys(jo['properties']).sort(), `${where}: property names`);
    assert.deepEqual([...(ao['required'] ?? [])].sort(), [...(jo['required'] ?? [])].sort(), `${where}: required`);
    for (const [k, v] of Object.entries(jo['properties'] as Record<string, Schema>)) agree(ao['properties'][k], v, `${where}.${k}`);
  }
  if (jo?.['items']) agree(ao?.['items'], jo['items'], `${where}[]`);
  if (jo && typeof jo['additionalProperties'] === 'object') agree(ao?.['additionalProperties'], jo['additionalProperties'], `${where}{}`);
}

const OUTPUT: Record<string, z.ZodType> = {
  ReleaseFile: contract.ReleaseFile,
  Release: contract.Release,
  Plugin: contract.Plugin,
  SearchResult: contract.SearchResult,
  VersionsResponse: contract.VersionsResponse,
  DownloadInfo: contract.DownloadInfo,
  BatchEntry: contract.BatchEntry,
  BatchResponse: contract.BatchResponse,
  FapilogVersions: contract.FapilogVersions,
  DayDownloads: contract.DayDownloads,
  PluginStats: contract.PluginStats,
  ErrorBody: contract.ErrorBody,
  PublishResponse: contract.PublishResponse,
  RatingResponse: contract.RatingResponse,
  SimpleProject: contract.SimpleProject,
  TrustedProvenance: contract.TrustedProvenance,
  TokenProvenance: contract.TokenProvenance,
  OidcAudience: contract.OidcAudience,
  OidcTokenResponse: contract.OidcTokenResponse,
  TrustedPublisher: contract.TrustedPublisher,
  TrustedPublisherList: contract.TrustedPublisherList,
  CompatibilityCorrection: contract.CompatibilityCorrection,
  ReleaseAdvisory: contract.ReleaseAdvisory,
  Deprecation: contract.Deprecation,
  AdvisoryList: contract.AdvisoryList,
  AdvisorySaved: contract.AdvisorySaved,
};
const INPUT: Record<string, z.ZodType> = {
  PublishMetadata: contract.PublishMetadata,
  YankRequest: contract.YankRequest,
  CompatibilityRequest: contract.CompatibilityRequest,
  RatingRequest: contract.RatingRequest,
  OidcTokenRequest: contract.OidcTokenRequest,
  TrustedPublisherRequest: contract.TrustedPublisherRequest,
  DeprecationRequest: contract.DeprecationRequest,
};

for (const [name, schema] of Object.entries(OUTPUT)) {
  test(`openapi schema ${name} matches the zod contract`, () => {
    assert.ok(doc['components']['schemas'][name], `${name} is documented`);
    agree(doc['components']['schemas'][name], z.toJSONSchema(schema, { io: 'output' }) as Schema, name);
  });
}
for (const [name, schema] of Object.entries(INPUT)) {
  test(`openapi request schema ${name} matches the zod contract (fields with defaults optional)`, () => {
    agree(doc['components']['schemas'][name], z.toJSONSchema(schema, { io: 'input' }) as Schema, name);
  });
}

test('enums and limits agree: plugin types, sort keys, per_page maximum', () => {
  assert.deepEqual(doc['components']['schemas']['PluginType']['enum'], [...contract.PLUGIN_TYPES]);
  assert.deepEqual(doc['components']['schemas']['SortKey']['enum'], [...contract.SORT_KEYS]);
  assert.equal(doc['components']['parameters']['per_page']['schema']['maximum'], contract.MAX_PER_PAGE);
});

test('list and search document exactly the ListQuery parameters', () => {
  const queryParams = (p: string) =>
    (doc['paths'][p]['get']['parameters'] as Schema[])
      .map(resolve)
      .filter((x) => x['in'] === 'query')
      .map((x) => x['name'])
      .sort();
  const keys = Object.keys(contract.ListQuery.shape).sort();
  assert.deepEqual(queryParams('/api/v1/plugins/search'), keys);
  assert.deepEqual(
    queryParams('/api/v1/plugins'),
    keys.filter((k) => k !== 'q'),
  );
});

test('every route the server registers is documented, and nothing else', () => {
  const served = buildRouter()
    .routes.map((r) => `${r.method} ${r.path}`)
    .sort();
  const documented = Object.entries(doc['paths'] as Record<string, Schema>)
    .flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    )
    .sort();
  assert.deepEqual(documented, served);
});

test('each JSON endpoint documents the contract schema it answers with', () => {
  const expect: Record<string, string> = {
    'get /api/v1/plugins': 'SearchResult',
    'get /api/v1/plugins/search': 'SearchResult',
    'get /api/v1/plugins/batch': 'BatchResponse',
    'get /api/v1/plugins/{name}': 'Plugin',
    'get /api/v1/plugins/{name}/versions': 'VersionsResponse',
    'post /api/v1/plugins/{name}/versions': 'PublishResponse',
    'get /api/v1/plugins/{name}/versions/{version}': 'Release',
    'get /api/v1/plugins/{name}/versions/{version}/download': 'DownloadInfo',
    'post /api/v1/plugins/{name}/versions/{version}/yank': 'Release',
    'put /api/v1/plugins/{name}/rating': 'RatingResponse',
    'get /api/v1/fapilog/versions': 'FapilogVersions',
    'get /api/v1/plugins/{name}/stats': 'PluginStats',
    'get /api/v1/oidc/audience': 'OidcAudience',
    'post /api/v1/oidc/token': 'OidcTokenResponse',
    'get /api/v1/plugins/{name}/publishers': 'TrustedPublisherList',
    'post /api/v1/plugins/{name}/publishers': 'TrustedPublisher',
  };
  for (const [key, schema] of Object.entries(expect)) {
    const [method, p] = key.split(' ') as [string, string];
    const op = doc['paths'][p][method];
    const ok = op['responses']['200'] ?? op['responses']['201'];
    const content = resolve(ok)['content']['application/json'];
    assert.equal(content['schema']['$ref'], `#/components/schemas/${schema}`, key);
    const path = p.match(/\{(\w+)\}/g)?.map((x) => x.slice(1, -1)) ?? [];
    const declared = (op['parameters'] as Schema[])
      .map(resolve)
      .filter((x) => x['in'] === 'path')
      .map((x) => x['name']);
    assert.deepEqual(declared.sort(), path.sort(), `${key}: path parameters`);
  }
  const errors = ['400', '401', '403', '404', '409', '429'].map((s) =>
    resolve(
      doc['components']['responses'][
        { '400': 'BadRequest', '401': 'Unauthorized', '403': 'Forbidden', '404': 'NotFound', '409': 'Conflict', '429': 'RateLimited' }[s]!
      ],
    ),
  );
  for (const e of errors) assert.equal(e['content']['application/json']['schema']['$ref'], '#/components/schemas/ErrorBody');
});

test('X-RateLimit-Reset is documented as epoch seconds (what rate-limit.test.ts checks the server sends)', () => {
  const limited = resolve(doc['components']['responses']['RateLimited']);
  for (const h of ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
    assert.equal(limited['headers']?.[h]?.['schema']?.['type'], 'integer', `429 documents ${h}`);
  }
  assert.match(limited['headers']['X-RateLimit-Reset']['description'], /epoch seconds/i);
  const guide = fs.readFileSync(new URL('../../docs/private-marketplace.md', import.meta.url), 'utf8');
  assert.match(guide.replace(/\s+/g, ' '), /`X-RateLimit-Reset` is the Unix time in epoch seconds/);
});
