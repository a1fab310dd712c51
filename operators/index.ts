export { gather } from './gather.js';
export { asCompleted } from './asCompleted.js';
export { wait } from './wait.js';
export type { Awaitable, AwaitableValue, Gathered, Settled, WaitResult, ReturnWhen, GatherOptions, AsCompletedOptions, WaitOptions } from '../lib/types.js';
