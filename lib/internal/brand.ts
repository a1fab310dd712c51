/**
 * `instanceof` across copies of the package. Node can load the ESM and the CJS build in one process (an
 * app that `import`s it and a dependency that `require`s it); each build has its own classes, so without
 * help a Pending, a Caller or a PendingCancelled made by one copy is not `instanceof` the other's class.
 * A branded class answers a prototype getter, `__rxjsCaller`, with its brand — its class name, the
 * same string in every copy, like a `Symbol.for` key (an error's brand is its `name`) — and its static
 * `Symbol.hasInstance` accepts a value whose brand is the name of the class asked about, when the
 * ordinary prototype check fails. A subclass has a name of its own, so it keeps the ordinary check.
 *
 * Why a string-keyed getter and a static method in each class body, rather than a `Symbol.for` key or a
 * helper run after the class: bundlers (esbuild, Rollup) drop an unused class only when its body has no
 * computed symbol member and nothing runs beside it; this way a bundle pays only for the classes it uses.
 * A minifier renames classes, so two minified copies in one bundle do not recognise each other; the
 * hazard this answers is Node's, where the ESM and the CJS build are loaded as published.
 */

/** A branded object, as seen from any copy. */
interface Branded {
  readonly __rxjsCaller?: unknown;
}

/** The `Symbol.hasInstance` of a branded class, called with `self`, the class `instanceof` was asked about. */
export function isBranded(self: { readonly name: string }, value: unknown): boolean {
  // Every branded class makes objects: anything else (a thunk, a primitive) is answered at once, without
  // the generic prototype walk and brand read (8 % of the CPU of asCompleted over 100 000 thunks).
  if (typeof value !== 'object' || !value) return false;
  // `Object[Symbol.hasInstance]` is Function.prototype's: the ordinary prototype check.
  return Object[Symbol.hasInstance].call(self, value) || (value as Branded).__rxjsCaller === self.name;
}
