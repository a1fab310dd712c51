/**
 * The app's thread tasks: one shard of a search, run on a Web Worker. It works in small steps and looks
 * at its signal between them, so a search the user has moved on from stops inside the worker on any
 * page (with or without shared memory). It reports what happens in the worker on a BroadcastChannel
 * the page shows.
 */
import { Caller } from 'rxjs-caller';

const WORDS = [
  'apple', 'apricot', 'avocado', 'banana', 'blackberry', 'blueberry', 'cantaloupe', 'cherry', 'clementine',
  'coconut', 'cranberry', 'damson', 'date', 'dragonfruit', 'durian', 'elderberry', 'feijoa', 'fig', 'gooseberry',
  'grape', 'grapefruit', 'guava', 'honeydew', 'jackfruit', 'kiwi', 'kumquat', 'lemon', 'lime', 'lychee', 'mandarin',
  'mango', 'mangosteen', 'melon', 'mulberry', 'nectarine', 'orange', 'papaya', 'passionfruit', 'peach', 'pear',
  'persimmon', 'pineapple', 'plum', 'pomegranate', 'quince', 'raspberry', 'redcurrant', 'starfruit', 'strawberry',
  'tangerine', 'watermelon',
];

const log = new BroadcastChannel('rxjs-caller-example');

/**
 * The words of shard `shard` (of `shards`) containing `term`. A term starting with 'wait' never finishes by itself
 * (a search slow enough to be switched away from); 'boom' fails in shard 2.
 */
export async function searchShard(term: string, shard: number, shards: number): Promise<string[]> {
  // In browsers the current pending holds for the synchronous part of a call only: read it first.
  const signal = Caller.currentPending()!.signal;
  log.postMessage(`started '${term}' (shard ${shard + 1})`);
  try {
    const found: string[] = [];
    for (let i = shard; i < WORDS.length || term.startsWith('wait'); i += shards) {
      await new Promise((resolve) => setTimeout(resolve, 1)); // one step of the work
      signal.throwIfAborted();
      if (term === 'boom' && shard === 2) throw new Error(`shard ${shard + 1} cannot search for '${term}'`);
      const word = WORDS[i];
      if (word !== undefined && word.includes(term)) found.push(word);
    }
    return found;
  } catch (error) {
    if (signal.aborted) log.postMessage(`cancelled '${term}' (shard ${shard + 1})`);
    throw error;
  }
}
