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
 * same-thread child). A thread or process child is returned only if it is of the kind asked for, a
 * same-thread one only if it is one, with the backend asked for.
 * @throws TypeError when an option is bad, or the existing child of that name is of another kind or has
 *   another backend; CallerStoppedError when `parent` is stopping or stopped.
 */
export function getChild(parent: Caller, options: ChildOptions | undefined, makeSameThread: (name: string | undefined, backend: Backend) => Caller): ChildCaller {
  expectOptionsObject('options', options);
  const name = options?.name;
  const backend = options?.backend;
  const thread = options?.thread;
  const proc = options?.process;
  expectLinkOptions('options.process', proc, 'ProcessOptions');
  if (proc !== undefined && thread !== undefined) throw new TypeError('Expected one of `options.thread` and `options.process`, got both');
  expectLinkOptions('options.thread', thread, 'ThreadOptions');
  const kind: Kind | undefined = proc !== undefined ? 'process' : thread !== undefined ? 'thread' : undefined;
  for (const child of parent.children) {
    if (child.name !== name) continue;
    if (kind === undefined ? !(child instanceof CallerCore) : !kinds[kind]?.is(child)) {
      throw new TypeError(`Child '${name}' of caller '${parent.name}' is not a ${kind ?? 'same-thread'} caller`);
    }
    if (kind === undefined && backend !== undefined && resolveBackend('options.backend', backend) !== (child as Caller)._scheduler) {
      throw new TypeError(`Child caller '${name}' exists with backend ${describeBackend((child as Caller).backend)}, not ${describeBackend(backend)}`);
    }
    return child;
  }
  if (!parent.running) throw new CallerStoppedError(`Caller '${parent.name}' is ${parent.state}: it makes no new children`);
  const made = kind === undefined ? makeSameThread(name, backend ?? parent.backend) : createLinkedChild(parent, name, kind, kind === 'thread' ? thread : proc);
  parent._adoptChild(made);
  return made;
}

/** `options.thread` / `options.process`: undefined, `true`, or an options object. */
function expectLinkOptions(name: string, value: unknown, type: string): void {
  if (value !== undefined && value !== true && (value === null || typeof value !== 'object')) {
    throw new TypeError(`Expected \`${name}\` to be true or a ${type} object, got ${got(value)}`);
  }
}

/**
 * A new child of `parent` on its own worker thread or in its own child process.
 * @throws Error when ThreadCaller (ProcessCaller) was never loaded in this app.
 */
function createLinkedChild(parent: Caller, name: string | undefined, kind: Kind, options: true | object | undefined): ChildCaller {
  const how = kinds[kind];
  if (how === undefined) {
    const type = kind === 'thread' ? 'ThreadCaller' : 'ProcessCaller';
    throw new Error(`caller.get({ ${kind} }) needs ${type}, which this app never loaded: import { ${type} } from 'rxjs-caller' where you make the child (a bundler leaves out what the app does not import)`);
  }
  return how.create(parent, name, options === true ? undefined : options);
}

function describeBackend(backend: Backend): string {
  return typeof backend === 'string' ? `'${backend}'` : 'a custom SchedulerLike';
}
