/**
 * `instanceof` across copies of the package. Node can load the ESM and the CJS build in one process (an
 * app that `import`s it and a dependency that `require`s it); each build has its own classes, so without
 * help a Pending, a Caller or a PendingCancelled made by one copy is not `instanceof` the other's class.
 * A branded class marks its prototype with a registered symbol (`Symbol.for`, the same in every copy and
 * realm of the thread) and answers `instanceof` by that mark when the ordinary prototype check fails.
 */

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/**
 * Brands `cls` under `name` (call it from the class's `static {}` block). Subclasses keep the ordinary
 * check for themselves; a subclass that must be recognised across copies is branded under its own name.
 */
export function brand(cls: abstract new (...args: never[]) => unknown, name: string): void {
  const mark = Symbol.for(`rxjs-caller.${name}.v1`);
  Object.defineProperty(cls.prototype, mark, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (ordinaryHasInstance.call(this, value)) return true;
      return this === cls && (typeof value === 'object' || typeof value === 'function') && value !== null && (value as Record<symbol, unknown>)[mark] === true;
    },
  });
}
