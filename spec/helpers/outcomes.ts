/** The error a thenable rejects with; fails the test if it fulfils instead. */
export async function rejectionOf(thenable: PromiseLike<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await thenable;
  } catch (error) {
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
