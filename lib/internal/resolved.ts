/**
 * One settled promise, shared: a reaction on it is the cheapest job a promise gives (no promise of a value
 * made first), for the asap rounds, a shared cancellation's end of stretch and `then` of a call that has run.
 */
export const resolved = Promise.resolve();
