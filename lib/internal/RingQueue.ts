/**
 * A FIFO queue on a growable ring buffer: O(1) push and shift at any length. `Array#shift` and
 * `splice(0, 1)` are O(n) on long arrays in V8 (~85 µs per call at 100 k items), which makes a busy
 * queue quadratic.
 */
/** A drained buffer larger than this is replaced by a small one (its growth is amortised anyway). */
const SHRINK_ABOVE = 1024;

export class RingQueue<T> {
  private items: (T | undefined)[] = new Array(16);
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let the item be collected
    this.head = (this.head + 1) & (this.items.length - 1);
    if (--this.size === 0 && this.items.length > SHRINK_ABOVE) {
      // Drained after a burst: give the buffer back (a stopped or idle caller must not hold megabytes).
      this.items = new Array(16);
      this.head = 0;
    }
    return item;
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** @internal The buffer's capacity (for the memory tests). */
  get capacity(): number {
    return this.items.length;
  }

  /** Removes every item and returns them in order. */
  drain(): T[] {
    const out: T[] = [];
    while (this.size > 0) out.push(this.shift() as T);
    return out;
  }

  /** Removes every item. */
  clear(): void {
    this.items = new Array(16);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    // Capacity stays a power of two so the index wraps with a mask.
    const old = this.items;
    const next: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
