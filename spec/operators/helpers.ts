import type { Pending } from '../../lib/Pending.js';
import type { Caller } from '../../schedulers/Caller.js';

import { within } from '../helpers/within.js';

export { rejectionOf, thrownBy } from '../helpers/outcomes.js';

/** Counts how many probed tasks run at once, and the most that ever did. */
export class ConcurrencyProbe {
  running = 0;
  peak = 0;
  started = 0;

  /** A thunk making a call on `caller` that holds a slot for `ms` (timed by the caller) and returns `value`. */
  task<T>(caller: Caller, value: T, ms = 2): () => Pending<Awaited<T>> {
    return () =>
      caller.callSoon(async () => {
        this.started++;
        this.peak = Math.max(this.peak, ++this.running);
        try {
          await caller.callLater(ms, () => undefined);
          return value;
        } finally {
          this.running--;
        }
      });
  }
}

/** A caller for one test, stopped (and waited for) after it. */
export async function stopped(caller: Caller): Promise<void> {
  caller.stop({ force: true });
  await within(caller.stopped, `${caller} to stop`);
}
