import { WorkerCrashedError } from '../../../lib/errors.js';
import type { TaskRef } from './protocol.js';
import { describeTask } from './taskRef.js';

/**
 * What a call held by a pool thread that went away by itself fails with. A thread that had started
 * (it said hello, or began a call) crashed or exited while running it: the error names the thread and
 * the call's task. A thread that never started is at fault itself (its entry did not load, say), not
 * the call's task: the error names only the thread.
 */
export function lostThreadError(threadId: number, started: boolean, ref: TaskRef, code: number, error: unknown): WorkerCrashedError {
  const what = started
    ? `The worker thread ${threadId >= 0 ? `${threadId} ` : ''}running this call (${describeTask(ref)}) ${error !== undefined ? `crashed: ${describeError(error)}` : `exited with code ${code}`}`
    : `The worker thread for this call failed to start${error !== undefined ? `: ${describeError(error)}` : ` (exit code ${code})`}`;
  return new WorkerCrashedError(what, { cause: error });
}

function describeError(error: unknown): string {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? `${(error as Error).name}: ${(error as Error).message}` : String(error);
}
