/**
 * A Map that keeps at most `capacity` entries, dropping the least recently used one beyond that (told
 * to `onEvict`). For caches that would otherwise grow with every distinct key a long-lived app makes,
 * such as the source of each inline function sent to a thread. A hit on the newest entry costs one Map
 * lookup, so a loop over the same key pays nothing for the bookkeeping.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  private newest: K | undefined;

  constructor(
    readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined && key !== this.newest) {
      // Map keeps insertion order: re-inserting makes the entry the newest.
      this.map.delete(key);
      this.map.set(key, value);
      this.newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.newest = key;
    if (this.map.size <= this.capacity) return;
    const oldest = this.map.keys().next().value as K;
    const dropped = this.map.get(oldest) as V;
    this.map.delete(oldest);
    this.onEvict?.(oldest, dropped);
  }

  delete(key: K): boolean {
    if (key === this.newest) this.newest = undefined;
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.newest = undefined;
  }
}
