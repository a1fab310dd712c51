// Shared benchmark plumbing. Every comparison runs all its contenders in this one process, in interleaved
// rounds (round r starts with contender r, so none always runs first, on a cold or a tired heap), with a
// full GC before each contender's turn. tinybench times every iteration; the figure reported is the
// median over all iterations of all rounds, plus the spread of the per-round medians. Ratios compare
// contenders of one run, on one machine: they are the figures to quote, not the absolute rates.
import { Bench } from 'tinybench';

const results = [];
const rows = [];

/** `npm run bench -- --quick`: fewer, shorter rounds and the goal rows only (under two minutes). */
export const quick = process.argv.includes('--quick');

/**
 * `--only <text>` (repeatable): run only the comparisons whose title or a contender's name contains one
 * of the texts (case-insensitive); the others are skipped, with their goal rows.
 */
export const only = process.argv.flatMap((arg, i, all) => (arg === '--only' && all[i + 1] !== undefined ? [all[i + 1].toLowerCase()] : []));

/** A skipped comparison's figures: NaN, so its goal rows are left out (see `row`). */
const SKIPPED = Object.freeze({ median: NaN, perSecond: NaN, samples: 0, spread: NaN });

/**
 * The clock of single-threaded comparisons: this process's CPU time (ms), not the wall clock. On a shared
 * machine a contender is preempted in proportion to how long it runs, so wall-clock ratios between a 1 ms
 * and a 30 ms iteration swing several-fold with the load; CPU time counts the work done (garbage
 * collection threads included, for both sides alike). Rows that involve other threads time the wall clock.
 */
export function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** `fn` timed on {@link cpuNow}; a contender returning `{ overriddenDuration }` already times itself. */
export const onCpu = (fn) => async () => {
  const start = cpuNow();
  const result = await fn();
  return result?.overriddenDuration === undefined ? { overriddenDuration: cpuNow() - start } : result;
};
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

/**
 * Runs `contenders` against each other and prints a table: rate, time per unit, and speed relative to
 * the baseline (`x2.00` = twice the baseline's throughput, `x0.50` = half of it).
 *
 * @param {string} title
 * @param {{ units: number, unit: string, baseline?: string, rounds?: number, time?: number, iterations?: number, warmupIterations?: number }} options
 *   `units` done by one iteration; `rounds` interleaved rounds (default 3); `time` ms per contender per
 *   round (default 150); `iterations` minimum iterations per contender per round (default 2);
 *   `warmupIterations` untimed iterations before the first round (default 2).
 * @param {Record<string, () => unknown>} contenders  one iteration each (may return a promise)
 * @returns {Promise<Map<string, { median: number, perSecond: number, samples: number, spread: number }>>} (NaN figures
 *   when `--only` skips it)
 */
export async function compare(title, options, contenders) {
  const names = Object.keys(contenders);
  if (only.length > 0 && !only.some((o) => [title, ...names].some((t) => t.toLowerCase().includes(o)))) {
    return new Map(names.map((name) => [name, SKIPPED]));
  }
  const rounds = options.rounds ?? 3;
  const samples = new Map(names.map((name) => [name, []]));
  const roundMedians = new Map(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({
      time: options.time ?? 150,
      iterations: options.iterations ?? 2,
      warmup: r === 0 && (options.warmupIterations ?? 2) > 0,
      warmupIterations: options.warmupIterations ?? 2,
      warmupTime: 20,
      retainSamples: true,
      throws: true,
      setup: () => gc(),
    });
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      bench.add(name, contenders[name]);
    }
    await bench.run();
    for (const task of bench.tasks) {
      const latency = task.result?.latency;
      if (!latency?.samples) throw new Error(`${title} / ${task.name}: no samples (${task.result?.state})`);
      samples.get(task.name).push(...latency.samples);
      roundMedians.get(task.name).push(latency.p50);
    }
  }
  const rows = new Map();
  for (const name of names) {
    const median = medianOf(samples.get(name)); // ms per iteration
    const perRound = roundMedians.get(name);
    const spread = (Math.max(...perRound) - Math.min(...perRound)) / median;
    rows.set(name, { median, perSecond: options.units / (median / 1000), samples: samples.get(name).length, spread });
  }
  const baseName = options.baseline ?? names[0];
  const base = rows.get(baseName);
  console.log(`\n## ${title}  (${fmt(options.units)} ${options.unit}s per iteration; median over ${rounds} interleaved rounds)`);
  for (const [name, r] of rows) {
    console.log(
      `  ${name.padEnd(54)} ${fmt(r.perSecond).padStart(8)} ${options.unit}s/s ${fmtNs((r.median * 1e6) / options.units).padStart(9)}/${options.unit}  ` +
        `${name === baseName ? 'baseline' : `x${(r.perSecond / base.perSecond).toFixed(2)}`.padEnd(8)}  ` +
        `(${r.samples} runs, rounds ±${((r.spread * 100) / 2).toFixed(0)}%)`,
    );
  }
  results.push({ title, rows, baseline: baseName });
  return rows;
}

