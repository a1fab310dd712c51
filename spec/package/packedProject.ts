/**
 * Makes the package as a user gets it, with no network: copies the repository as a clean clone has it
 * (the files git tracks or would track: no dist/, no node_modules), links this repo's node_modules beside
 * it, packs it with `npm pack` — whose `prepare` script builds it, as it does for `npm install git+…` — and
 * unpacks the tarball into a temp project's node_modules, linking this repo's rxjs and tslib beside it (one
 * copy of rxjs, as a peer dependency must be).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

export interface PackedProject {
  /** The temp folder holding everything below; removed by `dispose()`. */
  readonly root: string;
  /** A consumer project with the package installed in node_modules/rxjs-caller. */
  readonly project: string;
  /** Where the package was unpacked. */
  readonly installed: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  readonly packedFiles: readonly string[];
  /** The tarball `npm pack` made. */
  readonly tarball: string;
  dispose(): void;
}

export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Files written into the clean copy that the `files` list must keep out of the tarball (besides everything
 * a clone already holds: the sources, the specs, the scripts).
 */
export const decoys = ['decoy.txt', 'examples/decoy.mjs'];

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The folder of an installed package of this repo (rxjs, tslib), symlinks resolved. */
function packageDir(name: string): string {
  return realpathSync(dirname(require.resolve(`${name}/package.json`, { paths: [repoRoot] })));
}

/** The files of a clean clone of the repository (tracked, or new and not ignored), as they are now. */
function cleanCloneFiles(): string[] {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repoRoot).split('\0');
  return [...new Set(listed)].filter((file) => file !== '' && existsSync(join(repoRoot, file)));
}

export function makePackedProject(): PackedProject {
  const root = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-pack-'));
  try {
    const clone = join(root, 'clone');
    for (const file of cleanCloneFiles()) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      copyFileSync(join(repoRoot, file), join(clone, file));
    }
    if (existsSync(join(clone, 'dist'))) throw new Error('A clean clone has no dist/: is it tracked?');
    for (const decoy of decoys) {
      mkdirSync(dirname(join(clone, decoy)), { recursive: true });
      writeFileSync(join(clone, decoy), 'must not be packed\n');
    }
    // What `npm ci` would install, without the network.
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');

    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // No --ignore-scripts: packing must build the package by itself (the `prepare` script).
    const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', root], clone, { ...process.env, NODE_OPTIONS: '' })) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const tarball = join(root, packed[0]!.filename);

    const project = join(root, 'project');
    const installed = join(project, 'node_modules', 'rxjs-caller');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }) + '\n');
    run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], root);
    for (const name of ['rxjs', 'tslib']) symlinkSync(packageDir(name), join(project, 'node_modules', name), 'dir');

    return {
      root,
      project,
      installed,
      tarball,
      packedFiles: packed[0]!.files.map((f) => f.path),
      dispose: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Writes `source` to `file` in `cwd` and runs it with node; never throws on a failing script. */
export function runScript(cwd: string, file: string, source: string, args: string[] = []): NodeRun {
  writeFileSync(join(cwd, file), source);
  // NODE_OPTIONS from the test runner (a loader, say) must not leak into the consumer's process.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const result = spawnSync(process.execPath, [file, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a script that prints one JSON line last, and returns it parsed; throws with its output if it failed. */
export function runJson<T>(cwd: string, file: string, source: string, args: string[] = []): T {
  const result = runScript(cwd, file, source, args);
  const last = result.stdout.trim().split('\n').pop();
  if (result.status !== 0 || last === undefined || last === '') {
    throw new Error(`${file} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(last) as T;
}

/** Runs TypeScript's compiler of this repo. */
export function runTsc(args: string[], cwd: string): NodeRun {
  return runBin('tsc', args, cwd);
}

/** Runs a command-line tool installed in this repo's node_modules/.bin (`attw`, `publint`, `tsc`) with node. */
export function runBin(name: string, args: string[], cwd: string): NodeRun {
  const bin = join(repoRoot, 'node_modules', '.bin', name);
  // stdout goes to a file: a tool that calls process.exit() with a long answer in a pipe loses its tail.
  const out = join(mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-bin-')), 'stdout');
  const fd = openSync(out, 'w');
  try {
    const env = { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' };
    const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env, stdio: ['ignore', fd, 'pipe'] });
    return { status: result.status, stdout: readFileSync(out, 'utf8'), stderr: result.stderr };
  } finally {
    closeSync(fd);
    rmSync(dirname(out), { recursive: true, force: true });
  }
}
