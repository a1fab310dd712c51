export { Pending } from './Pending.js';
export type { PendingState, PendingOptions, PendingFromOptions, PendingWaitOptions } from './Pending.js';
export { PendingCancelled, PendingNotDone, PendingTimeout, DeadlockError, PendingGroupError, WorkerCrashedError, CallerStoppedError } from './errors.js';
export type { CallerErrorOptions } from './errors.js';
export { config } from './config.js';
export type { RxjsCallerConfig } from './config.js';
export { Caller } from '../schedulers/Caller.js';
export type { Backend, CallerState, CallerOptions, ScheduleCallOptions, ChildCaller } from '../schedulers/Caller.js';
