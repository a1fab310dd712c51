import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { expectBoolean, expectDuration, expectOneOf, expectOptionsObject, expectPositiveCount, got, holds } from '../../lib/internal/validate.js';
import type { AsCompletedOptions, GatherOptions, ReturnWhen, WaitOptions } from '../../lib/types.js';

/**
 * Option readers: each combinator checks its options when it is made (not when subscribed), so a bad
 * option throws where it was written, naming it.
 */

export function readGatherOptions(options: GatherOptions | undefined): Required<GatherOptions> {
  expectOptionsObject('options', options);
  const { returnExceptions = false, concurrency = Infinity } = options ?? {};
  expectBoolean('options.returnExceptions', returnExceptions);
  expectPositiveCount('options.concurrency', concurrency);
  return { returnExceptions, concurrency };
}

export function readAsCompletedOptions(options: AsCompletedOptions | undefined): Required<AsCompletedOptions> {
  expectOptionsObject('options', options);
  const { maxConcurrent = Infinity, cancelUnfinished = true } = options ?? {};
  expectPositiveCount('options.maxConcurrent', maxConcurrent);
  expectBoolean('options.cancelUnfinished', cancelUnfinished);
  return { maxConcurrent, cancelUnfinished };
}

const RETURN_WHEN: readonly ReturnWhen[] = ['ALL_COMPLETED', 'FIRST_COMPLETED', 'FIRST_EXCEPTION'];

export function readWaitOptions(options: WaitOptions | undefined): Required<WaitOptions> {
  expectOptionsObject('options', options);
  const { timeout = Infinity, returnWhen = 'ALL_COMPLETED', scheduler = asyncScheduler } = options ?? {};
  expectDuration('options.timeout', timeout, true);
  expectOneOf('options.returnWhen', returnWhen, RETURN_WHEN);
  expectScheduler('options.scheduler', scheduler);
  return { timeout, returnWhen, scheduler };
}

export function expectScheduler(name: string, value: unknown): asserts value is SchedulerLike {
  const s = value as SchedulerLike | null;
  if (s === null || typeof s !== 'object' || !holds(() => typeof s.schedule === 'function' && typeof s.now === 'function')) {
    throw new TypeError(`Expected \`${name}\` to be an RxJS SchedulerLike (with schedule() and now()), got ${got(value)}`);
  }
}
