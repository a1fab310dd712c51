import { asyncScheduler } from 'rxjs';
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
  if (scheduler === null || typeof scheduler !== 'object' || !holds(() => typeof scheduler.schedule === 'function' && typeof scheduler.now === 'function')) {
    throw new TypeError(`Expected \`options.scheduler\` to be an RxJS SchedulerLike (with schedule() and now()), got ${got(scheduler)}`);
  }
  return { timeout, returnWhen, scheduler };
}
