// Tiny tasks for bench/threads.bench.mjs: the cost measured is the round trip, not the work.
export function echo(value) {
  return value;
}

export default echo;
