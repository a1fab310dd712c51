import { expectOptionsObject, got } from '../../../lib/internal/validate.js';
import type { ResourceLimits, ThreadOptions } from '../ThreadOptions.js';

const LIMIT_KEYS: readonly (keyof ResourceLimits)[] = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'];

/** Checks the options a thread is started with (`get({ thread })`); `true` stands for the defaults. */
export function checkThreadOptions(given: unknown, name = 'options.thread'): ThreadOptions {
  if (given === undefined || given === true) return {};
  expectOptionsObject(name, given);
  const options = given as ThreadOptions;
  checkWorkerEntry(`${name}.workerEntry`, options.workerEntry);
  checkExecArgv(`${name}.execArgv`, options.execArgv);
  checkResourceLimits(`${name}.resourceLimits`, options.resourceLimits);
  return options;
}

/**
 * A worker entry: a URL (duck-typed: one made in another realm, a jest sandbox or an iframe, is fine too),
 * or a string that is a URL, an absolute path or a path starting with `./` or `../` (what Node's `Worker`
 * and `fork` take; a bare name would be refused by the one and looked up in the cwd by the other).
 */
export function checkWorkerEntry(name: string, value: unknown): void {
  if (value === undefined || typeof (value as { href?: unknown } | null)?.href === 'string') return;
  if (typeof value === 'string' && /^(?:[a-zA-Z][a-zA-Z\d+.-]*:|\/|\\|\.\.?[\\/])/.test(value)) return;
  throw new TypeError(`Expected \`${name}\` to be a URL, an absolute path or a path starting with ./, got ${got(value)}`);
}

export function checkExecArgv(name: string, value: unknown): void {
  if (value !== undefined && (!Array.isArray(value) || value.some((arg) => typeof arg !== 'string'))) throw new TypeError(`Expected \`${name}\` to be an array of strings, got ${got(value)}`);
}

/** Node's resource limits: an object of known keys, each a finite number > 0. */
export function checkResourceLimits(name: string, value: unknown): asserts value is ResourceLimits | undefined {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`Expected \`${name}\` to be an object of limits in MB, got ${got(value)}`);
  for (const key of Object.keys(value)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) throw new TypeError(`Expected \`${name}\` to have only the keys ${LIMIT_KEYS.join(', ')}, got \`${key}\``);
    const limit = (value as Record<string, unknown>)[key];
    if (typeof limit !== 'number') throw new TypeError(`Expected \`${name}.${key}\` to be a number of MB, got ${got(limit)}`);
    if (!(limit > 0) || !Number.isFinite(limit)) throw new RangeError(`Expected \`${name}.${key}\` to be a finite number > 0, got ${got(limit)}`);
  }
}
