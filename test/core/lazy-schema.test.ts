import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { lazySchema } from '../../src/core/lazy-schema.ts';
import { BatchResponse, ListQuery, Plugin, PublishResponse } from '../../src/core/marketplace/schemas.ts';

describe('lazySchema', () => {
  test('builds the schema once, at the first use, and behaves as it', () => {
    let builds = 0;
    const Item = lazySchema(() => {
      builds++;
      return z.object({ name: z.string(), n: z.number().int() });
    });
    assert.equal(builds, 0, 'nothing built at definition');
    const Wrapper = z.object({ items: z.array(Item) });
    assert.deepEqual(Wrapper.parse({ items: [{ name: 'a', n: 1 }] }), { items: [{ name: 'a', n: 1 }] });
    assert.equal(builds, 1);
    assert.deepEqual(Item.parse({ name: 'b', n: 2 }), { name: 'b', n: 2 });
    assert.equal(builds, 1, 'built once');
    assert.ok(Item instanceof z.ZodObject);
    assert.deepEqual(Object.keys(Item.shape), ['name', 'n']);
    assert.deepEqual(Item.extend({ x: z.boolean() }).parse({ name: 'c', n: 3, x: true }), { name: 'c', n: 3, x: true });
    const bad = Wrapper.safeParse({ items: [{ name: 'a', n: 1.5 }] });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['items', 0, 'n'], 'an error still names the field');
  });

  test('the API contract built lazily: a bad batch answer names the field; extend and shape work', () => {
    const r = BatchResponse.safeParse({ plugins: { x: { plugin: { name: 1 }, releases: [] } } });
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues[0]?.path.slice(0, 4), ['plugins', 'x', 'plugin', 'name']);
    assert.ok(Object.keys(ListQuery.shape).length > 0);
    assert.ok('status' in PublishResponse.shape);
    assert.ok(Plugin instanceof z.ZodType);
  });
});
