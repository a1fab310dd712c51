/**
 * The `Symbol.asyncDispose` that `await using` looks up. Node 20 lacks it inside some realms (jest's
 * sandbox); TypeScript's downlevel helpers then read `Symbol.asyncDispose` and fail. Defining it as the
 * registered symbol, as TypeScript's release notes recommend, makes `await using x = caller` work
 * everywhere, and is the same symbol in every realm that does the same.
 */
const host = Symbol as unknown as { asyncDispose?: symbol };
host.asyncDispose ??= Symbol.for('Symbol.asyncDispose');

// Annotated, not only asserted: a const typed by assertion alone is not taken for the well-known key, and
// classes keyed with it would not satisfy `AsyncDisposable` (`await using caller = new Caller()` would not compile).
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = host.asyncDispose as typeof Symbol.asyncDispose;
