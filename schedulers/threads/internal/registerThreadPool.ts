// Makes `caller.toThread()` able to run calls: Caller reaches the pool only through this registration, so
// the pool is in a bundle only when the app imports the thread layer. This module's side effect is the
// point: package.json lists it in `sideEffects`, so a bundler keeps it wherever it is imported.
import { registerThreadPool } from '../../internal/threadCalls.js';
import { ThreadPool } from '../ThreadPool.js';

registerThreadPool(ThreadPool);
