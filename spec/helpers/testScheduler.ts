import type { TestScheduler } from 'rxjs/testing';
import { createCallerTestScheduler } from '../../lib/testing/index';

export { errorsByNameAndMessage } from '../../lib/testing/index';

/** A TestScheduler whose deep-equality compares errors by `{ name, message }`. */
export function createTestScheduler(): TestScheduler {
  return createCallerTestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
