/**
 * Argument checks shared by every public entry point. Messages follow one shape:
 * Expected `delay` to be a finite number >= 0, got `-1` (number)
 */

/** Renders a value and its type for an argument error, short enough for one line. */
export function got(value: unknown): string {
  let shown: string;
  try {
    shown = typeof value === 'function' ? `function ${(value as { name?: string }).name || 'anonymous'}` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    // A value that cannot be turned into a string (a Proxy whose traps throw, a null-prototype object).
    try {
      shown = Object.prototype.toString.call(value);
    } catch {
      shown = '[unreadable]';
    }
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  let type = value === null ? 'null' : typeof value;
  try {
    if (Array.isArray(value)) type = 'array';
  } catch {
    // A revoked Proxy: `typeof` is all that can be said.
  }
  return `\`${shown}\` (${type})`;
}

export function expectFunction(name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new TypeError(`Expected \`${name}\` to be a function, got ${got(value)}`);
}

/** A duration in ms: a number >= 0; `Infinity` is allowed only when `allowInfinity`. */
export function expectDuration(name: string, value: unknown, allowInfinity = false): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number of milliseconds, got ${got(value)}`);
  if (Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new RangeError(`Expected \`${name}\` to be a ${allowInfinity ? '' : 'finite '}number >= 0, got ${got(value)}`);
  }
}

/** A whole number >= 1; `Infinity` allowed (meaning "no limit"). */
export function expectPositiveCount(name: string, value: unknown): asserts value is number {
  expectCount(name, value, 1);
}

export function expectBoolean(name: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`Expected \`${name}\` to be a boolean, got ${got(value)}`);
}

/** A whole number >= `min`; `Infinity` allowed (meaning "no limit"). */
export function expectCount(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`Expected \`${name}\` to be a number, got ${got(value)}`);
  if (!(value >= min) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(`Expected \`${name}\` to be a whole number >= ${min} (or Infinity), got ${got(value)}`);
  }
}

export function expectOneOf<T extends string | number>(name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`Expected \`${name}\` to be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${got(value)}`);
  }
}

/**
 * Whether `check()` holds; false when it throws. For checks that must read the value (a property, a
 * prototype): a hostile value (a Proxy whose traps throw) then fails the check with a clear argument
 * error instead of throwing its own.
 */
export function holds(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

export function expectOptionsObject(name: string, value: unknown): void {
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new TypeError(`Expected \`${name}\` to be an options object or undefined, got ${got(value)}`);
  }
}
