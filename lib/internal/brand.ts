/**
 * `instanceof` across copies of the package. Node can load the ESM and the CJS build in one process (an
 * app that `import`s it and a dependency that `require`s it); each build has its own classes, so without
 * help a Pending, a Caller or a PendingCancelled made by one copy is not `instanceof` the other's class.
 * A branded class answers a prototype getter, `__rxjsCallerBrand`, with its registered brand (the same
 * string in every copy, like a `Symbol.for` key), and its static `Symbol.hasInstance` accepts a value
 * carrying that brand when the ordinary prototype check fails.
 *
 * Why a string-keyed getter and a static method, written in each class body, rather than a `Symbol.for`
 * key or a helper run after the class: bundlers (esbuild, Rollup) drop an unused class only when its body
 * has no computed symbol member and nothing runs beside it; this way a bundle pays only for the classes
 * it uses.
 */

/** The prototype getter that names a class's brand. */
export const BRAND_KEY = '__rxjsCallerBrand';

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/**
 * The `Symbol.hasInstance` of a branded class `cls`, called with `self` (the class `instanceof` was asked
 * about: `cls` or a subclass). Subclasses keep the ordinary check for themselves.
 */
export function isBranded(self: unknown, cls: unknown, brand: string, value: unknown): boolean {
  if (ordinaryHasInstance.call(self, value)) return true;
  return self === cls && (typeof value === 'object' || typeof value === 'function') && value !== null && (value as Record<string, unknown>)[BRAND_KEY] === brand;
}
