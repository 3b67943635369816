/**
 * The one LRU map (src/core/lru.ts) that the client, the bot and the server share: bounded by
 * count (test/core/marketplace/memory-cache.test.ts) and by the total of the costs given.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LruMap } from '../../src/core/lru.ts';

describe('LruMap by cost', () => {
  test('forgets the least recently used entries until the total cost fits', () => {
    const m = new LruMap<string, string>(100, 10);
    m.set('a', 'A', 4);
    m.set('b', 'B', 4);
    assert.equal(m.get('a'), 'A'); // b is now the least recently used
    m.set('c', 'C', 4);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], ['A', undefined, 'C']);
    assert.equal(m.cost, 8);
  });

  test('a value costing more than the bound is not kept, nor the value it replaces', () => {
    const m = new LruMap<string, string>(100, 10);
    m.set('a', 'old', 3);
    assert.equal(m.set('a', 'too big', 11), false);
    assert.equal(m.get('a'), undefined);
    assert.equal(m.cost, 0);
  });

  test('replacing and deleting give the cost back; clear empties it', () => {
    const m = new LruMap<string, string>(100, 10);
    m.set('a', 'x', 6);
    m.set('a', 'y', 2);
    assert.equal(m.cost, 2);
    m.set('b', 'z', 5);
    m.delete('b');
    assert.equal(m.cost, 2);
    m.clear();
    assert.equal(m.size, 0);
    assert.equal(m.cost, 0);
  });
});
