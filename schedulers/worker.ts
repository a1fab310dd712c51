/**
 * The entry point of rxjs-caller's worker threads, and the package's only module with a side effect:
 * loaded as a worker, it serves the calls of the thread that started it. Pools and ThreadCallers start
 * it themselves; a browser bundle bundles it as an entry of its own and sets `config.workerEntry` to its URL.
 */
import { Caller } from './Caller.js';
import { startWorker } from './threads/internal/startWorker.js';
// A task may make children of its own (`Caller.current().get({ thread: true })`): these register both kinds.
import './ThreadCaller.js';
import './ProcessCaller.js';

startWorker(Caller);
