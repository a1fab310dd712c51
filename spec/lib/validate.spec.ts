import { expectDuration, expectFunction, expectOneOf, expectOptionsObject, expectPositiveCount, got } from '../../lib/internal/validate.js';

/** Checks the class and the exact message (jest's toThrow(error) compares messages only). */
function throwsExactly(fn: () => void, Class: new (message: string) => Error, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Class);
  expect((error as Error).message).toBe(message);
}

describe('validate', () => {
  describe('got()', () => {
    it.each<[string, unknown, string]>([
      ['a number', -1, '`-1` (number)'],
      ['NaN', NaN, '`NaN` (number)'],
      ['a string, quoted', 'ten', '`"ten"` (string)'],
      ['null', null, '`null` (null)'],
      ['undefined', undefined, '`undefined` (undefined)'],
      ['an array', [1, 2], '`1,2` (array)'],
      ['a plain object', { a: 1 }, '`[object Object]` (object)'],
      ['a named function', function work() {}, '`function work` (function)'],
      ['a bigint', 3n, '`3` (bigint)'],
      ['a symbol', Symbol('s'), '`Symbol(s)` (symbol)'],
    ])('should show %s with its type', (_label, value, shown) => {
      expect(got(value)).toBe(shown);
    });

    it('should name an anonymous function', () => {
      expect(got([() => 1][0])).toBe('`function anonymous` (function)');
    });

    it('should cut a long value to one short line', () => {
      const shown = got('x'.repeat(200));
      expect(shown.length).toBeLessThan(80);
      expect(shown).toMatch(/\.\.\.` \(string\)$/);
    });

    it('should survive a value that cannot be turned into a string', () => {
      expect(got(Object.create(null))).toBe('`[object Object]` (object)');
    });
  });

  describe('expectFunction()', () => {
    it('should accept a function', () => {
      expect(() => expectFunction('fn', () => 1)).not.toThrow();
    });

    it('should throw a TypeError naming the argument and what it got', () => {
      throwsExactly(() => expectFunction('canceller', 42), TypeError, 'Expected `canceller` to be a function, got `42` (number)');
      throwsExactly(() => expectFunction('fn', null), TypeError, 'Expected `fn` to be a function, got `null` (null)');
    });
  });

  describe('expectDuration()', () => {
    it('should accept 0 and positive finite numbers', () => {
      expect(() => expectDuration('delay', 0)).not.toThrow();
      expect(() => expectDuration('delay', 12.5)).not.toThrow();
    });

    it('should accept Infinity only when allowed', () => {
      expect(() => expectDuration('timeout', Infinity, true)).not.toThrow();
      throwsExactly(() => expectDuration('delay', Infinity), RangeError, 'Expected `delay` to be a finite number >= 0, got `Infinity` (number)');
    });

    it('should throw a RangeError for a negative or NaN duration', () => {
      throwsExactly(() => expectDuration('delay', -1), RangeError, 'Expected `delay` to be a finite number >= 0, got `-1` (number)');
      throwsExactly(() => expectDuration('timeout', NaN, true), RangeError, 'Expected `timeout` to be a number >= 0, got `NaN` (number)');
      throwsExactly(() => expectDuration('timeout', -Infinity, true), RangeError, 'Expected `timeout` to be a number >= 0, got `-Infinity` (number)');
    });

    it('should throw a TypeError for a value that is not a number', () => {
      throwsExactly(() => expectDuration('delay', '5'), TypeError, 'Expected `delay` to be a number of milliseconds, got `"5"` (string)');
      throwsExactly(() => expectDuration('delay', undefined), TypeError, 'Expected `delay` to be a number of milliseconds, got `undefined` (undefined)');
    });
  });

  describe('expectPositiveCount()', () => {
    it('should accept whole numbers >= 1 and Infinity', () => {
      expect(() => expectPositiveCount('maxConcurrent', 1)).not.toThrow();
      expect(() => expectPositiveCount('maxConcurrent', 10)).not.toThrow();
      expect(() => expectPositiveCount('maxConcurrent', Infinity)).not.toThrow();
    });

    it.each([0, -1, 1.5, NaN, -Infinity])('should throw a RangeError for %p', (value) => {
      throwsExactly(() => expectPositiveCount('maxConcurrent', value), RangeError, `Expected \`maxConcurrent\` to be a whole number >= 1 (or Infinity), got \`${value}\` (number)`);
    });

    it('should throw a TypeError for a value that is not a number', () => {
      throwsExactly(() => expectPositiveCount('maxConcurrent', '2'), TypeError, 'Expected `maxConcurrent` to be a number, got `"2"` (string)');
    });
  });

  describe('expectOneOf()', () => {
    it('should accept an allowed value', () => {
      expect(() => expectOneOf('returnWhen', 'ALL_COMPLETED', ['ALL_COMPLETED', 'FIRST_COMPLETED'])).not.toThrow();
      expect(() => expectOneOf('mode', 2, [0, 1, 2, 3])).not.toThrow();
    });

    it('should throw a TypeError listing the allowed values and what it got', () => {
      throwsExactly(
        () => expectOneOf('returnWhen', 'SOME', ['ALL_COMPLETED', 'FIRST_COMPLETED']),
        TypeError,
        'Expected `returnWhen` to be one of "ALL_COMPLETED", "FIRST_COMPLETED", got `"SOME"` (string)',
      );
      throwsExactly(() => expectOneOf('mode', 4, [0, 1, 2, 3]), TypeError, 'Expected `mode` to be one of 0, 1, 2, 3, got `4` (number)');
    });
  });

  describe('expectOptionsObject()', () => {
    it('should accept an object or undefined', () => {
      expect(() => expectOptionsObject('options', {})).not.toThrow();
      expect(() => expectOptionsObject('options', undefined)).not.toThrow();
    });

    it.each<[unknown, string]>([
      [null, '`null` (null)'],
      [5, '`5` (number)'],
      ['x', '`"x"` (string)'],
    ])('should throw a TypeError for %p', (value, shown) => {
      throwsExactly(() => expectOptionsObject('options', value), TypeError, `Expected \`options\` to be an options object or undefined, got ${shown}`);
    });
  });
});
