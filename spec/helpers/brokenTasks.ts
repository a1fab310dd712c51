/** A task module that throws while it loads. */
export function never(): number {
  return 1;
}

throw new Error('this module refuses to load');
