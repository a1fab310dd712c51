/**
 * The entry point of rxjs-caller's worker threads, and the package's only module with a side effect:
 * loaded as a worker, it serves the calls of the thread that started it. Pools and ThreadCallers start
 * it themselves; a browser bundle bundles it as an entry of its own and sets `config.workerEntry` to its URL.
 */
import { Caller } from './Caller.js';
import { startWorker } from './threads/internal/startWorker.js';

startWorker(Caller);
