/**
 * The one least-recently-used map: the marketplace client's memory cache and de-duplication
 * memo, the bot's git and ETag caches, and the server's response cache all keep a bounded number
 * of entries (and, where entries differ in size, a bounded total cost) this way. Ground floor:
 * imports nothing, so the server and the bot may use it as they use the PEP 440 room.
 */
export class LruMap<K, V> {
  readonly max: number;
  readonly maxCost: number;
  readonly #map = new Map<K, { value: V; cost: number }>();
  #cost = 0;

  /** At most `max` entries, and at most `maxCost` in total of the costs given to set(). */
  constructor(max: number, maxCost = Number.POSITIVE_INFINITY) {
    if (!(max >= 1)) throw new RangeError('an LRU map needs room for at least one entry');
    this.max = max;
    this.maxCost = maxCost;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The sum of the kept entries' costs. */
  get cost(): number {
    return this.#cost;
  }

  get(key: K): V | undefined {
    const hit = this.#map.get(key);
    if (hit === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.#map.delete(key);
    this.#map.set(key, hit);
    return hit.value;
  }

  /**
   * Keeps `value` as the most recently used entry and forgets the least recently used ones beyond
   * the bounds. A value costing more than maxCost on its own is not kept (nor is the one it replaces).
   */
  set(key: K, value: V, cost = 0): boolean {
    this.delete(key);
    if (cost > this.maxCost) return false;
    this.#map.set(key, { value, cost });
    this.#cost += cost;
    for (const [k, v] of this.#map) {
      if (this.#map.size <= this.max && this.#cost <= this.maxCost) break;
      this.#map.delete(k);
      this.#cost -= v.cost;
    }
    return true;
  }

  delete(key: K): void {
    const old = this.#map.get(key);
    if (old === undefined) return;
    this.#map.delete(key);
    this.#cost -= old.cost;
  }

  clear(): void {
    this.#map.clear();
    this.#cost = 0;
  }
}
