import { expectOptionsObject, got } from '../../lib/internal/validate.js';
import { CallerStoppedError } from '../../lib/errors.js';
import type { Caller } from '../Caller.js';
import type { ChildCaller } from '../CallerOptions.js';
import type { ProcessOptions } from '../threads/ProcessOptions.js';
import type { ThreadOptions } from '../threads/ThreadOptions.js';
import { resolveBackend, type Backend } from './backends.js';
import { CallerCore } from './CallerCore.js';

/**
 * How `get({ thread })` or `get({ process })` makes and recognises a child living on another thread or in
 * another process. ThreadCaller.ts and ProcessCaller.ts register theirs when they load, so that Caller
 * never imports them: an app that never names them does not carry the thread and process code.
 */
export interface LinkedChildKind {
  create(parent: Caller, name: string | undefined, options: object | undefined): ChildCaller;
  is(child: ChildCaller): boolean;
}

type Kind = 'thread' | 'process';
const kinds: { thread?: LinkedChildKind; process?: LinkedChildKind } = {};

/** Called by ThreadCaller.ts and ProcessCaller.ts when they load. */
export function registerLinkedChildKind(kind: Kind, how: LinkedChildKind): void {
  kinds[kind] = how;
}

type ChildOptions = { name?: string; backend?: Backend; thread?: true | ThreadOptions; process?: true | ProcessOptions };

/**
 * `caller.get(options)`: the existing child of that name, else a new one (made by `makeSameThread` for a
 * same-thread child).
 * @throws TypeError when an option is bad, or the existing child of that name is of another kind or has
 *   another backend; CallerStoppedError when `parent` is stopping or stopped.
 */
export function getChild(parent: Caller, options: ChildOptions | undefined, makeSameThread: (name: string | undefined, backend: Backend) => Caller): ChildCaller {
  const request = readChildRequest(options);
  const { name, backend } = request;
  const linked = request.thread !== undefined || request.process !== undefined;
  // Stryker disable next-line ConditionalExpression: every child has a name, so none matches an undefined one; the check only saves the search
  const child = name === undefined ? undefined : existingChild(parent, request);
  if (child !== undefined) {
    if (linked) return child;
    if (!(child instanceof CallerCore)) throw new TypeError(`Child '${name}' of caller '${parent.name}' is not a same-thread caller`);
    const existing = child as Caller;
    if (backend !== undefined && resolveBackend('options.backend', backend) !== existing._scheduler) {
      throw new TypeError(`Child caller '${name}' exists with backend ${describeBackend(existing.backend)}, not ${describeBackend(backend)}`);
    }
    return existing;
  }
  if (!parent.running) throw new CallerStoppedError(`Caller '${parent.name}' is ${parent.state}: it makes no new children`);
  const made = linked ? createLinkedChild(parent, request) : makeSameThread(name, backend ?? parent.backend);
  parent._adoptChild(made);
  return made;
}

/** What `caller.get(options)` asks for, checked. */
interface ChildRequest {
  readonly name: string | undefined;
  readonly backend: Backend | undefined;
  readonly thread: true | ThreadOptions | undefined;
  readonly process: true | ProcessOptions | undefined;
}

/**
 * Checks the options of `caller.get()`.
 * @throws TypeError when `thread` or `process` has the wrong type, or both are given.
 */
function readChildRequest(options: ChildOptions | undefined): ChildRequest {
  expectOptionsObject('options', options);
  const thread = options?.thread;
  const proc = options?.process;
  if (proc !== undefined && proc !== true && (proc === null || typeof proc !== 'object')) {
    throw new TypeError(`Expected \`options.process\` to be true or a ProcessOptions object, got ${got(proc)}`);
  }
  if (proc !== undefined && thread !== undefined) throw new TypeError('Expected one of `options.thread` and `options.process`, got both');
  if (thread !== undefined && thread !== true && (thread === null || typeof thread !== 'object')) {
    throw new TypeError(`Expected \`options.thread\` to be true or a ThreadOptions object, got ${got(thread)}`);
  }
  return { name: options?.name, backend: options?.backend, thread, process: proc };
}

/**
 * The child of `parent` named `request.name`, if any. A thread or process child is returned only if it is
 * of the kind asked for; a same-thread one is returned as it is, for `get()` to check.
 * @throws TypeError when the child of that name is not a thread (process) caller and one was asked for.
 */
function existingChild(parent: Caller, request: ChildRequest): ChildCaller | undefined {
  for (const child of parent.children) {
    if (child.name !== request.name) continue;
    if (request.process !== undefined) {
      if (kinds.process?.is(child)) return child;
      throw new TypeError(`Child '${request.name}' of caller '${parent.name}' is not a process caller`);
    }
    if (request.thread !== undefined) {
      if (kinds.thread?.is(child)) return child;
      throw new TypeError(`Child '${request.name}' of caller '${parent.name}' is not a thread caller`);
    }
    return child;
  }
  return undefined;
}

/**
 * A new child of `parent` on its own worker thread or in its own child process.
 * @throws Error when ThreadCaller (ProcessCaller) was never loaded in this app.
 */
function createLinkedChild(parent: Caller, request: ChildRequest): ChildCaller {
  const kind: Kind = request.process !== undefined ? 'process' : 'thread';
  const how = kinds[kind];
  if (how === undefined) {
    const name = kind === 'thread' ? 'ThreadCaller' : 'ProcessCaller';
    throw new Error(`caller.get({ ${kind} }) needs ${name}, which this app never loaded: import { ${name} } from 'rxjs-caller' where you make the child (a bundler leaves out what the app does not import)`);
  }
  const options = request[kind];
  return how.create(parent, request.name, options === true ? undefined : options);
}

function describeBackend(backend: Backend): string {
  return typeof backend === 'string' ? `'${backend}'` : 'a custom SchedulerLike';
}
