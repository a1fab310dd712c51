/**
 * The layers of DESIGN §2, checked on the run-time import graph (type-only imports aside): `lib/` ←
 * `operators/` ← `schedulers/` ← the root entry, no import circle, and Caller reaches the thread and
 * process code only through the registrations of schedulers/internal/childCallers.ts and threadCalls.ts.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycles, importGraph, reach, upwardImports, type ImportGraph } from './importGraph';

describe('layers', () => {
  let graph: ImportGraph;

  beforeAll(async () => {
    graph = await importGraph();
  });

  it('should read the graph of every entry', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['index.ts', 'lib/Pending.ts', 'operators/gather.ts', 'schedulers/Caller.ts', 'schedulers/threads/ThreadPool.ts', 'schedulers/worker.ts']));
  });

  it('should have no run-time import circle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('should keep lib/ from importing operators/, schedulers/ or the root entry', () => {
    expect(upwardImports(graph, ['lib/'], ['operators/', 'schedulers/', 'index.ts'])).toEqual([]);
  });

  it('should keep operators/ from importing schedulers/ or the root entry', () => {
    expect(upwardImports(graph, ['operators/'], ['schedulers/', 'index.ts'])).toEqual([]);
  });

  it('should keep Caller from reaching the thread and process code', () => {
    const reached = [...reach(graph, 'schedulers/Caller.ts')];
    expect(reached.filter((file) => /^schedulers\/(threads\/|ThreadCaller|ProcessCaller|worker)/.test(file))).toEqual([]);
  });

  it('should find a circle and an upward import when there is one, and skip type-only imports', async () => {
    const dir = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-graph-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nimport type { C } from './c';\nexport const a = (c?: C) => b + String(c);\n");
      writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = 1;\nexport const useA = () => a;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a';\nexport type C = typeof a;\nexport const c = a;\n");
      const local = await importGraph([join(dir, 'a.ts')]);
      const names = (files: string[]) => files.map((file) => file.slice(file.lastIndexOf('/') + 1));
      expect(cycles(local).map(names)).toEqual([['a.ts', 'b.ts', 'a.ts']]);
      expect([...local.keys()].some((file) => file.endsWith('c.ts'))).toBe(false);
      expect(upwardImports(new Map([['lib/x.ts', ['schedulers/y.ts']]]), ['lib/'], ['schedulers/'])).toEqual(['lib/x.ts -> schedulers/y.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