/** Prints plain measured figures (memory, one-off timings) in the same report. */
export function note(title, lines) {
  console.log(`\n## ${title}`);
  for (const line of lines) console.log(`  ${line}`);
  results.push({ title, lines });
}

export function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function fmt(n) {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

export function fmtNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function allResults() {
  return results;
}

/**
 * Records one row of the goal table: `ours` and `peer` are figures of one run in `unit` (rates, higher is
 * better; with `lowerIsBetter`, costs such as bytes); `ratio` is how many times better ours is (ours / peer,
 * or peer / ours for costs) and `goal` the least ratio the issue accepts, which may depend on the Node
 * major (`{ 20: 0.5, 24: 0.33 }`: the entry of the highest major not above the running one).
 * @param {{ name: string, ours: number, peer: number, unit: string, goal: number | Record<number, number>, lowerIsBetter?: boolean }} entry
 */
export function row(entry) {
  if (Number.isNaN(entry.ours) && Number.isNaN(entry.peer)) return; // a comparison skipped by --only
  const major = Number(process.versions.node.split('.')[0]);
  let goal = entry.goal;
  if (typeof goal === 'object') {
    const majors = Object.keys(goal).map(Number).sort((a, b) => a - b);
    goal = goal[majors.filter((m) => m <= major).at(-1) ?? majors[0]];
  }
  const ratio = entry.lowerIsBetter ? entry.peer / entry.ours : entry.ours / entry.peer;
  rows.push({ name: entry.name, node: process.version, ours: round(entry.ours), peer: round(entry.peer), unit: entry.unit, ratio: round(ratio), goal, pass: ratio >= goal });
}

/** Prints the goal table (every row, misses marked) and returns the rows. */
export function printRows() {
  if (rows.length === 0) return rows;
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n# Goals — node ${process.version} (ratio = ours / peer, higher is better; medians of this run)\n`);
  const u = Math.max(...rows.map((r) => r.unit.length));
  console.log(`  ${'row'.padEnd(w)}  ${'ours'.padStart(8)}  ${'peer'.padStart(8)}  ${'unit'.padEnd(u)}  ${'ratio'.padStart(7)}  ${'goal'.padStart(6)}  result`);
  console.log(`  ${'-'.repeat(w)}  ${'-'.repeat(8)}  ${'-'.repeat(8)}  ${'-'.repeat(u)}  ${'-'.repeat(7)}  ${'-'.repeat(6)}  ------`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(w)}  ${fmt(r.ours).padStart(8)}  ${fmt(r.peer).padStart(8)}  ${r.unit.padEnd(u)}  ${`x${r.ratio.toFixed(2)}`.padStart(7)}  ${`x${r.goal}`.padStart(6)}  ${r.pass ? 'pass' : 'BELOW GOAL'}`,
    );
  }
  return rows;
}

function round(n) {
  return Number.isFinite(n) ? Number(n.toPrecision(4)) : n;
}
