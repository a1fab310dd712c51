import type { ChunkQueue } from '../../lib/internal/ChunkQueue';

/** A ChunkQueue's chunks, first to last (its private fields, read for the memory checks). */
export function chunksOf(queue: ChunkQueue<unknown>): unknown[][] {
  const chunks: unknown[][] = [];
  for (let chunk = (queue as unknown as { head: unknown[] }).head; chunk !== undefined; chunk = chunk[chunk.length - 1] as unknown[]) chunks.push(chunk);
  return chunks;
}

/** The item slots a ChunkQueue holds (each chunk's last slot links to the next chunk). */
export function slotsHeld(queue: ChunkQueue<unknown>): number {
  return chunksOf(queue).reduce((slots, chunk) => slots + chunk.length - 1, 0);
}
