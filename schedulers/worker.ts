/**
 * The entry point of rxjs-caller's worker threads, and the package's only module with a side effect:
 * loaded as a worker, it serves the calls of the thread that started it. Pools and ThreadCallers start
 * it themselves; a browser bundle may need its URL (`workerEntry` in the thread options).
 */
import { Caller } from './Caller.js';
import { startWorker } from './threads/internal/startWorker.js';

startWorker(Caller);
