/**
 * The machinery of the table-driven bad-input tests (spec/reliability/*badInput.spec.ts): the bad values
 * every argument is tried with, the shape of a row, and the check that a call either throws a clear
 * argument error naming its argument or does what the row documents.
 */

export const PROXY_ERROR = 'hostile proxy trap';

/** A Proxy that throws from every trap a library may touch. */
function hostileProxy(): object {
  const trap = (): never => {
    throw new Error(PROXY_ERROR);
  };
  return new Proxy({}, { get: trap, has: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, set: trap, defineProperty: trap });
}

/** A thenable whose `then` throws. */
function throwingThenable(): object {
  return {
    then(): never {
      throw new Error('thenable then threw');
    },
  };
}

export const BAD_VALUES = {
  'a string': () => 'abc',
  NaN: () => NaN,
  'a negative number': () => -1,
  Infinity: () => Infinity,
  'a Proxy that throws': hostileProxy,
  'a thenable that throws': throwingThenable,
} as const;
export type BadKind = keyof typeof BAD_VALUES;

/**
 * What a row does with a bad value it accepts: `'ok'` (returns normally), `'own error'` (an options object
 * is read as it is: the error its getters throw propagates from the call, before anything started), or a
 * check of the returned value (which must settle what it started: nothing may hang).
 */
export type Accepted = 'ok' | 'own error' | ((result: unknown) => void | Promise<void>);

export interface BadInputRow {
  /** The API, as a user writes it. */
  api: string;
  /** The argument the error must name, e.g. `options.timeout`. */
  arg: string;
  /** Calls the API with `value` in the argument's place. */
  call: (value: unknown) => unknown;
  /** Bad values this argument accepts, and what then happens; every other one must throw. */
  accepts?: Partial<Record<BadKind, Accepted>>;
}

/** One test case per row and bad value, named `<api> with <value>`. */
export function badInputCases(rows: readonly BadInputRow[]): (BadInputRow & { kind: BadKind; name: string })[] {
  return rows.flatMap((row) => (Object.keys(BAD_VALUES) as BadKind[]).map((kind) => ({ ...row, kind, name: `${row.api} with ${kind}` })));
}

/**
 * Calls the row's API with the bad value and checks the outcome: a TypeError/RangeError naming the
 * argument and what it got, or what the row accepts. Gives back the call's result when accepted (`'ok'`
 * or a check), for the caller's own follow-up — boxed, since an async function would await a Pending.
 */
export async function expectBadInputOutcome(row: BadInputRow, kind: BadKind): Promise<{ result?: unknown }> {
  const accepted = row.accepts?.[kind];
  let result: unknown;
  let thrown: unknown;
  let threw = false;
  try {
    result = row.call(BAD_VALUES[kind]());
  } catch (error) {
    threw = true;
    thrown = error;
  }
  if (accepted === undefined) {
    expect(threw).toBe(true);
    expect([TypeError.name, RangeError.name]).toContain((thrown as Error).name);
    expect((thrown as Error).message).toContain(`\`${row.arg}\``);
    expect((thrown as Error).message).toMatch(/got /);
    return {};
  }
  if (accepted === 'own error') {
    expect(threw).toBe(true);
    expect((thrown as Error).message).toBe(PROXY_ERROR);
    return {};
  }
  if (threw) throw thrown;
  if (typeof accepted === 'function') await accepted(result);
  return { result };
}
