/**
 * The `Symbol.asyncDispose` that `await using` looks up. Node 20 lacks it inside some realms (jest's
 * sandbox); TypeScript's downlevel helpers then read `Symbol.asyncDispose` and fail. Defining it as the
 * registered symbol, as TypeScript's release notes recommend, makes `await using x = caller` work
 * everywhere, and is the same symbol in every realm that does the same.
 */
const host = Symbol as unknown as { asyncDispose?: symbol };
host.asyncDispose ??= Symbol.for('Symbol.asyncDispose');

export const asyncDisposeSymbol = host.asyncDispose as typeof Symbol.asyncDispose;
