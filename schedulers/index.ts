export { Caller } from './Caller.js';
export type { Backend, CallerState, CallerOptions, ScheduleCallOptions, ChildCaller } from './Caller.js';
