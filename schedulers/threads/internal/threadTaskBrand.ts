// Apart from threadTask.ts, which brings the thread pool: the pool's own code (taskRef.ts) reads the brand
// without importing back the module that registers it.

/** The run-time brand of a `ThreadTask`; registered, so both builds of the package recognise it. */
export const THREAD_TASK = Symbol.for('rxjs-caller.thread-task');
