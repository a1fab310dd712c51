/** A task module written in TypeScript (type annotations and an interface: Node cannot run it without a loader). */
export interface Fib {
  readonly n: number;
  readonly value: number;
}

export function fib(n: number): Fib {
  const go = (k: number): number => (k < 2 ? k : go(k - 1) + go(k - 2));
  return { n, value: go(n) };
}
