/**
 * The entry point of rxjs-caller's worker threads, and the package's only module with a side effect:
 * loaded as a worker, it serves the calls of the thread that started it. Pools and ThreadCallers start
 * it themselves; a browser bundle bundles it as an entry of its own and sets `config.workerEntry` to its URL,
 * or imports it from a worker script of its own (with its task modules, registered by `registerTaskModule`)
 * that `config.createWorker` starts.
 */
import { Caller } from './Caller.js';
import { startWorker } from './threads/internal/startWorker.js';
import { registerLinkedChildKind } from './internal/childCallers.js';
import { processCallerKind } from './ProcessCaller.js';
import { threadCallerKind } from './ThreadCaller.js';
import './threads/internal/registerThreadPool.js';

// A task may make children and pools of its own (`Caller.current().get({ thread: true })`). Kinds are
// registered by name here:
// a bundler drops a bare `import './ThreadCaller.js'`, that file being marked free of side effects.
registerLinkedChildKind('thread', threadCallerKind);
registerLinkedChildKind('process', processCallerKind);

export { registerTaskModule } from './threads/internal/loadTask.js';

startWorker(Caller);
