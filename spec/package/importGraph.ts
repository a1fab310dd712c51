/**
 * The run-time import graph of the library's sources, as esbuild reads it: type-only imports (`import type`,
 * and imports used only as types) are dropped, as they are from the built JavaScript. Each file maps to the
 * files it imports; dependencies outside the repo (rxjs) are left out.
 */
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const repoRoot = resolve(__dirname, '../..');

/** Every public entry: the graph holds whatever they reach. */
export const ENTRIES = ['index.ts', 'operators/index.ts', 'schedulers/index.ts', 'schedulers/worker.ts', 'lib/testing/index.ts'];

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export async function importGraph(entries: readonly string[] = ENTRIES): Promise<ImportGraph> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: entries.map((entry) => resolve(repoRoot, entry)),
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: join(repoRoot, 'spec', 'package', 'graph-out'), // never written: write is false
    logLevel: 'silent',
  });
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(file, input.imports.filter((edge) => !edge.external).map((edge) => edge.path));
  }
  return graph;
}

/** The import cycles of `graph`, each as the list of files around it (one per cycle found by a DFS). */
export function cycles(graph: ImportGraph): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

/** The files `from` reaches through run-time imports, itself included. */
export function reach(graph: ImportGraph, from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) visit(next);
  };
  visit(from);
  return seen;
}

/** Imports from a file under one of `lower` into a file under one of `upper` (paths relative to the repo). */
export function upwardImports(graph: ImportGraph, lower: readonly string[], upper: readonly string[]): string[] {
  const under = (file: string, folders: readonly string[]) => folders.some((folder) => (folder.endsWith('/') ? file.startsWith(folder) : file === folder));
  const found: string[] = [];
  for (const [file, imports] of graph) {
    if (!under(file, lower)) continue;
    for (const target of imports) if (under(target, upper)) found.push(`${file} -> ${target}`);
  }
  return found;
}
