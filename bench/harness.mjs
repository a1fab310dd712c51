// Shared benchmark plumbing: every comparison runs its contenders in one process, one after the other,
// repeats each many times (tinybench), and reports the median per iteration plus ratios to the first
// contender (or a named baseline). Numbers are for comparing in one run, not across machines.
import { Bench } from 'tinybench';

const results = [];

/**
 * @param {string} title
 * @param {{ units: number, unit: string, baseline?: string, time?: number, iterations?: number }} options
 * @param {Record<string, () => unknown>} contenders  one iteration each (may be async)
 */
export async function compare(title, options, contenders) {
  const bench = new Bench({ time: options.time ?? 400, iterations: options.iterations ?? 5, warmupIterations: 2, warmupTime: 50 });
  for (const [name, fn] of Object.entries(contenders)) bench.add(name, fn);
  await bench.run();
  const rows = bench.tasks.map((task) => {
    const median = task.result?.latency?.p50 ?? NaN; // ms per iteration
    return { name: task.name, median, perSecond: options.units / (median / 1000), samples: task.result?.latency?.samplesCount ?? 0 };
  });
  const base = rows.find((r) => r.name === options.baseline) ?? rows[0];
  console.log(`\n## ${title}  (${options.units} ${options.unit} per iteration, median of repeats)`);
  for (const r of rows) {
    const ratio = base.perSecond / r.perSecond;
    console.log(
      `  ${r.name.padEnd(44)} ${fmt(r.perSecond).padStart(12)} ${options.unit}/s  ` +
        `${(r.median * 1e6 / options.units).toFixed(0).padStart(7)} ns/${options.unit}  ` +
        `${r === base ? 'baseline' : `x${(1 / ratio).toFixed(2)} of ${base.name}`}   (${r.samples} runs)`,
    );
  }
  results.push({ title, rows, baseline: base.name });
  return rows;
}

/** Records a plain measured figure (memory, latency) in the same summary. */
export function note(title, lines) {
  console.log(`\n## ${title}`);
  for (const line of lines) console.log(`  ${line}`);
  results.push({ title, lines });
}

export function fmt(n) {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

export function allResults() {
  return results;
}
