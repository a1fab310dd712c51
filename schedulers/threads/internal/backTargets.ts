import { Caller } from '../../Caller.js';
import type { BackTargets } from './serveBack.js';
import type { WorkerCaller } from './ServeOptions.js';

/**
 * The callers of this thread that serve what a worker calls back, for a link owned by `owner`: its
 * `Caller.main()` (a handle passed on to the main thread, when this thread is a worker too) and the
 * owner itself (this thread's current caller when there is none, or it is not a Caller). Kept apart
 * from serveBack.ts so the link machinery does not import Caller, which imports it.
 */
export function backTargetsFor(owner: object | undefined): BackTargets & { readonly parentName: string } {
  const parent = isCaller(owner) ? owner : undefined;
  return {
    main: () => Caller.main() as unknown as ReturnType<BackTargets['main']>,
    parent: () => (parent ?? Caller.current()) as unknown as WorkerCaller,
    current: () => Caller.current(),
    parentName: (parent ?? Caller.current()).name,
  };
}

/** `Caller.CANCEL_GRACE`, read when needed so a change applies at once. */
export function cancelGrace(): number {
  return Caller.CANCEL_GRACE;
}

/** Duck-typed, so a caller of the package's other build (ESM beside CJS) counts too. */
function isCaller(value: object | undefined): value is Caller {
  return typeof (value as Partial<Caller> | undefined)?.scheduleCall === 'function' && typeof (value as Partial<Caller>).name === 'string';
}
