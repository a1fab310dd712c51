/**
 * README.md as code: every code block is extracted (spec/readme/readmeBlocks.ts), type-checked against
 * the built package as a user imports it (`rxjs-caller`, through a node_modules link to this repo), and
 * run when it can be — programs with Node, test files with jest, marble diagrams in a TestScheduler — so a
 * README that drifts from the library fails `npm test`. Needs the build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { map, type Observable } from 'rxjs';
import { asCompleted, gather, wait, type Pending, type WaitResult } from '../../index';
import { repoRoot, runTsc } from '../package/packedProject';
import { createTestScheduler } from '../helpers/testScheduler';
import { angularCoreDts, pageGlobalsDts, tasksDts, tasksJs } from './fixtures';
import { parseMarble, readmeBlocks, type Block, type MarbleDiagram } from './readmeBlocks';

jest.setTimeout(60_000);

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, { import: { default: string } }> };
if (!existsSync(join(repoRoot, manifest.exports['.']!.import.default))) {
  throw new Error('The README suite checks the built package, and it is not built: run `npm run build` first (`npm test` does).');
}
const blocks = readmeBlocks(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
const named = (block: Block) => `README.md:${block.line} (${block.heading})`;
const fileOf = (block: Block) => `block-${block.line}.ts`;
const typed = blocks.filter((b) => b.kind === 'run' || b.kind === 'test' || b.kind === 'no-run');

// Written at once, not in beforeAll: the `ts test` blocks are required below while jest collects tests.
const dir = realpathSync(mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-readme-')));
writeProject();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeProject(): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  // The package as users import it: its exports map, its built files and declarations.
  symlinkSync(repoRoot, join(modules, 'rxjs-caller'), 'dir');
  for (const name of ['rxjs', 'tslib', '@types', '@angular']) {
    const path = join(repoRoot, 'node_modules', name);
    if (existsSync(path)) symlinkSync(realpathSync(path), join(modules, name), 'dir');
  }
  const extra = ['tasks.d.ts', 'page-globals.d.ts'];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tasks.js'), tasksJs);
  writeFileSync(join(dir, 'tasks.d.ts'), tasksDts);
  writeFileSync(join(dir, 'page-globals.d.ts'), pageGlobalsDts);
  if (!existsSync(join(repoRoot, 'node_modules', '@angular', 'core'))) {
    writeFileSync(join(dir, 'angular-core.d.ts'), angularCoreDts);
    extra.push('angular-core.d.ts');
  }
  for (const block of typed) writeFileSync(join(dir, fileOf(block)), block.code);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'esnext.disposable', 'dom'],
        types: ['node', 'jest'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        experimentalDecorators: true,
      },
      files: [...extra, ...typed.map(fileOf)],
    }),
  );
}

describe('README.md', () => {
  it('should have code blocks of every kind, each saying what it is', () => {
    expect(new Set(blocks.map((b) => b.kind))).toEqual(new Set(['run', 'test', 'no-run', 'excerpt', 'marble', 'sh']));
    for (const block of blocks.filter((b) => b.kind === 'no-run')) expect(block.detail).not.toBe('');
  });

  it('should show, in each excerpt block, lines that stand verbatim in the file it names', () => {
    for (const block of blocks.filter((b) => b.kind === 'excerpt')) {
      const file = join(repoRoot, block.detail);
      const inFile = existsSync(file) && readFileSync(file, 'utf8').includes(block.code.trimEnd());
      expect({ block: named(block), file: block.detail, inFile }).toEqual({ block: named(block), file: block.detail, inFile: true });
    }
  });

  it('should type-check every TypeScript block against the built package', () => {
    const result = runTsc(['-p', join(dir, 'tsconfig.json')], dir);
    // Name each failing block by its README line rather than by its temp file.
    const output = (result.stdout + result.stderr).replace(/block-(\d+)\.ts\((\d+),(\d+)\)/g, (_, line: string, row: string, col: string) => `README.md:${Number(line) + Number(row)}:${col}`);
    expect(output).toBe('');
    expect(result.status).toBe(0);
  });

  const runnable = blocks.filter((b) => b.kind === 'run');
  it.each(runnable.map((b) => [named(b), b] as const))('should run %s with Node, exit 0 and print no error', (_name, block) => {
    const { code } = transformSync(block.code, { loader: 'ts', format: 'esm', target: 'es2022' });
    const file = fileOf(block).replace(/\.ts$/, '.mjs');
    writeFileSync(join(dir, file), code);
    const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  for (const block of blocks.filter((b) => b.kind === 'test')) {
    describe(`${named(block)}, run as a jest test file`, () => {
      require(join(dir, fileOf(block)));
    });
  }

  const marbles = blocks.filter((b) => b.kind === 'marble');
  it.each(marbles.map((b) => [named(b), b] as const))('should replay the %s marble diagram in a TestScheduler', (_name, block) => {
    replay(block.detail, parseMarble(block));
  });
});

/** The value a member marble ends with: its last value letter (cold() emits a letter as itself). */
function lastValue(marble: string): string {
  const letters = marble.match(/[a-z0-9]/g);
  if (letters === null) throw new Error(`The member marble '${marble}' emits no value`);
  return letters[letters.length - 1]!;
}

/** Runs the diagram's operator over its source and members, and expects its result diagram. */
function replay(operator: string, diagram: MarbleDiagram): void {
  // Options as written in the README, e.g. `{ returnWhen: 'FIRST_COMPLETED' }` (our own file: evaluating it is safe).
  const options = diagram.options === '' ? undefined : (new Function(`return (${diagram.options});`)() as object);
  // A result letter in upper case names the member of that letter, seen through the value it settles with.
  const letterOf = (value: unknown) => Object.keys(diagram.members).find((name) => lastValue(diagram.members[name]!) === value)?.toUpperCase();
  createTestScheduler().run(({ cold, expectObservable }) => {
    const members = Object.fromEntries(Object.entries(diagram.members).map(([name, marble]) => [name, cold(marble)]));
    const source = cold(diagram.source, members);
    if (operator === 'gather') {
      expectObservable(source.pipe(gather(options))).toBe(diagram.result, { r: new Function(`return (${diagram.value});`)() });
    } else if (operator === 'asCompleted') {
      const values = Object.fromEntries(Object.entries(diagram.members).map(([name, marble]) => [name.toUpperCase(), lastValue(marble)]));
      expectObservable(source.pipe(asCompleted(options), map((p: Pending<string>) => p.result()))).toBe(diagram.result, values);
    } else {
      const sets = /^\{\s*done:\s*\{([^}]*)\},\s*pending:\s*\{([^}]*)\}\s*\}$/.exec(diagram.value);
      if (sets === null) throw new Error(`Cannot read the wait result \`${diagram.value}\`: write it as { done: {A}, pending: {B} }`);
      const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const shown = (source.pipe(wait(options)) as Observable<WaitResult<string>>).pipe(
        map(({ done, pending }) => ({ done: [...done].map((p) => letterOf(p.result())), pending: pending.size })),
      );
      expectObservable(shown).toBe(diagram.result, { r: { done: list(sets[1]!), pending: list(sets[2]!).length } });
    }
  });
}
