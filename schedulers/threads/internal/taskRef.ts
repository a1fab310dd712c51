import { LruMap } from '../../../lib/internal/LruMap.js';
import { got } from '../../../lib/internal/validate.js';
import type { ThreadTask } from '../threadTask.js';
import { THREAD_TASK } from './threadTaskBrand.js';
import type { TaskRef } from './protocol.js';

/** One ref per task or function, made on first use: links name tasks by ref identity. */
const refs = new WeakMap<object, TaskRef>();
/**
 * Refs of functions by source: an inline arrow written in a loop is a new function each time, but one
 * task to a link (named once, compiled once), so links and workers do not grow with every call. Bounded:
 * an app that makes new sources all the time (generated code) keeps only the recent ones.
 */
const bySource = new LruMap<string, TaskRef>(512);

/**
 * What goes on the wire for a task: a {@link ThreadTask}'s module and export, or a function's source.
 * A function's source is checked once (and kept) per function.
 * @throws TypeError when `task` is neither, or is a function that cannot be sent as source.
 */
export function toTaskRef(task: unknown, argName = 'task'): TaskRef {
  if (typeof task === 'function') {
    let ref = refs.get(task);
    if (ref === undefined) refs.set(task, (ref = sourceRef(task, argName)));
    return ref;
  }
  if (typeof task === 'object' && task !== null && (task as Record<symbol, unknown>)[THREAD_TASK] === true) {
    let ref = refs.get(task);
    if (ref === undefined) {
      const { moduleUrl, exportName } = task as ThreadTask<unknown[], unknown>;
      refs.set(task, (ref = { module: moduleUrl, name: exportName }));
    }
    return ref;
  }
  throw new TypeError(`Expected \`${argName}\` to be a ThreadTask (from threadTask() or threadModule()) or a self-contained function, got ${got(task)}`);
}

/** A short name for a task, for messages. */
export function describeTask(ref: TaskRef): string {
  return 'module' in ref ? `'${ref.name}' of ${ref.module}` : `inline function ${ref.name ? `'${ref.name}'` : '(anonymous)'}`;
}

function sourceRef(fn: Function, argName: string): TaskRef {
  const source = Function.prototype.toString.call(fn);
  const known = bySource.get(source);
  // The name is part of the ref (error messages use it): a same-source function of another name gets its own.
  if (known !== undefined && known.name === fn.name) return known;
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(`Expected \`${argName}\` to be a self-contained function, got a native or bound function (${got(fn)}), whose source cannot be sent to a thread: wrap it, or use threadTask()`);
  }
  if (/^class\b/.test(source)) {
    throw new TypeError(`Expected \`${argName}\` to be a function, got a class (${got(fn)})`);
  }
  const ref: TaskRef = { source, name: fn.name };
  bySource.set(source, ref);
  return ref;
}
