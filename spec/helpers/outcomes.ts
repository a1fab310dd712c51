import { NotSettledError, within } from './within.js';

/** The error a thenable rejects with (within the settle bound); fails the test if it fulfils instead. */
export async function rejectionOf(thenable: PromiseLike<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await within(thenable, 'the thenable');
  } catch (error) {
    if (error instanceof NotSettledError) throw error;
    return error;
  }
  throw new Error(`Expected a rejection, got the value ${String(value)}`);
}

/** The error a synchronous call throws; fails the test if it returns instead. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw');
}
