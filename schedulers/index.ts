// The schedulers entry brings the whole thread layer, whatever the app names: importing it (even bare,
// `import 'rxjs-caller/schedulers'`) makes toThread and get({ thread | process }) work in any bundle.
// package.json lists it in `sideEffects` for that; the root entry stays tree-shakable.
import { registerLinkedChildKind } from './internal/childCallers.js';
import { processCallerKind } from './ProcessCaller.js';
import { threadCallerKind } from './ThreadCaller.js';
import './threads/internal/registerThreadPool.js';

registerLinkedChildKind('thread', threadCallerKind);
registerLinkedChildKind('process', processCallerKind);

export { Caller } from './Caller.js';
export type { Backend, CallerState, CallerOptions, ScheduleCallOptions, ChildCaller } from './Caller.js';
export { ThreadCaller } from './ThreadCaller.js';
export type { ThreadCallerOptions, StreamValue } from './ThreadCaller.js';
export { ProcessCaller } from './ProcessCaller.js';
export type { ProcessCallerOptions } from './ProcessCaller.js';
export type { ProcessOptions } from './threads/ProcessOptions.js';
export { threadTask } from './threads/threadTask.js';
export type { ThreadTask } from './threads/threadTask.js';
export type { Cloned } from './threads/Cloned.js';
export { threadModule } from './threads/threadModule.js';
export type { ThreadModule } from './threads/threadModule.js';
export type { ThreadOptions } from './threads/ThreadOptions.js';
export { transfer } from './threads/transfer.js';
export { runSync } from './threads/runSync.js';
