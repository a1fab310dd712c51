/**
 * A FIFO queue on a chain of array chunks: O(1) push and shift at any length. `Array#shift` and
 * `splice(0, 1)` are O(n) on long arrays in V8 (~85 µs per call at 100 k items), which makes a busy
 * queue quadratic.
 *
 * Chunks, not one ring buffer grown by doubling: a burst (a million values through `observeOn(caller)`)
 * never copies its items into a buffer twice as large (that copy was ~4 % of such a burst's profile),
 * and no array of megabytes lands in the collector's large-object space. A chunk holds at most
 * `MAX_CHUNK` items and is garbage once its items have been shifted.
 */
/** Items in the first chunk; each further chunk holds twice its predecessor's, up to MAX_CHUNK. */
const FIRST_CHUNK = 16;
/** Items in a chunk at most (16 KB on a 64-bit heap: an ordinary heap object, not a large one). */
const MAX_CHUNK = 2048;

/** A chunk: its items, then (in its last slot) the chunk after it. */
type Chunk = unknown[];

export class ChunkQueue<T> {
  private head!: Chunk;
  private tail!: Chunk;
  /** Where the head item is in `head`, and where the next pushed item goes in `tail`. */
  private first!: number;
  private end!: number;
  private size!: number;

  constructor() {
    this.clear();
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    let tail = this.tail;
    const link = tail.length - 1;
    if (this.end === link) {
      tail = this.tail = tail[link] = new Array(Math.min(link * 2, MAX_CHUNK) + 1);
      this.end = 0;
    }
    tail[this.end++] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    let head = this.head;
    if (this.first === head.length - 1) {
      head = this.head = head[this.first] as Chunk;
      this.first = 0;
    }
    const item = head[this.first] as T;
    head[this.first++] = undefined; // let the item be collected
    // Empty: the one chunk left starts over, or after a burst a small one replaces it (an idle or stopped
    // caller must not hold a large chunk).
    if (--this.size === 0) {
      if (head.length > FIRST_CHUNK + 1) this.clear();
      else this.first = this.end = 0;
    }
    return item;
  }

  /** The head item (undefined when empty: an empty queue's slots are all cleared). */
  peek(): T | undefined {
    const head = this.head;
    return (this.first === head.length - 1 ? (head[this.first] as Chunk)[0] : head[this.first]) as T | undefined;
  }

  /** Removes every item and returns them in order. */
  drain(): T[] {
    const out: T[] = [];
    while (this.size > 0) out.push(this.shift() as T);
    return out;
  }

  /** Removes every item. */
  clear(): void {
    this.head = this.tail = new Array(FIRST_CHUNK + 1);
    this.first = this.end = this.size = 0;
  }
}
